// The resource owner password grant (RFC 6749 §4.3) and refresh token rotation (RFC 6749 §6,
// OAuth 2.0 Security BCP §4.14.2) against the real binary (issue 5, items 4, 5, 6 and 7): on a
// single node (in-memory store), through openid-client as a third-party client, and on two
// replicas sharing one real Redis, including a Redis outage and its return without a restart.
// A refresh whose scope has openid also returns a new ID token (OIDC Core §12.2).
// One test is `todo` for a known bug: discovery does not advertise the two grants.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { postForm } from './lib/http.mjs';
import { kAudience, kClients, runSignet, startSignet, redisReplicaOptions } from './lib/signet_server.mjs';
import { startRedis } from './lib/redis_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A bound on requests that must fail fast (Redis down), not a measurement.
const kFastMs = 2000;
// What a sanitizer prints when it finds something; the process may still exit 0.
const kSanitizerReport = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer/;
// RFC 6749 §6 refresh tokens of signet: 256 random bits, base64url without padding.
const kRefreshTokenShape = /^[A-Za-z0-9_-]{43}$/;

// Clients of this suite, besides kClients (client_credentials only, used as "not registered
// for password" and as the resource server that introspects).
const kApp = {
  client_id: 'app',
  client_secret: 'app-secret-0123456789abcdef0123',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['password', 'refresh_token'],
  scope: 'orders.read orders.write',
};
// Registered for password only: gets no refresh token.
const kPasswordOnly = {
  client_id: 'pw-only',
  client_secret: 'pw-only-secret-fedcba9876543210',
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['password'],
  scope: 'orders.read',
};
// A second client with refresh_token, to present app's refresh tokens.
const kOtherApp = {
  client_id: 'other-app',
  client_secret: 'other-app-secret-00112233445566',
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['password', 'refresh_token'],
  scope: 'orders.read orders.write',
};
// An OpenID Connect client: scope openid, so a refresh also returns an ID token (OIDC Core §12).
const kOidcApp = {
  client_id: 'oidc-app',
  client_secret: 'oidc-app-secret-0123456789abcdef',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['password', 'refresh_token'],
  scope: 'openid orders.read',
};
const kRs = kClients.rs; // client_credentials, client_secret_basic
const kEs = kClients.es; // client_credentials, client_secret_post

function clientYaml(c) {
  return [
    `  - client_id: "${c.client_id}"`,
    `    client_secret: "${c.client_secret}"`,
    `    token_endpoint_auth_method: ${c.token_endpoint_auth_method}`,
    `    grant_types: [${c.grant_types.join(', ')}]`,
    `    scope: "${c.scope}"`,
    `    audience: ["${kAudience}"]`,
  ].join('\n');
}
const kExtraClients = [kApp, kPasswordOnly, kOtherApp, kOidcApp].map(clientYaml);

// Users: argon2id hashes made by `signet hash-secret`, and one clear-text development password.
const kUsers = {
  alice: 'alice-correct-horse-battery',
  bob: 'bob-staple-0123456789',
  carol: 'carol-password-for-limits',
  dave: 'dave-password-for-limits',
  erin: 'erin-password-for-limits',
  frank: 'frank-password-for-limits',
  'zoë': 'pässwörd ✓ with spaces',
};
const kDevUser = { username: 'dev', password: 'dev-clear-text-password' };

let usersYamlCache = null;
function usersYaml() {
  if (usersYamlCache) return usersYamlCache;
  const lines = ['users:'];
  for (const [username, password] of Object.entries(kUsers)) {
    const r = runSignet(['hash-secret'], { input: `${password}\n` });
    assert.equal(r.status, 0, r.stderr);
    const hash = r.stdout.trim();
    assert.match(hash, /^\$argon2id\$/);
    lines.push(`  - username: "${username}"`, `    password_hash: "${hash}"`);
  }
  lines.push(`  - username: "${kDevUser.username}"`, `    password: "${kDevUser.password}"`);
  usersYamlCache = `${lines.join('\n')}\n`;
  return usersYamlCache;
}

function loginYaml({ perUsername, perIp } = {}) {
  const lines = ['login:'];
  if (perUsername !== undefined) lines.push(`  max_failures_per_username: ${perUsername}`);
  if (perIp !== undefined) lines.push(`  max_failures_per_ip: ${perIp}`);
  return lines.length > 1 ? `${lines.join('\n')}\n` : '';
}

// POST a form to `path`; { status, headers, text, json }. `client` authenticates the way it is
// registered. Aborted (rejects) after `timeoutMs`.
const post = (server, path, form, { client = kApp, timeoutMs = 15_000 } = {}) =>
  postForm(server, path, form, { client, timeoutMs });

const passwordGrant = (server, username, password, options = {}) =>
  post(server, '/oauth2/token', { grant_type: 'password', username, password, ...(options.form ?? {}) }, options);
const refreshGrant = (server, refreshToken, options = {}) =>
  post(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, options);
const clientCredentials = (server, options = {}) =>
  post(server, '/oauth2/token', { grant_type: 'client_credentials', resource: kAudience }, { client: kEs, ...options });
const revoke = (server, token, options = {}) =>
  post(server, '/oauth2/revoke', { token, token_type_hint: 'refresh_token' }, options);
const introspect = (server, token, options = {}) => post(server, '/oauth2/introspect', { token }, options);

async function login(server, username = 'alice', options = {}) {
  const r = await passwordGrant(server, username, username === kDevUser.username ? kDevUser.password : kUsers[username], options);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

function assertOAuthError(r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error, error, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store', r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
}

// 429 past the guessing limit: RFC 6749 §5.2-style body, Retry-After in whole seconds within
// the failure window (15 min).
function assertTooManyAttempts(r, what) {
  assert.equal(r.status, 429, `${what}: ${r.text}`);
  assert.equal(r.json?.error, 'temporarily_unavailable', `${what}: ${r.text}`);
  assert.equal(r.json.access_token, undefined, what);
  assert.equal(r.headers.get('cache-control'), 'no-store', what);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/, what);
  const retryAfter = r.headers.get('retry-after');
  assert.match(retryAfter ?? '', /^[0-9]+$/, `${what}: Retry-After ${retryAfter}`);
  const seconds = Number(retryAfter);
  assert.ok(seconds >= 1 && seconds <= 900, `${what}: Retry-After ${seconds}`);
}

function assertUnavailable(r, what) {
  assert.equal(r.status, 503, `${what}: ${r.text}`);
  assert.equal(r.json?.error, 'temporarily_unavailable', `${what}: ${r.text}`);
  assert.equal(r.json.access_token, undefined, what);
  assert.equal(r.headers.get('cache-control'), 'no-store', what);
  const retryAfter = r.headers.get('retry-after');
  if (retryAfter !== null) assert.match(retryAfter, /^[1-9][0-9]*$/, `${what}: Retry-After`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/, what);
}

// A successful token response of the password or refresh grant.
function assertTokenResponse(r, { refresh = true } = {}) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.json.token_type.toLowerCase(), 'bearer');
  assert.equal(typeof r.json.access_token, 'string');
  assert.ok(r.json.expires_in > 0, r.text);
  if (refresh) assert.match(r.json.refresh_token ?? '', kRefreshTokenShape, r.text);
  else assert.equal(r.json.refresh_token, undefined, r.text);
}

async function verifyAccessToken(server, accessToken) {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(accessToken, jwks, {
    issuer: server.issuer,
    audience: kAudience,
    typ: 'at+jwt',
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
  });
  return payload;
}

async function stopClean(server) {
  const code = await server.stop();
  assert.doesNotMatch(server.output, kSanitizerReport, `sanitizer report from ${server.url}`);
  assert.equal(code, 0, `exit code of ${server.url}`);
}

describe('single node: password grant and refresh rotation', { timeout: 180_000 }, () => {
  let server;
  before(async () => {
    // Every request comes from 127.0.0.1: a high per-address limit isolates the per-username one.
    server = await startSignet({ extraClients: kExtraClients, extraConfig: usersYaml() + loginYaml({ perIp: 10_000 }) });
  });
  after(async () => {
    if (server) await stopClean(server);
  });

  test('password grant: 200 no-store, a verifiable access token for the user, a refresh token', async () => {
    const r = await passwordGrant(server, 'alice', kUsers.alice);
    assertTokenResponse(r);
    const claims = await verifyAccessToken(server, r.json.access_token);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.client_id, kApp.client_id);
    assert.equal(claims.scope, kApp.scope);
  });

  test('password grant with a clear-text development password', async () => {
    const r = await passwordGrant(server, kDevUser.username, kDevUser.password);
    assertTokenResponse(r);
    assert.equal((await verifyAccessToken(server, r.json.access_token)).sub, kDevUser.username);
    assertOAuthError(await passwordGrant(server, kDevUser.username, `${kDevUser.password}x`), 400, 'invalid_grant');
  });

  test('a client without refresh_token gets no refresh token', async () => {
    const r = await passwordGrant(server, 'bob', kUsers.bob, { client: kPasswordOnly });
    assertTokenResponse(r, { refresh: false });
    const claims = await verifyAccessToken(server, r.json.access_token);
    assert.equal(claims.sub, 'bob');
    assert.equal(claims.client_id, kPasswordOnly.client_id);
  });

  test('unknown user and wrong password: the same 400 invalid_grant body', async () => {
    const unknown = await passwordGrant(server, 'nobody-here', kUsers.bob);
    const wrong = await passwordGrant(server, 'bob', 'not-bobs-password');
    assertOAuthError(unknown, 400, 'invalid_grant');
    assertOAuthError(wrong, 400, 'invalid_grant');
    assert.equal(unknown.text, wrong.text);
    assert.doesNotMatch(wrong.text, /not-bobs-password|nobody-here/);
  });

  test('a client not registered for password -> 400 unauthorized_client', async () => {
    for (const client of [kRs, kEs]) {
      const r = await passwordGrant(server, 'alice', kUsers.alice, { client });
      assertOAuthError(r, 400, 'unauthorized_client');
    }
  });

  test('missing username or password -> 400 invalid_request', async () => {
    assertOAuthError(await post(server, '/oauth2/token', { grant_type: 'password', password: 'x' }), 400, 'invalid_request');
    assertOAuthError(await post(server, '/oauth2/token', { grant_type: 'password', username: 'alice' }), 400, 'invalid_request');
  });

  test('refresh: a new refresh token and a new access token, rotating each time', async () => {
    const first = await login(server, 'alice');
    const r1 = await refreshGrant(server, first.refresh_token);
    assertTokenResponse(r1);
    assert.notEqual(r1.json.refresh_token, first.refresh_token);
    assert.notEqual(r1.json.access_token, first.access_token);
    const claims = await verifyAccessToken(server, r1.json.access_token);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.client_id, kApp.client_id);
    const r2 = await refreshGrant(server, r1.json.refresh_token);
    assertTokenResponse(r2);
    assert.notEqual(r2.json.refresh_token, r1.json.refresh_token);
  });

  test('refresh with a narrower scope keeps the family scope for the next refresh', async () => {
    const first = await login(server, 'alice');
    const narrow = await post(server, '/oauth2/token', {
      grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'orders.read',
    });
    assertTokenResponse(narrow);
    assert.equal((await verifyAccessToken(server, narrow.json.access_token)).scope, 'orders.read');
    const wider = await post(server, '/oauth2/token', {
      grant_type: 'refresh_token', refresh_token: narrow.json.refresh_token, scope: 'orders.read orders.write admin',
    });
    assertOAuthError(wider, 400, 'invalid_scope');
    const full = await refreshGrant(server, narrow.json.refresh_token);
    assertTokenResponse(full);
    assert.equal((await verifyAccessToken(server, full.json.access_token)).scope, kApp.scope);
  });

  test('reusing a rotated refresh token -> invalid_grant, and the whole family is revoked', async () => {
    const first = await login(server, 'alice');
    const rotated = await refreshGrant(server, first.refresh_token);
    assertTokenResponse(rotated);
    assertOAuthError(await refreshGrant(server, first.refresh_token), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(server, rotated.json.refresh_token), 400, 'invalid_grant');
    assert.deepEqual((await introspect(server, rotated.json.refresh_token)).json, { active: false });
    // Another login of the same user is a different family, untouched.
    const other = await login(server, 'alice');
    assertTokenResponse(await refreshGrant(server, other.refresh_token));
  });

  test('an unknown refresh token -> invalid_grant', async () => {
    assertOAuthError(await refreshGrant(server, randomBytes(32).toString('base64url')), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(server, 'short'), 400, 'invalid_grant');
  });

  test('a refresh token presented by another client -> invalid_grant, and its family is revoked', async () => {
    const first = await login(server, 'alice');
    assertOAuthError(await refreshGrant(server, first.refresh_token, { client: kOtherApp }), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(server, first.refresh_token), 400, 'invalid_grant');
  });

  test('a client not registered for refresh_token -> unauthorized_client', async () => {
    const first = await login(server, 'alice');
    assertOAuthError(await refreshGrant(server, first.refresh_token, { client: kPasswordOnly }), 400, 'unauthorized_client');
    // Refused before the token was looked at: it still works for its client.
    assertTokenResponse(await refreshGrant(server, first.refresh_token));
  });

  test('RFC 7009 revocation of a refresh token -> refresh fails', async () => {
    const first = await login(server, 'alice');
    const rotated = await refreshGrant(server, first.refresh_token);
    assertTokenResponse(rotated);
    const r = await revoke(server, rotated.json.refresh_token);
    assert.equal(r.status, 200, r.text);
    assertOAuthError(await refreshGrant(server, rotated.json.refresh_token), 400, 'invalid_grant');
    assert.deepEqual((await introspect(server, rotated.json.refresh_token)).json, { active: false });
  });

  test('revocation of a refresh token by another client revokes nothing (200)', async () => {
    const first = await login(server, 'alice');
    const r = await revoke(server, first.refresh_token, { client: kOtherApp });
    assert.equal(r.status, 200, r.text);
    assertTokenResponse(await refreshGrant(server, first.refresh_token));
  });

  test('introspection of a refresh token: active for its client, inactive for another', async () => {
    const first = await login(server, 'alice');
    const mine = await introspect(server, first.refresh_token);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.headers.get('cache-control'), 'no-store');
    assert.equal(mine.json.active, true, mine.text);
    assert.equal(mine.json.token_type, 'refresh_token');
    assert.equal(mine.json.client_id, kApp.client_id);
    assert.equal(mine.json.sub, 'alice');
    assert.equal(mine.json.scope, kApp.scope);
    assert.ok(mine.json.exp > mine.json.iat, mine.text);
    for (const client of [kRs, kOtherApp]) {
      const theirs = await introspect(server, first.refresh_token, { client });
      assert.equal(theirs.status, 200, theirs.text);
      assert.deepEqual(theirs.json, { active: false });
    }
  });

  test('refresh with scope openid: a new ID token, verified against the JWKS, auth_time of the login', async () => {
    const before = Math.floor(Date.now() / 1000);
    const first = await login(server, 'alice', { client: kOidcApp });
    const after = Math.ceil(Date.now() / 1000);
    assert.equal(first.id_token, undefined, 'the password grant is not OpenID Connect');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const verifyIdToken = async (r) => {
      assertTokenResponse(r);
      assert.equal(typeof r.json.id_token, 'string', r.text);
      const { payload, protectedHeader } = await jwtVerify(r.json.id_token, jwks, {
        issuer: server.issuer,
        audience: kOidcApp.client_id,
        typ: 'JWT',
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'at_hash'],
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.sub, 'alice');
      assert.equal(payload.nonce, undefined, 'OIDC Core §12.2: no nonce on refresh');
      // OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url.
      const digest = createHash('sha256').update(r.json.access_token, 'ascii').digest();
      assert.equal(payload.at_hash, digest.subarray(0, 16).toString('base64url'));
      return payload;
    };
    const r1 = await refreshGrant(server, first.refresh_token, { client: kOidcApp });
    const id1 = await verifyIdToken(r1);
    assert.ok(id1.auth_time >= before && id1.auth_time <= after, `auth_time ${id1.auth_time}`);
    const r2 = await refreshGrant(server, r1.json.refresh_token, { client: kOidcApp });
    const id2 = await verifyIdToken(r2);
    assert.equal(id2.auth_time, id1.auth_time, 'the same login, not the refresh time');
    // Narrowed to a scope without openid: no ID token.
    const narrow = await post(server, '/oauth2/token', {
      grant_type: 'refresh_token', refresh_token: r2.json.refresh_token, scope: 'orders.read',
    }, { client: kOidcApp });
    assertTokenResponse(narrow);
    assert.equal(narrow.json.id_token, undefined, narrow.text);
  });

  test('refresh without openid in the grant: no ID token', async () => {
    const first = await login(server, 'alice');
    const r = await refreshGrant(server, first.refresh_token);
    assertTokenResponse(r);
    assert.equal(r.json.id_token, undefined, r.text);
  });

  test('a non-ASCII username and password (UTF-8 form fields)', async () => {
    const r = await passwordGrant(server, 'zoë', kUsers['zoë']);
    assertTokenResponse(r);
    assert.equal((await verifyAccessToken(server, r.json.access_token)).sub, 'zoë');
    assertOAuthError(await passwordGrant(server, 'zoe', kUsers['zoë']), 400, 'invalid_grant');
  });

  test('an oversized username is an ordinary invalid_grant', async () => {
    const r = await passwordGrant(server, 'u'.repeat(4000), 'x');
    assertOAuthError(r, 400, 'invalid_grant');
    assert.ok(r.text.length < 1000, 'the username is not echoed');
  });

  test('two concurrent refreshes with one token: exactly one succeeds, then the family is dead', async () => {
    const first = await login(server, 'alice');
    const results = await Promise.all([refreshGrant(server, first.refresh_token), refreshGrant(server, first.refresh_token)]);
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.text}`).join(' | '));
    assertOAuthError(results.find((r) => r.status !== 200), 400, 'invalid_grant');
    // The loser presented a retired token: reuse, so the winner's new token is revoked too.
    assertOAuthError(await refreshGrant(server, ok[0].json.refresh_token), 400, 'invalid_grant');
  });

  test('an unknown username is blocked like a known one after 10 failures (no existence oracle)', async () => {
    for (let i = 1; i <= 10; i += 1) assertOAuthError(await passwordGrant(server, 'ghost', `wrong-${i}`), 400, 'invalid_grant');
    assertTooManyAttempts(await passwordGrant(server, 'ghost', 'wrong-11'), 'unknown user, 11th attempt');
  });

  test('a success does not reset the failure count', async () => {
    for (let i = 1; i <= 9; i += 1) assertOAuthError(await passwordGrant(server, 'frank', `wrong-${i}`), 400, 'invalid_grant');
    assertTokenResponse(await passwordGrant(server, 'frank', kUsers.frank));
    assertOAuthError(await passwordGrant(server, 'frank', 'wrong-10'), 400, 'invalid_grant');
    assertTooManyAttempts(await passwordGrant(server, 'frank', kUsers.frank), 'after the 10th failure');
  });

  test('25 wrong passwords for one user: 429 from the 11th on, even with the right password', async () => {
    const statuses = [];
    for (let i = 1; i <= 25; i += 1) {
      const r = await passwordGrant(server, 'carol', `wrong-${i}`);
      statuses.push(r.status);
      if (i <= 10) assertOAuthError(r, 400, 'invalid_grant');
      else assertTooManyAttempts(r, `attempt ${i}`);
    }
    assert.deepEqual(statuses, [...Array(10).fill(400), ...Array(15).fill(429)]);
    assertTooManyAttempts(await passwordGrant(server, 'carol', kUsers.carol), 'the right password');
    // Another user from the same address still logs in (per-username limit, not per address).
    assertTokenResponse(await passwordGrant(server, 'dave', kUsers.dave));
  });
});

describe('single node: per-address guessing limit', { timeout: 120_000 }, () => {
  let server;
  before(async () => {
    server = await startSignet({
      extraClients: kExtraClients,
      extraConfig: usersYaml() + loginYaml({ perUsername: 1000, perIp: 5 }),
    });
  });
  after(async () => {
    if (server) await stopClean(server);
  });

  test('5 failures on different usernames from one address -> 429 for every user of it', async () => {
    const names = ['alice', 'bob', 'nobody-1', 'nobody-2', 'dev'];
    for (const name of names) assertOAuthError(await passwordGrant(server, name, 'wrong'), 400, 'invalid_grant');
    assertTooManyAttempts(await passwordGrant(server, 'erin', 'wrong'), 'a sixth username');
    assertTooManyAttempts(await passwordGrant(server, 'erin', kUsers.erin), 'the right password of an untouched user');
    // client_credentials has nothing to do with it.
    assert.equal((await clientCredentials(server)).status, 200);
  });
});

describe('openid-client v6 as the client', { timeout: 120_000 }, () => {
  let server;
  before(async () => {
    server = await startSignet({ extraClients: kExtraClients, extraConfig: usersYaml() + loginYaml({ perIp: 10_000 }) });
  });
  after(async () => {
    if (server) await stopClean(server);
  });

  // openid-client refuses plain-http issuers unless allowInsecureRequests (loopback, no TLS).
  const discover = (algorithm = 'oidc') =>
    oidc.discovery(new URL(server.issuer), kApp.client_id, undefined, oidc.ClientSecretBasic(kApp.client_secret), {
      algorithm,
      execute: [oidc.allowInsecureRequests],
    });

  // RFC 8414 §2 grant_types_supported: a client that checks the metadata before asking
  // must find both grants there.
  test('discovery lists the password and refresh_token grants', async () => {
    const md = (await discover()).serverMetadata();
    assert.ok(md.grant_types_supported?.includes('password'), JSON.stringify(md.grant_types_supported));
    assert.ok(md.grant_types_supported?.includes('refresh_token'), JSON.stringify(md.grant_types_supported));
  });

  for (const algorithm of ['oidc', 'oauth2']) {
    test(`genericGrantRequest(password) then refreshTokenGrant twice (${algorithm} discovery)`, async () => {
      const config = await discover(algorithm);
      const tokens = await oidc.genericGrantRequest(config, 'password', { username: 'alice', password: kUsers.alice });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.match(tokens.refresh_token, kRefreshTokenShape);
      assert.equal((await verifyAccessToken(server, tokens.access_token)).sub, 'alice');

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
      assert.match(refreshed.refresh_token, kRefreshTokenShape);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
      assert.ok(refreshed.expiresIn() > 0);
      const claims = await verifyAccessToken(server, refreshed.access_token);
      assert.equal(claims.sub, 'alice');
      assert.equal(claims.client_id, kApp.client_id);

      const again = await oidc.refreshTokenGrant(config, refreshed.refresh_token, { scope: 'orders.read' });
      assert.equal((await verifyAccessToken(server, again.access_token)).scope, 'orders.read');

      // The reused token: openid-client surfaces the RFC 6749 error.
      await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (err) => {
        assert.equal(err.error, 'invalid_grant', String(err));
        assert.equal(err.status, 400);
        return true;
      });
    });
  }

  test('openid-client sees invalid_grant for a wrong password', async () => {
    const config = await discover();
    await assert.rejects(oidc.genericGrantRequest(config, 'password', { username: 'bob', password: 'wrong' }), (err) => {
      assert.equal(err.error, 'invalid_grant', String(err));
      return true;
    });
  });
});

describe('two replicas sharing one Redis', { timeout: 180_000 }, () => {
  let redis;
  let work;
  let a;
  let b;

  before(async () => {
    // Append-only: a refresh token issued before the outage must still rotate after it.
    redis = await startRedis({ appendOnly: true });
    let options;
    ({ work, options } = redisReplicaOptions(redis, {
      issuer: 'http://127.0.0.1/signet-password',
      extraClients: kExtraClients,
      // Default login limits (10 per username, 100 per address).
      extraConfig: usersYaml(),
    }));
    a = await startSignet(options); // creates the key ring in Redis
    b = await startSignet(options); // loads the same one
    for (const server of [a, b]) await waitForLogin(server);
  });

  after(async () => {
    const stops = [a, b].filter(Boolean).map((s) => stopClean(s));
    const results = await Promise.allSettled(stops);
    await redis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });

  // The Redis client connects (and reconnects) in the background: poll the password grant
  // until it stops answering 503, at most 15 s.
  async function waitForLogin(server) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await passwordGrant(server, kDevUser.username, kDevUser.password, { timeoutMs: kFastMs });
      if (r.status !== 503) {
        assertTokenResponse(r);
        return r.json;
      }
      if (Date.now() > deadline) assert.fail(`password grant still 503 on ${server.url}: ${r.text}`);
      await sleep(50);
    }
  }

  test('login on A, refresh on B, introspection on either', async () => {
    const first = await login(a, 'alice');
    const onB = await refreshGrant(b, first.refresh_token);
    assertTokenResponse(onB);
    assert.equal((await verifyAccessToken(a, onB.json.access_token)).sub, 'alice');
    const i = await introspect(a, onB.json.refresh_token);
    assert.equal(i.json?.active, true, i.text);
    assert.equal(i.json.token_type, 'refresh_token');
    const onA = await refreshGrant(a, onB.json.refresh_token);
    assertTokenResponse(onA);
  });

  test('replaying the old refresh token on A revokes the family: B refuses the new one', async () => {
    const first = await login(a, 'alice');
    const rotated = await refreshGrant(b, first.refresh_token);
    assertTokenResponse(rotated);
    assertOAuthError(await refreshGrant(a, first.refresh_token), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(b, rotated.json.refresh_token), 400, 'invalid_grant');
    assert.deepEqual((await introspect(b, rotated.json.refresh_token)).json, { active: false });
  });

  test('revoked on A -> refresh on B fails', async () => {
    const first = await login(b, 'alice');
    assert.equal((await revoke(a, first.refresh_token)).status, 200);
    assertOAuthError(await refreshGrant(b, first.refresh_token), 400, 'invalid_grant');
  });

  test('concurrent refreshes of one token on A and B: exactly one succeeds, the family dies', async () => {
    const first = await login(a, 'alice');
    const results = await Promise.all([refreshGrant(a, first.refresh_token), refreshGrant(b, first.refresh_token)]);
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => `${r.status} ${r.text}`).join(' | '));
    assertOAuthError(results.find((r) => r.status !== 200), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(a, ok[0].json.refresh_token), 400, 'invalid_grant');
  });

  test('signet revoke --sub USER -> that user\'s refresh tokens and access tokens dead on both', async () => {
    const onA = await login(a, 'erin');
    const onB = await login(b, 'erin');
    const other = await login(a, 'alice');
    const r = runSignet(['revoke', '--sub', 'erin', '--config', a.configPath]);
    assert.equal(r.status, 0, r.stderr);
    for (const server of [a, b]) {
      assert.deepEqual((await introspect(server, onA.access_token, { client: kRs })).json, { active: false });
      assert.deepEqual((await introspect(server, onB.refresh_token)).json, { active: false });
    }
    assertOAuthError(await refreshGrant(b, onA.refresh_token), 400, 'invalid_grant');
    assertOAuthError(await refreshGrant(a, onB.refresh_token), 400, 'invalid_grant');
    assertTokenResponse(await refreshGrant(b, other.refresh_token));
  });

  test('failed-password counts are shared: 6 on A + 4 on B, then the 11th is 429 on either', async () => {
    for (let i = 1; i <= 6; i += 1) assertOAuthError(await passwordGrant(a, 'carol', `wrong-a-${i}`), 400, 'invalid_grant');
    for (let i = 1; i <= 4; i += 1) assertOAuthError(await passwordGrant(b, 'carol', `wrong-b-${i}`), 400, 'invalid_grant');
    assertTooManyAttempts(await passwordGrant(b, 'carol', 'wrong-b-5'), '11th attempt on B');
    assertTooManyAttempts(await passwordGrant(a, 'carol', kUsers.carol), 'right password on A');
    assertTooManyAttempts(await passwordGrant(b, 'carol', kUsers.carol), 'right password on B');
    // Another user is not affected.
    assertTokenResponse(await passwordGrant(b, 'dave', kUsers.dave));
  });

  test('Redis stopped: password and refresh 503 quickly, client_credentials 200; back without a restart', async () => {
    const fromA = await login(a, 'bob');
    const beforeOnB = await login(b, 'bob');

    await redis.stop();
    try {
      for (const server of [a, b]) {
        // A bound, not a measurement: an answer that waited for a dead Redis would be aborted.
        assertUnavailable(await passwordGrant(server, 'bob', kUsers.bob, { timeoutMs: kFastMs }), `password on ${server.url}`);
        assertUnavailable(await passwordGrant(server, 'bob', 'wrong', { timeoutMs: kFastMs }), `wrong password on ${server.url}`);
        assertUnavailable(await refreshGrant(server, beforeOnB.refresh_token, { timeoutMs: kFastMs }), `refresh on ${server.url}`);
        const cc = await clientCredentials(server, { timeoutMs: kFastMs });
        assert.equal(cc.status, 200, cc.text);
      }
    } finally {
      await redis.start();
    }

    for (const server of [a, b]) await waitForLogin(server);
    // The refresh tokens issued before the outage were neither used nor lost.
    assertTokenResponse(await refreshGrant(b, fromA.refresh_token));
    assertTokenResponse(await refreshGrant(a, beforeOnB.refresh_token));
  });

  test('Redis hung (SIGSTOP): password and refresh 503 within the bound, then recover', async () => {
    const first = await login(a, 'bob');
    redis.pause();
    try {
      assertUnavailable(await passwordGrant(a, 'bob', kUsers.bob, { timeoutMs: kFastMs }), 'password grant');
      assertUnavailable(await refreshGrant(b, first.refresh_token, { timeoutMs: kFastMs }), 'refresh');
      assert.equal((await clientCredentials(a, { timeoutMs: kFastMs })).status, 200);
    } finally {
      redis.resume();
    }
    await waitForLogin(a);
    await waitForLogin(b);
  });

  test('a refresh answered 503 (hung Redis) can be retried by the client', async () => {
    // The client did what RFC 6749 §5.2 / RFC 7009 §2.2.1 expect: it got 503 and retried the
    // same refresh token. If the rotation queued in the hung Redis ran after the 503, the retry
    // looks like a reuse and kills the login.
    const first = await login(a, 'bob');
    redis.pause();
    try {
      assertUnavailable(await refreshGrant(b, first.refresh_token, { timeoutMs: kFastMs }), 'refresh');
    } finally {
      redis.resume();
    }
    await waitForLogin(b);
    assertTokenResponse(await refreshGrant(b, first.refresh_token));
  });
});
