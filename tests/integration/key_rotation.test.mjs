// Key lifecycle on the file store (issue 4): automatic rotation with short intervals, the
// publish-ahead guarantee, restarts keeping the kids, the KEK, and the keys CLI.
//
// Rotation runs for real (rotate_every: 2s), so this suite observes the server from outside
// the way a fleet of resource servers would: it keeps fetching the JWKS and minting tokens,
// then checks every token against every JWKS fetched while the token was valid.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { kAudience, kClients, runSignet, startSignet } from './lib/signet_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function token(server, c) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: c.client_id,
    client_secret: c.client_secret,
    resource: kAudience,
  });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (c.token_endpoint_auth_method === 'client_secret_basic') {
    body.delete('client_id');
    body.delete('client_secret');
    const basic = Buffer.from(
      `${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`,
    ).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  const res = await fetch(`${server.issuer}/oauth2/token`, { method: 'POST', headers, body });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).access_token;
}

async function jwks(server) {
  const res = await fetch(`${server.issuer}/.well-known/jwks.json`);
  assert.equal(res.status, 200);
  return res.json();
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function fileDigests(dir) {
  const out = {};
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.pem')) out[name] = sha256(join(dir, name));
  }
  return out;
}

// With publish_ahead = rotate_every, each period is stretched by the propagation margin (two
// poll intervals, rounded up to 1 s here), so keys change about every 3 s.
describe('automatic rotation (rotate_every 2s, publish_ahead 2s, tokens live 3s)', () => {
  test('every token verifies against every JWKS fetched while it is valid', async () => {
    const server = await startSignet({
      tokens: ['  access_token_ttl: 3', '  id_token_ttl: 3', '  leeway: 1'],
      keys: ['  rotate_every: 2s', '  publish_ahead: 2s'],
    });
    try {
      const tokens = []; // { alg, kid, jwt, iat, exp, at }
      const sets = []; // { at, set }
      const firstSeen = new Map(); // kid -> ms when first in a JWKS
      const firstUsed = new Map(); // kid -> ms of the first token it signed
      const end = Date.now() + 13_000;
      while (Date.now() < end) {
        const set = await jwks(server);
        const at = Date.now();
        sets.push({ at, set });
        for (const k of set.keys) if (!firstSeen.has(k.kid)) firstSeen.set(k.kid, at);
        for (const c of Object.values(kClients)) {
          const before = Date.now();
          const jwt = await token(server, c);
          const { kid, alg } = decodeProtectedHeader(jwt);
          const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
          tokens.push({ alg, kid, jwt, iat: payload.iat, exp: payload.exp, at: before });
          if (!firstUsed.has(kid)) firstUsed.set(kid, before);
        }
        await sleep(100);
      }

      for (const alg of ['RS256', 'ES256']) {
        const kids = new Set(tokens.filter((t) => t.alg === alg).map((t) => t.kid));
        assert.ok(kids.size >= 4, `${alg}: expected several rotations, saw ${kids.size} kids`);
      }

      // A token is checked against every JWKS fetched after it was issued and before it
      // expired (seconds resolution: fetches in its last second are skipped).
      let checks = 0;
      for (const t of tokens) {
        for (const { at, set } of sets) {
          if (at < t.at || at >= (t.exp - 1) * 1000) continue;
          const ids = set.keys.map((k) => k.kid);
          assert.ok(ids.includes(t.kid), `kid ${t.kid} missing from a JWKS fetched while valid`);
          await jwtVerify(t.jwt, createLocalJWKSet(set), {
            issuer: server.issuer,
            audience: kAudience,
            typ: 'at+jwt',
            currentDate: new Date(at),
          });
          checks += 1;
        }
      }
      assert.ok(checks > 100, `only ${checks} token/JWKS pairs checked`);

      // Every key that took over during the run (not one of the first keys) was published
      // at least publish_ahead (2 s) before its first signature; 250 ms of polling slack.
      const initial = new Set(sets[0].set.keys.map((k) => k.kid));
      let rotated = 0;
      for (const [kid, used] of firstUsed) {
        if (initial.has(kid)) continue;
        const seen = firstSeen.get(kid);
        assert.ok(seen !== undefined, `kid ${kid} signed but never appeared in a JWKS`);
        assert.ok(used - seen >= 1750, `kid ${kid} signed ${used - seen} ms after publication`);
        rotated += 1;
      }
      assert.ok(rotated >= 3, `only ${rotated} keys took over during the run`);

      // Retired keys leave the JWKS and the directory: with a 2 s period and about 4 s of
      // retention, an algorithm has its active and next key and at most 3 retiring ones.
      const last = sets[sets.length - 1].set.keys;
      for (const alg of ['RS256', 'ES256']) {
        const n = last.filter((k) => k.alg === alg).length;
        assert.ok(n >= 2 && n <= 5, `${alg}: ${n} keys published`);
      }
      const files = readdirSync(server.keysDir).filter((f) => f.endsWith('.pem'));
      assert.ok(files.length <= 10, `${files.length} key files kept`);
      for (const f of files) {
        assert.equal(statSync(join(server.keysDir, f)).mode & 0o777, 0o600, f);
      }
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('restarts and the KEK', () => {
  test('a restart on the same key directory publishes the same kids', async () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'signet-keys-'));
    try {
      const first = await startSignet({ keysDir });
      const before = (await jwks(first)).keys.map((k) => k.kid).sort();
      assert.equal(await first.stop(), 0);
      const second = await startSignet({ keysDir });
      const after = (await jwks(second)).keys.map((k) => k.kid).sort();
      assert.equal(await second.stop(), 0);
      assert.deepEqual(after, before);
      assert.equal(before.length, 4); // active + next, for RS256 and ES256
    } finally {
      rmSync(keysDir, { recursive: true, force: true });
    }
  });

  test('keys are encrypted at rest with the KEK, and a wrong KEK fails start-up and touches nothing', async () => {
    const work = mkdtempSync(join(tmpdir(), 'signet-kek-'));
    const keysDir = join(work, 'keys');
    const goodKek = join(work, 'kek');
    const wrongKek = join(work, 'wrong-kek');
    writeFileSync(goodKek, randomBytes(32), { mode: 0o600 });
    writeFileSync(wrongKek, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      const server = await startSignet({
        keysDir,
        keys: [`  encryption_key_file: "${goodKek}"`],
      });
      const kids = (await jwks(server)).keys.map((k) => k.kid).sort();
      const config = readFileSync(server.configPath, 'utf8'); // stop() removes its directory
      assert.equal(await server.stop(), 0);

      const before = fileDigests(keysDir);
      assert.equal(Object.keys(before).length, 4);
      for (const name of Object.keys(before)) {
        const text = readFileSync(join(keysDir, name), 'utf8');
        assert.doesNotMatch(text, /BEGIN PRIVATE KEY/, `${name} is stored in clear`);
      }

      const wrongConfig = join(work, 'wrong.yaml');
      writeFileSync(wrongConfig, config.replace(goodKek, wrongKek));
      const r = runSignet(['serve', '--config', wrongConfig], { timeout: 20_000 });
      assert.notEqual(r.status, 0);
      assert.equal(r.signal, null, 'signet did not exit on its own with the wrong KEK');
      assert.match(r.stdout + r.stderr, /KEK/);
      assert.deepEqual(fileDigests(keysDir), before);

      // The right KEK again: same kids.
      const again = await startSignet({ keysDir, keys: [`  encryption_key_file: "${goodKek}"`] });
      const kidsAgain = (await jwks(again)).keys.map((k) => k.kid).sort();
      assert.equal(await again.stop(), 0);
      assert.deepEqual(kidsAgain, kids);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('keys CLI against a running server', () => {
  test('keys list shows the states, keys rotate is picked up by the server', async () => {
    const server = await startSignet({ keys: ['  rotate_every: 1h', '  publish_ahead: 30m'] });
    try {
      const list = runSignet(['keys', 'list', '--config', server.configPath]);
      assert.equal(list.status, 0, list.stderr);
      const rows = list.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/));
      const active = rows.filter((r) => r[1] === 'ES256' && r[2] === 'active');
      const next = rows.filter((r) => r[1] === 'ES256' && r[2] === 'next');
      assert.equal(active.length, 1, list.stdout);
      assert.equal(next.length, 1, list.stdout);
      const oldKid = active[0][0];
      const nextKid = next[0][0];
      assert.equal(decodeProtectedHeader(await token(server, kClients.es)).kid, oldKid);

      const rotate = runSignet(['keys', 'rotate', '--config', server.configPath]);
      assert.equal(rotate.status, 0, rotate.stderr);

      let kid = oldKid;
      const deadline = Date.now() + 5000;
      while (kid !== nextKid && Date.now() < deadline) {
        await sleep(100);
        kid = decodeProtectedHeader(await token(server, kClients.es)).kid;
      }
      assert.equal(kid, nextKid, 'the server did not switch to the former next key');
      const published = (await jwks(server)).keys.map((k) => k.kid);
      assert.ok(published.includes(oldKid), 'the retiring key must stay published');
      const after = runSignet(['keys', 'list', '--config', server.configPath]);
      assert.match(after.stdout, new RegExp(`${oldKid}\\s+ES256\\s+retiring`));
      assert.match(after.stdout, new RegExp(`${nextKid}\\s+ES256\\s+active`));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
