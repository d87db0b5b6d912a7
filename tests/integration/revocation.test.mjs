// Revocation (RFC 7009, POST /oauth2/revoke), introspection (RFC 7662, POST /oauth2/introspect)
// and `signet revoke --sub` against the real binary (issue 5): on a single node (in-memory
// store), and on two replicas sharing one real Redis, including a Redis outage and its return
// without restarting signet.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { basicAuth, postForm } from './lib/http.mjs';
import { kAudience, kClients, runSignet, startSignet, redisReplicaOptions } from './lib/signet_server.mjs';
import { startRedis } from './lib/redis_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rs = kClients.rs; // client_secret_basic
const es = kClients.es; // client_secret_post

// POST a form to `path`; { status, headers, text, json }. `client` authenticates the way it is
// registered; null sends no client authentication. Aborted after `timeoutMs`.
const post = (server, path, form, { client = rs, timeoutMs = 10_000 } = {}) =>
  postForm(server, path, form, { client, timeoutMs });

async function issue(server, client = es) {
  const r = await post(server, '/oauth2/token', { grant_type: 'client_credentials', resource: kAudience }, { client });
  assert.equal(r.status, 200, r.text);
  return r.json.access_token;
}

const revoke = (server, token, options) => post(server, '/oauth2/revoke', { token }, options);
const introspect = (server, token, options) =>
  post(server, '/oauth2/introspect', { token }, options);

// The Redis client connects in the background after start-up (readiness does not wait for
// it, on purpose): poll until introspection stops answering 503.
async function waitForStore(server, token) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await introspect(server, token);
    if (r.status !== 503) return r;
    if (Date.now() > deadline) assert.fail(`introspection still 503 on ${server.url}: ${r.text}`);
    await sleep(50);
  }
}

function assertOAuthError(r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error, error, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
}

describe('single node (in-memory revocation store)', () => {
  let server;
  before(async () => {
    server = await startSignet();
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('an active token introspects with the RFC 7662 members', async () => {
    const token = await issue(server);
    const r = await introspect(server, token);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.json.active, true);
    assert.equal(r.json.client_id, es.client_id);
    assert.equal(r.json.sub, es.client_id);
    assert.equal(r.json.iss, server.issuer);
    assert.equal(r.json.aud, kAudience);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(typeof r.json.jti, 'string');
    assert.ok(r.json.exp > r.json.iat);
  });

  test('revoke -> 200, then introspection says active: false and nothing else', async () => {
    const token = await issue(server);
    const r = await revoke(server, token, { client: es });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await introspect(server, token)).json, { active: false });
    // Another token of the same client is untouched.
    assert.equal((await introspect(server, await issue(server))).json.active, true);
  });

  test('a client cannot revoke another client\'s token (200, nothing revoked)', async () => {
    const token = await issue(server, es);
    assert.equal((await revoke(server, token, { client: rs })).status, 200);
    assert.equal((await introspect(server, token)).json.active, true);
  });

  test('unknown token: revoke 200, introspect active: false', async () => {
    for (const token of ['not-a-token', 'a.b.c']) {
      assert.equal((await revoke(server, token)).status, 200);
      const r = await introspect(server, token);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { active: false });
    }
  });

  test('token_type_hint is accepted, whatever its value, and not trusted', async () => {
    const token = await issue(server, es);
    const r = await post(server, '/oauth2/revoke', { token, token_type_hint: 'refresh_token' }, { client: es });
    assert.equal(r.status, 200);
    assert.deepEqual((await introspect(server, token)).json, { active: false });
  });

  test('no client authentication -> 401 invalid_client with WWW-Authenticate', async () => {
    const token = await issue(server);
    for (const path of ['/oauth2/revoke', '/oauth2/introspect']) {
      const r = await post(server, path, { token }, { client: null });
      assertOAuthError(r, 401, 'invalid_client');
      assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="signet"/);
    }
    const wrong = await post(server, '/oauth2/introspect', { token }, { client: { ...rs, client_secret: 'wrong' } });
    assertOAuthError(wrong, 401, 'invalid_client');
  });

  test('missing token -> 400 invalid_request; a repeated one too', async () => {
    for (const path of ['/oauth2/revoke', '/oauth2/introspect']) {
      assertOAuthError(await post(server, path, {}), 400, 'invalid_request');
      const body = 'token=a&token=b';
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(rs.client_id, rs.client_secret) },
        body,
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, 'invalid_request');
    }
  });

  test('discovery lists both endpoints and their client authentication', async () => {
    const doc = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    assert.equal(doc.revocation_endpoint, `${server.issuer}/oauth2/revoke`);
    assert.equal(doc.introspection_endpoint, `${server.issuer}/oauth2/introspect`);
    assert.deepEqual(doc.revocation_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
    assert.deepEqual(doc.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
  });

  test('signet revoke --sub without redis.url fails with exit 1 and says why', () => {
    const r = runSignet(['revoke', '--sub', es.client_id, '--config', server.configPath]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /needs redis\.url/);
  });
});

describe('two replicas sharing one Redis', () => {
  const kIssuer = 'http://127.0.0.1/signet-revocation';
  let redis;
  let work;
  let a;
  let b;

  before(async () => {
    redis = await startRedis({ appendOnly: true });
    let options;
    ({ work, options } = redisReplicaOptions(redis, { issuer: kIssuer }));
    a = await startSignet(options); // creates the key ring in Redis
    b = await startSignet(options); // loads the same one
    const probe = await issue(a);
    await waitForStore(a, probe);
    await waitForStore(b, probe);
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.deepEqual(codes, [0, 0]);
  });

  test('revoked on replica A -> inactive on replica B', async () => {
    const token = await issue(a);
    assert.equal((await introspect(b, token)).json.active, true);
    assert.equal((await revoke(a, token, { client: es })).status, 200);
    assert.deepEqual((await introspect(b, token)).json, { active: false });
    assert.deepEqual((await introspect(a, token)).json, { active: false });
  });

  test('signet revoke --sub -> every earlier token of the subject inactive on both', async () => {
    const fromA = await issue(a, es);
    const fromB = await issue(b, es);
    const otherSubject = await issue(a, rs);
    const r = runSignet(['revoke', '--sub', es.client_id, '--config', a.configPath]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /revoked every token of subject 'es-client'/);
    for (const server of [a, b]) {
      for (const token of [fromA, fromB]) {
        assert.deepEqual((await introspect(server, token)).json, { active: false });
      }
      assert.equal((await introspect(server, otherSubject)).json.active, true);
    }
  });

  test('Redis stopped: introspection and revocation 503 quickly, client_credentials still 200; back without a restart', async () => {
    const token = await issue(a, rs);
    const revoked = await issue(a, rs);
    assert.equal((await revoke(a, revoked)).status, 200);

    await redis.stop();
    for (const server of [a, b]) {
      // A bound, not a measurement: an answer that waited for a dead Redis would be aborted.
      const r = await introspect(server, token, { timeoutMs: 2000 });
      assertOAuthError(r, 503, 'temporarily_unavailable');
      assert.equal(r.json.active, undefined);
      assert.equal(r.headers.get('retry-after'), '1');
      assertOAuthError(await revoke(server, token, { timeoutMs: 2000 }), 503, 'temporarily_unavailable');
      // Needs no shared state.
      await issue(server, es);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    }

    await redis.start();
    for (const server of [a, b]) {
      const r = await waitForStore(server, token);
      assert.equal(r.json.active, true);
      // The revocation made before the outage is still there (append-only Redis).
      assert.deepEqual((await introspect(server, revoked)).json, { active: false });
    }
    assert.equal((await revoke(b, token)).status, 200);
    assert.deepEqual((await introspect(a, token)).json, { active: false });
  });

  test('Redis hung (SIGSTOP): introspection 503 within the command timeout, then recovers', async () => {
    const token = await issue(a, rs);
    redis.pause();
    try {
      const r = await introspect(a, token, { timeoutMs: 2000 });
      assertOAuthError(r, 503, 'temporarily_unavailable');
      await issue(a, es);
    } finally {
      redis.resume();
    }
    assert.equal((await waitForStore(a, token)).json.active, true);
  });
});
