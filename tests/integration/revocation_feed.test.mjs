// The revocation feed (GET /oauth2/revocations, issue 5 item 8) against the real binary: jose
// verifies it with the issuer's JWKS like a resource server would; a revocation appears in the
// next feed; ETag + If-None-Match; two replicas sharing one Redis (a `revoke --sub` made with
// the CLI and a revocation made on A are listed by B); Redis stopped -> 503; and
// `signet token verify --revocations URL` refusing a revoked token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { postForm } from './lib/http.mjs';
import { kAudience, kClients, runSignet, startSignet, redisReplicaOptions } from './lib/signet_server.mjs';
import { startRedis } from './lib/redis_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rs = kClients.rs; // client_secret_basic, RS256 tokens
const es = kClients.es; // client_secret_post, ES256 tokens
const kTyp = 'revocation-list+jwt';

const post = (server, path, form, client) => postForm(server, path, form, { client });

async function issue(server, client = es) {
  const r = await post(server, '/oauth2/token', { grant_type: 'client_credentials', resource: kAudience }, client);
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text).access_token;
}

async function revoke(server, token, client) {
  const r = await post(server, '/oauth2/revoke', { token }, client);
  assert.equal(r.status, 200, r.text);
}

// GET the feed: { status, headers, text }.
async function getFeed(server, headers = {}) {
  const res = await fetch(`${server.url}/oauth2/revocations`, { headers, signal: AbortSignal.timeout(5000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

// The feed verified by jose against the server's JWKS, as a resource server does it.
async function verifiedFeed(server) {
  const r = await getFeed(server);
  assert.equal(r.status, 200, r.text);
  const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(r.text, jwks, { issuer: server.issuer, typ: kTyp });
  return { payload, protectedHeader, etag: r.headers.get('etag') };
}

// The Redis client connects in the background; the feed answers 503 until it has.
async function waitForFeed(server) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await getFeed(server);
    if (r.status === 200) return r;
    if (Date.now() > deadline) assert.fail(`feed still ${r.status} on ${server.url}: ${r.text}`);
    await sleep(50);
  }
}

function verifyWithCli(server, token) {
  return runSignet(['token', 'verify', '--jwks', `${server.url}/.well-known/jwks.json`,
    '--revocations', `${server.url}/oauth2/revocations`, token]);
}

describe('revocation feed on a single node (in-memory store)', () => {
  let server;
  before(async () => {
    server = await startSignet();
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('jose verifies the feed with the JWKS: typ, issuer, claims, active RS256 key', async () => {
    const { payload, protectedHeader } = await verifiedFeed(server);
    assert.equal(protectedHeader.typ, kTyp);
    assert.equal(protectedHeader.alg, 'RS256'); // tokens.signing_alg
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    assert.ok(jwks.keys.some((k) => k.kid === protectedHeader.kid && k.alg === 'RS256'));
    assert.equal(payload.iss, server.issuer);
    assert.equal(typeof payload.rev, 'number');
    assert.ok(Array.isArray(payload.jtis));
    assert.ok(Array.isArray(payload.subs));
    assert.equal(payload.exp - payload.iat, 300);
  });

  test('served as application/jwt with a short public max-age and a strong ETag', async () => {
    const r = await getFeed(server);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/jwt');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=10');
    assert.match(r.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]+"$/);
  });

  test('If-None-Match with the current ETag -> 304 without a body', async () => {
    const first = await getFeed(server);
    const again = await getFeed(server, { 'if-none-match': first.headers.get('etag') });
    // The ETag changes every 5 s (iat bucket); one retry covers a boundary crossed in between.
    const r = again.status === 304 ? again : await (async () => {
      const fresh = await getFeed(server);
      return getFeed(server, { 'if-none-match': fresh.headers.get('etag') });
    })();
    assert.equal(r.status, 304);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=10');
    assert.ok(r.headers.get('etag'));
  });

  test('a revoked token is in the next feed at once (new revision, new ETag)', async () => {
    const before = await verifiedFeed(server);
    const token = await issue(server, es);
    const { jti, exp } = decodeJwt(token);
    await revoke(server, token, es);
    const after = await verifiedFeed(server);
    assert.notEqual(after.etag, before.etag);
    assert.ok(after.payload.rev > before.payload.rev);
    const entry = after.payload.jtis.find((e) => e.jti === jti);
    assert.ok(entry, JSON.stringify(after.payload.jtis));
    assert.equal(entry.exp, exp + 30); // the token's exp + tokens.leeway
    assert.equal(before.payload.jtis.find((e) => e.jti === jti), undefined);
  });

  test('signet token verify --revocations URL: exit 1 for a revoked token, 0 for another', async () => {
    const revoked = await issue(server, rs);
    const other = await issue(server, rs);
    await revoke(server, revoked, rs);
    const refused = verifyWithCli(server, revoked);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /token revoked \(jti listed in the revocation feed\)/);
    assert.equal(refused.stdout, '');
    const accepted = verifyWithCli(server, other);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.equal(JSON.parse(accepted.stdout).jti, decodeJwt(other).jti);
  });

  test('discovery advertises the feed; /metrics labels it', async () => {
    const doc = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    assert.equal(doc.revocation_feed_endpoint, `${server.issuer}/oauth2/revocations`);
    await getFeed(server);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /signet_http_requests_total\{[^}]*endpoint="\/oauth2\/revocations"/);
  });
});

describe('revocation feed on two replicas sharing one Redis', () => {
  const kIssuer = 'http://127.0.0.1/signet-revocation-feed';
  let redis;
  let work;
  let a;
  let b;

  before(async () => {
    redis = await startRedis({ appendOnly: true });
    let options;
    ({ work, options } = redisReplicaOptions(redis, { issuer: kIssuer }));
    a = await startSignet(options);
    b = await startSignet(options);
    await waitForFeed(a);
    await waitForFeed(b);
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.deepEqual(codes, [0, 0]);
  });

  test('a token revoked on A is listed in the feed of B', async () => {
    const token = await issue(a, es);
    await revoke(a, token, es);
    const { payload } = await verifiedFeed(b);
    assert.equal(payload.iss, kIssuer);
    assert.ok(payload.jtis.some((e) => e.jti === decodeJwt(token).jti));
    const refused = verifyWithCli(b, token);
    assert.equal(refused.status, 1, refused.stderr);
  });

  test('signet revoke --sub (CLI on A\'s config) -> B lists the subject cut-off', async () => {
    const earlier = await issue(a, rs);
    const r = runSignet(['revoke', '--sub', rs.client_id, '--config', a.configPath]);
    assert.equal(r.status, 0, r.stderr);
    const { payload } = await verifiedFeed(b);
    const entry = payload.subs.find((e) => e.sub === rs.client_id);
    assert.ok(entry, JSON.stringify(payload.subs));
    assert.ok(entry.iat_max >= decodeJwt(earlier).iat);
    assert.ok(entry.exp > entry.iat_max);
    const refused = verifyWithCli(b, earlier);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /token revoked \(subject cut-off/);
    // Another subject's token is not affected.
    const other = verifyWithCli(b, await issue(b, es));
    assert.equal(other.status, 0, other.stderr);
  });

  test('Redis stopped -> 503 temporarily_unavailable JSON, never an empty list; back after restart', async () => {
    await redis.stop();
    try {
      for (const server of [a, b]) {
        const r = await getFeed(server);
        assert.equal(r.status, 503, r.text);
        assert.equal(JSON.parse(r.text).error, 'temporarily_unavailable');
        assert.equal(r.headers.get('retry-after'), '1');
        assert.equal(r.headers.get('cache-control'), 'no-store');
        assert.equal(r.headers.get('etag'), null);
      }
    } finally {
      await redis.start();
    }
    for (const server of [a, b]) {
      await waitForFeed(server);
      const { payload } = await verifiedFeed(server);
      assert.ok(payload.subs.some((e) => e.sub === rs.client_id)); // kept (append-only Redis)
    }
  });
});
