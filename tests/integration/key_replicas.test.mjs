// Key lifecycle shared through Redis (issue 4): three `signet serve` processes on different
// ports share one real Redis (started here on a free loopback port). A token from any replica
// verifies against the JWKS of every other, all three sign with the same key sequence, a
// `signet keys rotate` is seen by all of them, and killing the replica that holds the
// rotation lease (SIGKILL) leaves the others serving while one of them takes over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { kAudience, kClients, runSignet, startSignet } from './lib/signet_server.mjs';
import { startRedis } from './lib/redis_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kIssuer = 'http://127.0.0.1/signet';

async function token(server, c = kClients.es) {
  const res = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.client_id,
      client_secret: c.client_secret,
      resource: kAudience,
    }),
  });
  if (c.token_endpoint_auth_method !== 'client_secret_post') {
    throw new Error('token() posts the secret in the body: use a client_secret_post client');
  }
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).access_token;
}

async function jwks(server) {
  const res = await fetch(`${server.url}/.well-known/jwks.json`);
  assert.equal(res.status, 200);
  return res.json();
}

// The ES256 kids in the order a replica signed with them, without repeats.
function sequence(samples) {
  const out = [];
  for (const kid of samples) if (out[out.length - 1] !== kid) out.push(kid);
  return out;
}

// A replica that generated a key (the key manager's notice in its log) held the lease then.
const rotated = (server) => /generated an? (RS256|ES256) key/.test(server.output);

let redisPort = 0;
function redisCli(args) {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(redisPort), ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('three replicas sharing one Redis', () => {
  let redis;
  let work;
  let replicas = [];

  before(async () => {
    redis = await startRedis();
    redisPort = redis.port;
    work = mkdtempSync(join(tmpdir(), 'signet-replicas-'));
    const kek = join(work, 'kek');
    writeFileSync(kek, randomBytes(32), { mode: 0o600 });
    const options = {
      issuer: kIssuer,
      tokens: ['  access_token_ttl: 4', '  leeway: 1'],
      keys: ['  rotate_every: 3s', '  publish_ahead: 3s', `  encryption_key_file: "${kek}"`],
      extraConfig: `redis:\n  url: "${redis.url}"\n`,
    };
    // One after the other: the first creates the ring, the others must load the same one.
    for (let i = 0; i < 3; i += 1) replicas.push(await startSignet(options));
  });

  after(async () => {
    for (const r of replicas) await r.stop();
    await redis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('tokens of every replica verify against the JWKS of every other, and all rotate alike', async () => {
    const samples = replicas.map(() => []);
    const issued = [];
    const end = Date.now() + 12_000;
    while (Date.now() < end) {
      for (const [i, r] of replicas.entries()) {
        const jwt = await token(r);
        samples[i].push(decodeProtectedHeader(jwt).kid);
        issued.push({ jwt, from: i });
      }
      // Every replica's JWKS verifies every token just issued by any replica.
      for (const [j, r] of replicas.entries()) {
        const set = createLocalJWKSet(await jwks(r));
        for (const { jwt, from } of issued.splice(-replicas.length)) {
          await jwtVerify(jwt, set, { issuer: kIssuer, audience: kAudience }).catch((e) => {
            throw new Error(`token of replica ${from} fails on the JWKS of replica ${j}: ${e}`);
          });
        }
      }
      await sleep(150);
    }
    const sequences = samples.map(sequence);
    assert.ok(sequences[0].length >= 3, `only ${sequences[0].length} ES256 kids in 12 s`);
    // The same keys in the same order; a replica may see a switch a poll interval later, so
    // the first and last kid of a sequence may be cut.
    const core = sequences[0].slice(1, -1);
    for (const s of sequences.slice(1)) {
      for (const kid of core) assert.ok(s.includes(kid), `kid ${kid} never used by a replica`);
    }
    assert.ok(replicas.some(rotated), 'no replica generated a key');
  });

  test('signet keys rotate against the same Redis is seen by every replica', async () => {
    const configPath = replicas[0].configPath;
    const before = new Set((await jwks(replicas[0])).keys.map((k) => k.kid));
    const rotate = runSignet(['keys', 'rotate', '--config', configPath]);
    assert.equal(rotate.status, 0, rotate.stderr);
    const list = runSignet(['keys', 'list', '--config', configPath]);
    assert.equal(list.status, 0, list.stderr);
    const active = list.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((r) => r[1] === 'ES256' && r[2] === 'active');
    assert.ok(active, list.stdout);
    const deadline = Date.now() + 5000;
    for (const r of replicas) {
      let kid;
      do {
        kid = decodeProtectedHeader(await token(r)).kid;
        if (kid !== active[0]) await sleep(100);
      } while (kid !== active[0] && Date.now() < deadline);
      assert.equal(kid, active[0], `replica on ${r.port} did not switch`);
    }
    const after = new Set((await jwks(replicas[2])).keys.map((k) => k.kid));
    assert.notDeepEqual(after, before);
  });

  test('a replica killed while holding the lease: the others keep serving, one takes over', async () => {
    // The lease is held only while the ring is written (milliseconds), so a SIGKILL in that
    // window is replayed exactly: the replica that made the last rotation is killed, and the
    // lease it would leave behind (an owner that never renews nor releases it) is planted.
    const rotator = [...replicas].reverse().find(rotated) ?? replicas[0];
    const survivors = replicas.filter((r) => r !== rotator);
    const logged = survivors.map((r) => r.output.length);
    // NX: never steal the lease from a replica that is writing right now.
    let planted = false;
    for (let i = 0; i < 50 && !planted; i += 1) {
      planted = redisCli(['SET', 'signet:keys:lease', 'killed-replica', 'NX', 'PX', '4000'])
        .trim() === 'OK';
      if (!planted) await sleep(20);
    }
    assert.ok(planted, 'could not plant the lease');
    const leaseSetAt = Date.now();
    assert.equal(await rotator.stop('SIGKILL'), 'signal:SIGKILL');
    replicas = survivors;

    // What the store held when the lease was planted (a replica's JWKS may lag a poll behind).
    const kidsAtKill = new Set(redisCli(['HKEYS', 'signet:keys']).split('\n').filter(Boolean));
    let newKid = null;
    let newKidAt = 0;
    const deadline = Date.now() + 15_000;
    while (!newKid && Date.now() < deadline) {
      for (const r of survivors) await token(r); // serving throughout (asserts 200)
      const kids = (await jwks(survivors[0])).keys.map((k) => k.kid);
      newKid = kids.find((k) => !kidsAtKill.has(k)) ?? null;
      newKidAt = Date.now();
      await sleep(100);
    }
    assert.ok(newKid, 'no new key was generated after the lease holder died');
    // Nobody wrote while the dead holder's lease was valid (100 ms of polling slack).
    assert.ok(newKidAt - leaseSetAt >= 3900, `a key was written ${newKidAt - leaseSetAt} ms in`);
    // Logs are flushed at least once a second.
    const tookOver = () =>
      survivors.filter((r, i) => rotated({ output: r.output.slice(logged[i]) })).length;
    for (let i = 0; i < 30 && tookOver() === 0; i += 1) await sleep(100);
    assert.ok(tookOver() >= 1, 'no survivor generated a key');
    // Every survivor publishes it within a poll interval (375 ms here).
    const everywhere = async () =>
      (await Promise.all(survivors.map(jwks))).every((s) => s.keys.some((k) => k.kid === newKid));
    let published = await everywhere();
    for (let i = 0; i < 20 && !published; i += 1) {
      await sleep(100);
      published = await everywhere();
    }
    assert.ok(published, `${newKid} is not published by every survivor`);
  });
});
