// The browser SSO endpoints at the HTTP level (issue 6): /oauth2/authorize with its login page
// and session, authorization codes at /oauth2/token, the ID token and userinfo, and
// /oauth2/logout (OIDC RP-Initiated Logout 1.0). Plain fetch with redirect: 'manual' and a
// cookie jar kept by hand (lib/browser.mjs HttpBrowser), so every status, Location, header and
// cookie attribute is asserted; the real-browser flow is sso_browser.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { HttpBrowser, authorizeParams, authorizeUrl, httpLogin, parseLoginForm } from './lib/browser.mjs';
import {
  kConfidentialClient, kLimitedUser, kPublicClient, kUser, ssoSignetOptions, startClientApp,
} from './lib/client_app.mjs';
import { postForm } from './lib/http.mjs';
import { kAudience, kClients, startSignet } from './lib/signet_server.mjs';

const kMaxFailures = 3; // login.max_failures_per_username of this suite
const rs = kClients.rs; // a confidential client_credentials client: the resource server

let server;
let appA; // kPublicClient's app, http://127.0.0.1:<port>
let appB; // kConfidentialClient's app, http://localhost:<port>
let jwks;

before(async () => {
  appA = await startClientApp({ host: '127.0.0.1' });
  appB = await startClientApp({ host: 'localhost' });
  server = await startSignet(ssoSignetOptions(
    [
      { app: appA, ...kPublicClient, redirectUris: [`${appA.origin}/other-callback`] },
      { app: appB, ...kConfidentialClient, redirectUris: [`${appB.origin}/other-callback`] },
    ],
    { login: { max_failures_per_username: kMaxFailures, max_failures_per_ip: 1000 } },
  ));
  jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
});

after(async () => {
  const code = await server?.stop();
  await appA?.close();
  await appB?.close();
  assert.equal(code, 0);
});

// --- helpers ---------------------------------------------------------------------------------

const clientOf = (app) => (app === appA ? kPublicClient : kConfidentialClient);
const authorize = (ua, params) => ua.get(authorizeUrl(server.url, params));

// Secrets that went over the wire in this suite (passwords, cookies, codes, tokens): none may
// appear in signet's log (checked by the last test).
const secrets = new Set([kUser.password, kLimitedUser.password]);
const keep = (...values) => values.filter(Boolean).forEach((v) => secrets.add(v));

// A browser with a fresh session of alice (logged in through kPublicClient's request).
// Returns { ua, code, params, verifier, response } (response: the login POST's answer).
async function newSession(app = appA, overrides = {}) {
  const ua = new HttpBrowser();
  const { params, verifier } = authorizeParams(clientOf(app), app, overrides);
  const { response } = await httpLogin(ua, authorizeUrl(server.url, params), kUser);
  assert.equal(response.status, 303, response.text);
  keep(response.locationUrl.searchParams.get('code'), ua.cookies.get('signet_session'), ua.cookies.get('signet_login'));
  return { ua, code: response.locationUrl.searchParams.get('code'), params, verifier, response };
}

// A code from the session of `ua` (no login page): { code, params, verifier }.
async function codeFor(ua, app = appA, overrides = {}) {
  const { params, verifier } = authorizeParams(clientOf(app), app, overrides);
  const r = await authorize(ua, params);
  assert.equal(r.status, 302, r.text);
  const code = r.locationUrl.searchParams.get('code');
  assert.ok(code, `no code in ${r.location}`);
  return { code, params, verifier };
}

// POST /oauth2/token grant_type=authorization_code as `client` authenticates.
function exchange(client, { code, redirect_uri, code_verifier }) {
  const form = { grant_type: 'authorization_code', code };
  if (redirect_uri !== undefined) form.redirect_uri = redirect_uri;
  if (code_verifier !== undefined) form.code_verifier = code_verifier;
  if (client.token_endpoint_auth_method === 'none') form.client_id = client.client_id;
  return postForm(server, '/oauth2/token', form, { client: client.client_secret ? client : null });
}

async function exchangeOk(app, { code, params, verifier }) {
  const r = await exchange(clientOf(app), { code, redirect_uri: params.redirect_uri, code_verifier: verifier });
  assert.equal(r.status, 200, r.text);
  keep(code, r.json.access_token, r.json.refresh_token, r.json.id_token);
  return r.json;
}

const introspect = (token, client = rs) => postForm(server, '/oauth2/introspect', { token }, { client });
const userinfo = (token) => fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });

function assertOAuthError(r, status, error) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error, error, r.text);
}

// RFC 6749 §4.1.2.1 after the redirect URI is validated: back to the client with error,
// error_description, state and iss (RFC 9207), never a code.
function assertRedirectError(r, app, params, error) {
  assert.equal(r.status, 302, r.text);
  const loc = r.locationUrl;
  assert.equal(`${loc.origin}${loc.pathname}`, params.redirect_uri ?? app.redirectUri, r.location);
  assert.equal(loc.searchParams.get('error'), error, r.location);
  assert.ok(loc.searchParams.get('error_description'), r.location);
  assert.equal(loc.searchParams.get('state'), params.state ?? null, r.location);
  assert.equal(loc.searchParams.get('iss'), server.issuer, r.location);
  assert.equal(loc.searchParams.get('code'), null, r.location);
}

// Before the redirect URI is validated: a 400 page, never a redirect (no open redirector).
function assertErrorPage(r, status = 400) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.location, null);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('cache-control') ?? '', /no-store/);
}

// The login page: the form of the contract, and its security headers.
function assertLoginPage(r, status = 200) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  const form = parseLoginForm(r.text);
  assert.ok(form, `no form in ${r.text.slice(0, 300)}`);
  assert.equal(form.method, 'post');
  // Relative, so it resolves under the page's own path (an issuer with a path prefix).
  assert.equal(new URL(form.action, `${server.issuer}/oauth2/authorize`).pathname,
               new URL(`${server.issuer}/oauth2/authorize`).pathname);
  const types = Object.fromEntries(form.inputs.map((i) => [i.name, i.type]));
  assert.equal(types.username, 'text');
  assert.equal(types.password, 'password');
  assert.equal(types.request_id, 'hidden');
  assert.equal(types.csrf_token, 'hidden');
  assert.ok(form.fields.request_id);
  assert.ok(form.fields.csrf_token);
  return form;
}

// The redirect of a successful authorization: code, state, iss (RFC 9207) at the redirect URI.
function assertCodeRedirect(r, params, status = 302) {
  assert.equal(r.status, status, r.text);
  const loc = r.locationUrl;
  assert.equal(`${loc.origin}${loc.pathname}`, params.redirect_uri, r.location);
  assert.ok(loc.searchParams.get('code'), r.location);
  assert.equal(loc.searchParams.get('state'), params.state);
  assert.equal(loc.searchParams.get('iss'), server.issuer);
  assert.equal(loc.searchParams.get('error'), null);
  assert.match(r.headers.get('cache-control') ?? '', /no-store/);
}

function cookieNamed(setCookies, name) {
  return setCookies.find((c) => c.name === name);
}

function assertBearerInvalidToken(res) {
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b.*error="invalid_token"/);
}

// --- discovery -------------------------------------------------------------------------------

test('discovery advertises the authorization and end-session endpoints', async () => {
  const doc = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
  assert.equal(doc.authorization_endpoint, `${server.issuer}/oauth2/authorize`);
  assert.equal(doc.end_session_endpoint, `${server.issuer}/oauth2/logout`);
  assert.deepEqual(doc.response_types_supported, ['code']);
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  assert.ok(doc.grant_types_supported.includes('authorization_code'), JSON.stringify(doc.grant_types_supported));
});

// --- point 1: the authorization endpoint ------------------------------------------------------

describe('authorize: login page and login POST', () => {
  test('no session -> 200 login page with the binding cookie and security headers', async () => {
    const ua = new HttpBrowser();
    const r = await authorize(ua, authorizeParams(kPublicClient, appA).params);
    assertLoginPage(r);
    const binding = cookieNamed(r.setCookies, 'signet_login');
    assert.ok(binding, JSON.stringify(r.setCookies));
    assert.ok(binding.value.length >= 16, 'a random binding value');
    assert.equal(binding.attributes.httponly, true);
    assert.equal(binding.attributes.samesite?.toLowerCase(), 'lax');
    assert.equal(binding.attributes.path, '/');
    assert.equal(binding.attributes.secure, undefined, 'plain http: no Secure');
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(cookieNamed(r.setCookies, 'signet_session'), undefined);
  });

  test('the request may also come as a POST (OIDC Core §3.1.2.1): without the session cookie it is sent on as the same GET', async () => {
    // A cross-site POST carries no SameSite=Lax cookie; the 303 GET navigation does.
    const ua = new HttpBrowser();
    const params = authorizeParams(kPublicClient, appA).params;
    const r = await ua.postForm(`${server.url}/oauth2/authorize`, params);
    assert.equal(r.status, 303, r.text);
    const next = new URL(r.location, `${server.url}/oauth2/authorize`);
    assert.equal(next.pathname, '/oauth2/authorize');
    assert.deepEqual(Object.fromEntries(next.searchParams), Object.fromEntries(new URLSearchParams(params)));
    assertLoginPage(await ua.get(next.href));
  });

  test('right credentials -> 303 to the redirect URI with code, state, iss and a session cookie', async () => {
    const { response, params } = await newSession(appA);
    assertCodeRedirect(response, params, 303);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const session = cookieNamed(response.setCookies, 'signet_session');
    assert.ok(session, JSON.stringify(response.setCookies));
    assert.ok(session.value.length >= 16);
    assert.equal(session.attributes.httponly, true);
    assert.equal(session.attributes.samesite?.toLowerCase(), 'lax');
    assert.equal(session.attributes.path, '/');
    assert.equal(session.attributes.secure, undefined, 'plain http: no Secure');
    assert.equal(session.attributes.domain, undefined, 'host-only');
  });

  test('wrong password or unknown user -> 401 page "Wrong username or password.", no session', async () => {
    for (const creds of [
      { username: kUser.username, password: 'not-the-password' },
      { username: 'nobody-at-all', password: kUser.password },
    ]) {
      const ua = new HttpBrowser();
      const { response } = await httpLogin(ua, authorizeUrl(server.url, authorizeParams(kPublicClient, appA).params), creds);
      assertLoginPage(response, 401);
      assert.match(response.text, /Wrong username or password\./);
      assert.equal(response.location, null);
      assert.equal(cookieNamed(response.setCookies, 'signet_session'), undefined);
      assert.ok(!response.text.includes(creds.password), 'the password is not echoed');
    }
  });

  test('the username refilled after a failure is HTML-escaped', async () => {
    const ua = new HttpBrowser();
    const hostile = '"><script>alert(1)</script><input name="x';
    const { response } = await httpLogin(ua, authorizeUrl(server.url, authorizeParams(kPublicClient, appA).params), { username: hostile, password: 'wrong' });
    assertLoginPage(response, 401);
    assert.ok(!response.text.includes('<script>alert(1)'), 'no raw markup from the username');
    assert.ok(!response.text.includes('name="x'), 'the attribute is not broken out of');
    assert.match(response.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  test(`past login.max_failures_per_username (${kMaxFailures}) -> 429 "Too many attempts" with Retry-After`, async () => {
    const ua = new HttpBrowser();
    let page = await authorize(ua, authorizeParams(kPublicClient, appA).params);
    let form = assertLoginPage(page);
    for (let i = 0; i < kMaxFailures; i += 1) {
      page = await ua.postForm(`${server.url}/oauth2/authorize`, { ...form.fields, username: kLimitedUser.username, password: `wrong-${i}` });
      form = assertLoginPage(page, 401);
    }
    // Blocked now, even with the right password.
    for (const password of ['wrong-again', kLimitedUser.password]) {
      const r = await ua.postForm(`${server.url}/oauth2/authorize`, { ...form.fields, username: kLimitedUser.username, password });
      assert.equal(r.status, 429, r.text);
      assert.match(r.text, /Too many attempts/);
      const retryAfter = r.headers.get('retry-after');
      assert.match(retryAfter ?? '', /^[0-9]+$/, `Retry-After ${retryAfter}`);
      assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 900, `Retry-After ${retryAfter}`);
      assert.equal(r.location, null);
      assert.equal(cookieNamed(r.setCookies, 'signet_session'), undefined);
      if (parseLoginForm(r.text)) form = parseLoginForm(r.text);
    }
    // Another user is not affected.
    const other = await httpLogin(new HttpBrowser(), authorizeUrl(server.url, authorizeParams(kPublicClient, appA).params), kUser);
    assert.equal(other.response.status, 303, other.response.text);
  });

  test('login POST with a bad, missing or foreign csrf_token, or without the cookie -> 400, no session', async () => {
    const url = () => authorizeUrl(server.url, authorizeParams(kPublicClient, appA).params);
    const post = (ua, fields) => ua.postForm(`${server.url}/oauth2/authorize`, fields);
    const creds = { username: kUser.username, password: kUser.password };

    const victim = new HttpBrowser();
    const form = parseLoginForm((await victim.get(url())).text);
    const bad = form.fields.csrf_token.slice(0, -2) + (form.fields.csrf_token.endsWith('AA') ? 'BB' : 'AA');
    const attacker = new HttpBrowser();
    const attackerForm = parseLoginForm((await attacker.get(url())).text);

    const cases = {
      'tampered csrf_token': [victim, { ...form.fields, ...creds, csrf_token: bad }],
      'no csrf_token': [victim, { request_id: form.fields.request_id, ...creds }],
      'empty csrf_token': [victim, { ...form.fields, ...creds, csrf_token: '' }],
      'no signet_login cookie': [new HttpBrowser(), { ...form.fields, ...creds }],
      // Login CSRF: the attacker's own form, posted from the victim's browser.
      "another browser's form": [victim, { ...attackerForm.fields, ...creds }],
    };
    for (const [what, [ua, fields]] of Object.entries(cases)) {
      const r = await post(ua, fields);
      assert.equal(r.status, 400, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.location, null, what);
      assert.match(r.headers.get('content-type') ?? '', /^text\/html/, what);
      assert.equal(cookieNamed(r.setCookies, 'signet_session'), undefined, what);
    }
    // The untouched form still works afterwards.
    const ok = await post(victim, { ...form.fields, ...creds });
    assert.equal(ok.status, 303, ok.text);
  });
});

describe('authorize: the session (single sign-on)', () => {
  test('with a session -> 302 straight to the redirect URI with code, state and iss, for either client', async () => {
    const { ua } = await newSession(appA);
    for (const app of [appA, appB]) {
      const { params } = authorizeParams(clientOf(app), app);
      assertCodeRedirect(await authorize(ua, params), params);
    }
  });

  test('prompt=none without a session -> 302 error=login_required with state and iss', async () => {
    const { params } = authorizeParams(kPublicClient, appA, { prompt: 'none' });
    assertRedirectError(await authorize(new HttpBrowser(), params), appA, params, 'login_required');
  });

  test('prompt=none with a session -> 302 with a code', async () => {
    const { ua } = await newSession(appA);
    const { params } = authorizeParams(kConfidentialClient, appB, { prompt: 'none' });
    assertCodeRedirect(await authorize(ua, params), params);
  });

  test('prompt=login or max_age=0 with a session -> the login page again', async () => {
    const { ua } = await newSession(appA);
    for (const overrides of [{ prompt: 'login' }, { max_age: '0' }]) {
      const r = await authorize(ua, authorizeParams(kPublicClient, appA, overrides).params);
      assertLoginPage(r);
    }
    // Logging in again there issues a code.
    const { response } = await httpLogin(ua, authorizeUrl(server.url, authorizeParams(kPublicClient, appA, { prompt: 'login' }).params), kUser);
    assert.equal(response.status, 303, response.text);
  });

  test('a made-up session cookie is no session', async () => {
    const ua = new HttpBrowser();
    ua.cookies.set('signet_session', 'A'.repeat(43));
    assertLoginPage(await authorize(ua, authorizeParams(kPublicClient, appA).params));
  });
});

describe('authorize: errors before the redirect URI is validated -> 400 page, no redirect', () => {
  const cases = {
    'unknown client_id': { client_id: 'no-such-client' },
    'missing client_id': { client_id: undefined },
    'unregistered redirect_uri': { redirect_uri: 'https://evil.example/callback' },
    "another client's redirect_uri": { redirect_uri: 'B' },
    'redirect_uri differing in the path': { redirect_uri: 'A+' },
    'missing redirect_uri': { redirect_uri: undefined },
  };
  for (const [what, overrides] of Object.entries(cases)) {
    test(what, async () => {
      const o = { ...overrides };
      if (o.redirect_uri === 'B') o.redirect_uri = appB.redirectUri;
      if (o.redirect_uri === 'A+') o.redirect_uri = `${appA.redirectUri}/x`;
      const { params } = authorizeParams(kPublicClient, appA, o);
      const r = await authorize(new HttpBrowser(), params);
      assertErrorPage(r);
      assert.equal(parseLoginForm(r.text), null, 'no login form');
      // Also with a session: still no redirect.
      const { ua } = await newSession(appA);
      assertErrorPage(await authorize(ua, params));
    });
  }
});

describe('authorize: errors after the redirect URI is validated -> 302 back with error', () => {
  const cases = [
    ['response_type=token', kPublicClient, { response_type: 'token' }, 'unsupported_response_type'],
    ['missing response_type', kPublicClient, { response_type: undefined }, 'invalid_request'],
    ['public client without code_challenge', kPublicClient, { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', kPublicClient, { code_challenge_method: 'plain' }, 'invalid_request'],
    ['code_challenge without a method (plain)', kPublicClient, { code_challenge_method: undefined }, 'invalid_request'],
    ["scope outside the client's", kPublicClient, { scope: 'openid admin' }, 'invalid_scope'],
    ["confidential client: scope outside the client's", kConfidentialClient, { scope: 'openid orders.read' }, 'invalid_scope'],
    ['unknown prompt value', kPublicClient, { prompt: 'sometimes' }, 'invalid_request'],
    ['request object', kPublicClient, { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
  ];
  for (const [what, client, overrides, error] of cases) {
    test(`${what} -> ${error}`, async () => {
      const app = client === kPublicClient ? appA : appB;
      const { params } = authorizeParams(client, app, overrides);
      assertRedirectError(await authorize(new HttpBrowser(), params), app, params, error);
    });
  }

  test('without state: the error comes back without state', async () => {
    const { params } = authorizeParams(kPublicClient, appA, { response_type: 'token', state: undefined });
    assertRedirectError(await authorize(new HttpBrowser(), params), appA, params, 'unsupported_response_type');
  });

  test('a confidential client may omit PKCE', async () => {
    const { ua } = await newSession(appA);
    const { params } = authorizeParams(kConfidentialClient, appB, { code_challenge: undefined, code_challenge_method: undefined });
    const r = await authorize(ua, params);
    assertCodeRedirect(r, params);
    const tokens = await exchange(kConfidentialClient, { code: r.locationUrl.searchParams.get('code'), redirect_uri: params.redirect_uri });
    assert.equal(tokens.status, 200, tokens.text);
  });
});

// --- point 4: authorization codes ------------------------------------------------------------

describe('authorization codes at the token endpoint', () => {
  test('a code exchanges once for access, ID and refresh tokens (no-store)', async () => {
    const { ua } = await newSession(appA);
    for (const app of [appA, appB]) {
      const grant = await codeFor(ua, app);
      const r = await exchange(clientOf(app), { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: grant.verifier });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      assert.equal(r.json.token_type, 'Bearer');
      assert.ok(r.json.access_token && r.json.id_token && r.json.refresh_token, r.text);
      assert.equal(r.json.scope, 'openid profile email');
    }
  });

  test('second exchange -> invalid_grant, and the first exchange\'s tokens become inactive', async () => {
    const { ua } = await newSession(appA);
    const grant = await codeFor(ua, appB);
    const first = await exchangeOk(appB, grant);
    assert.equal((await introspect(first.access_token)).json.active, true);
    assert.equal((await introspect(first.refresh_token, kConfidentialClient)).json.active, true);

    const second = await exchange(kConfidentialClient, { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: grant.verifier });
    assertOAuthError(second, 400, 'invalid_grant');
    assert.equal(second.json.access_token, undefined);

    assert.deepEqual((await introspect(first.access_token)).json, { active: false });
    assert.deepEqual((await introspect(first.refresh_token, kConfidentialClient)).json, { active: false });
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { client: kConfidentialClient });
    assertOAuthError(refresh, 400, 'invalid_grant');
  });

  test('second exchange of a public client\'s code: its refresh token stops working', async () => {
    const { ua } = await newSession(appA);
    const grant = await codeFor(ua, appA);
    const first = await exchangeOk(appA, grant);
    const second = await exchange(kPublicClient, { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: grant.verifier });
    assertOAuthError(second, 400, 'invalid_grant');
    assert.deepEqual((await introspect(first.access_token)).json, { active: false });
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: kPublicClient.client_id }, { client: null });
    assertOAuthError(refresh, 400, 'invalid_grant');
  });

  test('wrong redirect_uri -> invalid_grant', async () => {
    const { ua } = await newSession(appA);
    for (const app of [appA, appB]) {
      const grant = await codeFor(ua, app);
      // Registered for the client, but not the one of the authorization request (RFC 6749 §4.1.3).
      const r = await exchange(clientOf(app), { code: grant.code, redirect_uri: `${app.origin}/other-callback`, code_verifier: grant.verifier });
      assertOAuthError(r, 400, 'invalid_grant');
    }
  });

  test('wrong or missing code_verifier -> invalid_grant, and the code is burnt', async () => {
    const { ua } = await newSession(appA);
    for (const verifier of [ 'x'.repeat(43), undefined ]) {
      const grant = await codeFor(ua, appA);
      const r = await exchange(kPublicClient, { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: verifier });
      assertOAuthError(r, 400, 'invalid_grant');
      const retry = await exchange(kPublicClient, { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: grant.verifier });
      assertOAuthError(retry, 400, 'invalid_grant');
    }
  });

  test("another client's code -> invalid_grant", async () => {
    const { ua } = await newSession(appA);
    const grant = await codeFor(ua, appA); // issued to the public client
    const r = await exchange(kConfidentialClient, { code: grant.code, redirect_uri: grant.params.redirect_uri, code_verifier: grant.verifier });
    assertOAuthError(r, 400, 'invalid_grant');
    const grantB = await codeFor(ua, appB); // issued to the confidential client
    const r2 = await exchange(kPublicClient, { code: grantB.code, redirect_uri: grantB.params.redirect_uri, code_verifier: grantB.verifier });
    assertOAuthError(r2, 400, 'invalid_grant');
  });

  test('an unknown code -> invalid_grant', async () => {
    const r = await exchange(kPublicClient, { code: 'A'.repeat(43), redirect_uri: appA.redirectUri, code_verifier: 'x'.repeat(43) });
    assertOAuthError(r, 400, 'invalid_grant');
  });
});

// --- point 5: the ID token and userinfo ------------------------------------------------------

describe('ID token and userinfo', () => {
  const atHash = (token) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

  test('the ID token carries iss sub aud exp iat auth_time nonce at_hash sid and the scope\'s claims', async () => {
    const started = Math.floor(Date.now() / 1000) - 1;
    const { ua, code, params, verifier } = await newSession(appA);
    const tokens = await exchangeOk(appA, { code, params, verifier });
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, jwks, {
      issuer: server.issuer, audience: kPublicClient.client_id,
    });
    assert.equal(protectedHeader.typ, 'JWT');
    assert.equal(payload.sub, kUser.username);
    assert.equal(payload.aud, kPublicClient.client_id);
    assert.equal(payload.nonce, params.nonce);
    assert.equal(payload.at_hash, atHash(tokens.access_token));
    assert.equal(typeof payload.sid, 'string');
    assert.ok(payload.sid.length > 0);
    assert.ok(Number.isInteger(payload.auth_time) && payload.auth_time >= started && payload.auth_time <= payload.iat, JSON.stringify(payload));
    assert.ok(payload.exp > payload.iat);
    assert.equal(payload.email, kUser.claims.email);
    assert.equal(payload.email_verified, true);
    assert.equal(payload.name, kUser.claims.name);

    // The same session for the other client: same sid and auth_time, its own aud and nonce.
    const grantB = await codeFor(ua, appB, { scope: 'openid' });
    const tokensB = await exchangeOk(appB, grantB);
    const b = (await jwtVerify(tokensB.id_token, jwks, { issuer: server.issuer, audience: kConfidentialClient.client_id })).payload;
    assert.equal(b.sid, payload.sid);
    assert.equal(b.auth_time, payload.auth_time);
    assert.equal(b.nonce, grantB.params.nonce);
    // scope openid alone releases no profile or email claim (OIDC Core §5.4).
    assert.equal(b.email, undefined);
    assert.equal(b.name, undefined);
  });

  test('userinfo with the access token -> sub and the claims of the scope', async () => {
    const { ua, code, params, verifier } = await newSession(appA);
    const tokens = await exchangeOk(appA, { code, params, verifier });
    // An openid access token names the userinfo endpoint as an audience (next to the client's
    // API audience), which is what userinfo accepts.
    const aud = [decodeJwt(tokens.access_token).aud].flat();
    assert.ok(aud.includes(`${server.issuer}/oauth2/userinfo`), JSON.stringify(aud));
    const res = await userinfo(tokens.access_token);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { sub: kUser.username, ...kUser.claims });

    const grant = await codeFor(ua, appB, { scope: 'openid email' });
    const emailOnly = await exchangeOk(appB, grant);
    const res2 = await userinfo(emailOnly.access_token);
    assert.equal(res2.status, 200);
    assert.deepEqual(await res2.json(), { sub: kUser.username, email: kUser.claims.email, email_verified: true });
  });

  test('a revoked access token -> 401 invalid_token', async () => {
    const { ua } = await newSession(appA);
    const tokens = await exchangeOk(appB, await codeFor(ua, appB));
    assert.equal((await userinfo(tokens.access_token)).status, 200);
    const revoked = await postForm(server, '/oauth2/revoke', { token: tokens.access_token }, { client: kConfidentialClient });
    assert.equal(revoked.status, 200, revoked.text);
    assertBearerInvalidToken(await userinfo(tokens.access_token));
  });

  test('tokens not for userinfo (client_credentials: no user, foreign audience) or not access tokens -> 401 invalid_token', async () => {
    const { code, params, verifier } = await newSession(appA);
    const tokens = await exchangeOk(appA, { code, params, verifier });
    // A client_credentials token: its sub is a client, no user.
    const cc = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', resource: kAudience }, { client: rs });
    assert.equal(cc.status, 200, cc.text);
    assertBearerInvalidToken(await userinfo(cc.json.access_token));
    // The ID token is no access token (typ JWT, not at+jwt).
    assertBearerInvalidToken(await userinfo(tokens.id_token));
  });

  test('an access token without scope openid -> 401 invalid_token', async () => {
    const { ua } = await newSession(appA);
    const tokens = await exchangeOk(appA, await codeFor(ua, appA, { scope: 'orders.read', nonce: undefined }));
    assert.equal(tokens.id_token, undefined, 'no openid, no ID token');
    assert.ok(![decodeJwt(tokens.access_token).aud].flat().includes(`${server.issuer}/oauth2/userinfo`));
    assertBearerInvalidToken(await userinfo(tokens.access_token));
  });

  test('a token with our claims signed by a foreign key -> 401 invalid_token', async () => {
    const { code, params, verifier } = await newSession(appA);
    const tokens = await exchangeOk(appA, { code, params, verifier });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(tokens.access_token))
      .setProtectedHeader(decodeProtectedHeader(tokens.access_token))
      .sign(privateKey);
    assertBearerInvalidToken(await userinfo(forged));
  });
});

// --- point 6: logout -------------------------------------------------------------------------

describe('logout (OIDC RP-Initiated Logout 1.0)', () => {
  const logoutUrl = (params) => {
    const url = new URL('/oauth2/logout', server.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  };

  // A session and its ID token (issued to kPublicClient unless app is appB).
  async function sessionWithIdToken(app = appA) {
    const s = await newSession(appA);
    const grant = app === appA ? { code: s.code, params: s.params, verifier: s.verifier } : await codeFor(s.ua, app);
    const tokens = await exchangeOk(app, grant);
    return { ...s, tokens, cookie: s.ua.cookies.get('signet_session') };
  }

  // The session of the cookie value `cookie` is over in the store: presenting it again (even
  // after the browser was told to drop it) gets the login page, and prompt=none login_required.
  async function assertSessionEnded(cookie) {
    const ua = new HttpBrowser();
    ua.cookies.set('signet_session', cookie);
    assertLoginPage(await authorize(ua, authorizeParams(kPublicClient, appA).params));
    const { params } = authorizeParams(kPublicClient, appA, { prompt: 'none' });
    const ua2 = new HttpBrowser();
    ua2.cookies.set('signet_session', cookie);
    assertRedirectError(await authorize(ua2, params), appA, params, 'login_required');
  }

  async function assertSessionAlive(ua) {
    const { params } = authorizeParams(kPublicClient, appA, { prompt: 'none' });
    assertCodeRedirect(await authorize(ua, params), params);
  }

  function assertCookieCleared(r) {
    const c = cookieNamed(r.setCookies, 'signet_session');
    assert.ok(c, `no Set-Cookie for signet_session: ${JSON.stringify(r.setCookies)}`);
    const maxAge = c.attributes['max-age'];
    const expired = (maxAge !== undefined && Number(maxAge) <= 0)
      || (c.attributes.expires !== undefined && Date.parse(c.attributes.expires) <= Date.now());
    assert.ok(expired, JSON.stringify(c));
    assert.equal(c.attributes.path, '/');
  }

  test('id_token_hint + registered post_logout_redirect_uri + state -> 302 there with state; session ended', async () => {
    for (const app of [appA, appB]) {
      const s = await sessionWithIdToken(app);
      const r = await s.ua.get(logoutUrl({ id_token_hint: s.tokens.id_token, post_logout_redirect_uri: app.postLogoutUri, state: 'xyz' }));
      assert.equal(r.status, 302, r.text);
      const loc = r.locationUrl;
      assert.equal(`${loc.origin}${loc.pathname}`, app.postLogoutUri);
      assert.equal(loc.searchParams.get('state'), 'xyz');
      assertCookieCleared(r);
      await assertSessionEnded(s.cookie);
    }
  });

  test('id_token_hint without post_logout_redirect_uri -> 200 "signed out" page; session ended', async () => {
    const s = await sessionWithIdToken();
    const r = await s.ua.get(logoutUrl({ id_token_hint: s.tokens.id_token }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.location, null);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /signed out/i);
    assertCookieCleared(r);
    await assertSessionEnded(s.cookie);
  });

  test('the ID token of an ended session still names the client: a second logout is no error', async () => {
    const s = await sessionWithIdToken();
    assert.equal((await s.ua.get(logoutUrl({ id_token_hint: s.tokens.id_token }))).status, 200);
    const again = await new HttpBrowser().get(logoutUrl({ id_token_hint: s.tokens.id_token, post_logout_redirect_uri: appA.postLogoutUri, state: 's2' }));
    assert.equal(again.status, 302, again.text);
    assert.equal(again.locationUrl.searchParams.get('state'), 's2');
  });

  test('logout revokes the refresh tokens of the session (every client), not those of another session', async () => {
    const refresh = (client, token) => postForm(server, '/oauth2/token',
      { grant_type: 'refresh_token', refresh_token: token, ...(client.client_secret ? {} : { client_id: client.client_id }) },
      { client: client.client_secret ? client : null });
    // Session 1: both clients hold refresh tokens. Session 2: the same user in another browser.
    const s = await sessionWithIdToken(appB);
    const spa = await exchangeOk(appA, await codeFor(s.ua, appA));
    const other = await sessionWithIdToken(appB);
    const r = await s.ua.get(logoutUrl({ id_token_hint: s.tokens.id_token, post_logout_redirect_uri: appB.postLogoutUri }));
    assert.equal(r.status, 302, r.text);
    await assertSessionEnded(s.cookie);

    assertOAuthError(await refresh(kConfidentialClient, s.tokens.refresh_token), 400, 'invalid_grant');
    assertOAuthError(await refresh(kPublicClient, spa.refresh_token), 400, 'invalid_grant');
    assert.deepEqual((await introspect(s.tokens.refresh_token, kConfidentialClient)).json, { active: false });
    // Access tokens are self-contained: they live until they expire.
    assert.equal((await introspect(s.tokens.access_token)).json.active, true);

    const still = await refresh(kConfidentialClient, other.tokens.refresh_token);
    assert.equal(still.status, 200, still.text);
    keep(still.json.access_token, still.json.refresh_token, still.json.id_token);
    await assertSessionAlive(other.ua);
  });

  describe('refused -> 400 page, never a redirect, session kept', () => {
    const cases = {
      'unregistered post_logout_redirect_uri': (s) => ({ id_token_hint: s.tokens.id_token, post_logout_redirect_uri: 'https://evil.example/', state: 'x' }),
      "another client's post_logout_redirect_uri": (s) => ({ id_token_hint: s.tokens.id_token, post_logout_redirect_uri: appB.postLogoutUri }),
      'post_logout_redirect_uri without id_token_hint or client_id': () => ({ post_logout_redirect_uri: appA.postLogoutUri }),
      'invalid id_token_hint': () => ({ id_token_hint: 'not.a.jwt', post_logout_redirect_uri: appA.postLogoutUri }),
      'tampered id_token_hint': (s) => {
        const [h, p, sig] = s.tokens.id_token.split('.');
        const claims = JSON.parse(Buffer.from(p, 'base64url'));
        claims.sub = 'mallory';
        return { id_token_hint: [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.'), post_logout_redirect_uri: appA.postLogoutUri };
      },
      'an access token as id_token_hint': (s) => ({ id_token_hint: s.tokens.access_token, post_logout_redirect_uri: appA.postLogoutUri }),
      'client_id not matching the hint': (s) => ({ id_token_hint: s.tokens.id_token, client_id: kConfidentialClient.client_id, post_logout_redirect_uri: appA.postLogoutUri }),
    };
    for (const [what, paramsOf] of Object.entries(cases)) {
      test(what, async () => {
        const s = await sessionWithIdToken();
        const r = await s.ua.get(logoutUrl(paramsOf(s)));
        assertErrorPage(r);
        assert.equal(cookieNamed(r.setCookies, 'signet_session'), undefined, 'cookie kept');
        await assertSessionAlive(s.ua);
      });
    }

    test('a foreign id_token_hint (our claims, another key)', async () => {
      const s = await sessionWithIdToken();
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(decodeJwt(s.tokens.id_token))
        .setProtectedHeader(decodeProtectedHeader(s.tokens.id_token))
        .sign(privateKey);
      const r = await s.ua.get(logoutUrl({ id_token_hint: forged, post_logout_redirect_uri: appA.postLogoutUri, state: 'x' }));
      assertErrorPage(r);
      await assertSessionAlive(s.ua);
    });
  });

  test('client_id + post_logout_redirect_uri without id_token_hint -> confirmation; posting it redirects with state', async () => {
    const s = await sessionWithIdToken(appB);
    const page = await s.ua.get(logoutUrl({ client_id: kConfidentialClient.client_id, post_logout_redirect_uri: appB.postLogoutUri, state: 'st1' }));
    assert.equal(page.status, 200, page.text);
    assert.equal(page.location, null);
    const form = parseLoginForm(page.text);
    assert.ok(form?.fields.csrf_token, page.text.slice(0, 300));
    assert.equal(new URL(form.action, `${server.url}/oauth2/logout`).pathname, '/oauth2/logout');
    await assertSessionAlive(s.ua);
    const done = await s.ua.postForm(new URL(form.action, `${server.url}/oauth2/logout`), form.fields);
    assert.ok(done.status === 302 || done.status === 303, `${done.status} ${done.text.slice(0, 200)}`);
    assert.equal(`${done.locationUrl.origin}${done.locationUrl.pathname}`, appB.postLogoutUri);
    assert.equal(done.locationUrl.searchParams.get('state'), 'st1');
    assertCookieCleared(done);
    await assertSessionEnded(s.cookie);
  });

  test('client_id + an unregistered post_logout_redirect_uri without id_token_hint -> 400 page', async () => {
    const s = await sessionWithIdToken();
    for (const params of [
      { client_id: kPublicClient.client_id, post_logout_redirect_uri: 'https://evil.example/', state: 'x' },
      { client_id: kPublicClient.client_id, post_logout_redirect_uri: appB.postLogoutUri },
      { client_id: 'no-such-client', post_logout_redirect_uri: appA.postLogoutUri },
    ]) {
      const r = await s.ua.get(logoutUrl(params));
      assertErrorPage(r);
      await assertSessionAlive(s.ua);
    }
  });

  test('without id_token_hint, with a session -> 200 confirmation form; posting it ends the session', async () => {
    const s = await sessionWithIdToken();
    const page = await s.ua.get(logoutUrl({}));
    assert.equal(page.status, 200, page.text);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const form = parseLoginForm(page.text);
    assert.ok(form, page.text.slice(0, 300));
    assert.equal(form.method, 'post');
    assert.equal(new URL(form.action, `${server.url}/oauth2/logout`).pathname, '/oauth2/logout');
    assert.ok(form.fields.csrf_token);
    assert.equal(form.inputs.find((i) => i.name === 'csrf_token').type, 'hidden');
    await assertSessionAlive(s.ua); // showing the page ends nothing

    // A post without the right csrf_token (a cross-site form) ends nothing: signet shows the
    // confirmation again (200) or an error page (400), and keeps the cookie and the session.
    for (const fields of [{}, { ...form.fields, csrf_token: 'A'.repeat(43) }]) {
      const bad = await s.ua.postForm(new URL(form.action, `${server.url}/oauth2/logout`), fields);
      assert.ok(bad.status === 200 || bad.status === 400, `${bad.status} ${bad.text.slice(0, 200)}`);
      assert.equal(bad.location, null);
      assert.equal(cookieNamed(bad.setCookies, 'signet_session'), undefined, 'cookie kept');
      assert.doesNotMatch(bad.text, /signed out/i);
      await assertSessionAlive(s.ua);
    }

    const done = await s.ua.postForm(new URL(form.action, `${server.url}/oauth2/logout`), form.fields);
    assert.ok(done.status === 200 || done.status === 303 || done.status === 302, `${done.status} ${done.text}`);
    assertCookieCleared(done);
    await assertSessionEnded(s.cookie);
  });
});

// --- the suite's logins, single sign-ons and logouts were counted ------------------------------

test('/metrics counts the logins by result, the single sign-ons and the logouts of this suite', async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const sample = (series) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    assert.ok(line, `no ${series} in /metrics`);
    return Number(line.split(' ')[1]);
  };
  assert.ok(sample('signet_logins_total{result="success"}') >= 5);
  assert.ok(sample('signet_logins_total{result="wrong_credentials"}') >= 1);
  assert.ok(sample('signet_logins_total{result="too_many_attempts"}') >= 1);
  assert.ok(sample('signet_single_sign_on_total') >= 1);
  assert.ok(sample('signet_logouts_total') >= 1);
});

// --- last: nothing secret in the log ---------------------------------------------------------

test('the log names no password, cookie, code or token of this suite', () => {
  assert.ok(secrets.size > 20, `only ${secrets.size} secrets collected`);
  const log = server.output;
  assert.match(log, /path=\/oauth2\/authorize/, 'the access log is there');
  for (const secret of secrets) {
    assert.ok(!log.includes(secret), `the log contains a secret (${secret.slice(0, 6)}...)`);
  }
});
