// Browser sessions on two signet replicas sharing one real Redis (issue 6): a session made by
// logging in at replica A is honoured by replica B (a code without the login page), codes
// issued by one replica are redeemed at the other, and a logout at B ends the session for A.
// HTTP level (lib/browser.mjs HttpBrowser); one cookie jar plays the browser behind a load
// balancer that sends each request to whichever replica the test names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { HttpBrowser, authorizeParams, authorizeUrl, httpLogin, parseLoginForm } from './lib/browser.mjs';
import { kConfidentialClient, kPublicClient, kUser, ssoSignetOptions, startClientApp } from './lib/client_app.mjs';
import { postForm } from './lib/http.mjs';
import { kAudience, kClients, redisReplicaOptions, startSignet } from './lib/signet_server.mjs';
import { startRedis } from './lib/redis_server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// One issuer for both replicas, as behind a load balancer (not where either answers; http is
// accepted for loopback hosts only).
const kIssuer = 'http://127.0.0.1/signet-sso';
const rs = kClients.rs;

describe('SSO session on two replicas sharing one Redis', () => {
  let redis;
  let work;
  let a;
  let b;
  let appA; // public client
  let appB; // confidential client
  let jwks;

  // The Redis client connects in the background after start-up (readiness does not wait for
  // it): poll until introspection stops answering 503 on `server`.
  async function waitForStore(server) {
    const cc = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', resource: kAudience }, { client: rs });
    assert.equal(cc.status, 200, cc.text);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await postForm(server, '/oauth2/introspect', { token: cc.json.access_token }, { client: rs });
      if (r.status !== 503) return;
      if (Date.now() > deadline) assert.fail(`store still unavailable on ${server.url}: ${r.text}`);
      await sleep(50);
    }
  }

  before(async () => {
    redis = await startRedis();
    appA = await startClientApp({ host: '127.0.0.1' });
    appB = await startClientApp({ host: 'localhost' });
    let options;
    ({ work, options } = redisReplicaOptions(redis, ssoSignetOptions(
      [{ app: appA, ...kPublicClient }, { app: appB, ...kConfidentialClient }],
      { issuer: kIssuer },
    )));
    a = await startSignet(options); // creates the key ring in Redis
    b = await startSignet(options); // loads the same one
    await waitForStore(a);
    await waitForStore(b);
    // Both replicas publish the same key ring.
    jwks = createRemoteJWKSet(new URL(`${a.url}/.well-known/jwks.json`));
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await redis?.close();
    await appA?.close();
    await appB?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.deepEqual(codes, [0, 0]);
  });

  const clientOf = (app) => (app === appA ? kPublicClient : kConfidentialClient);

  function exchange(server, app, { code, params, verifier }) {
    const client = clientOf(app);
    const form = { grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri, code_verifier: verifier };
    if (!client.client_secret) form.client_id = client.client_id;
    return postForm(server, '/oauth2/token', form, { client: client.client_secret ? client : null });
  }

  // A code from `server` for the session in `ua`, without the login page.
  async function codeAt(server, ua, app, overrides = {}) {
    const { params, verifier } = authorizeParams(clientOf(app), app, overrides);
    const r = await ua.get(authorizeUrl(server.url, params));
    assert.equal(r.status, 302, `${server.url}: ${r.status} ${r.text.slice(0, 300)}`);
    const loc = r.locationUrl;
    assert.equal(`${loc.origin}${loc.pathname}`, app.redirectUri);
    assert.equal(loc.searchParams.get('state'), params.state);
    assert.equal(loc.searchParams.get('iss'), kIssuer);
    assert.ok(loc.searchParams.get('code'), r.location);
    return { code: loc.searchParams.get('code'), params, verifier };
  }

  async function loginAt(server, app = appA) {
    const ua = new HttpBrowser();
    const { params, verifier } = authorizeParams(clientOf(app), app);
    const { response } = await httpLogin(ua, authorizeUrl(server.url, params), kUser);
    assert.equal(response.status, 303, response.text);
    assert.equal(response.locationUrl.searchParams.get('iss'), kIssuer);
    return { ua, grant: { code: response.locationUrl.searchParams.get('code'), params, verifier } };
  }

  async function idClaims(tokens, app) {
    return (await jwtVerify(tokens.id_token, jwks, { issuer: kIssuer, audience: clientOf(app).client_id })).payload;
  }

  const isLoginPage = (r) => r.status === 200 && parseLoginForm(r.text)?.fields.request_id !== undefined;

  test('log in at A, SSO at B, codes redeemed across replicas, log out at B ends it at A', async () => {
    const { ua, grant } = await loginAt(a, appA);
    const cookie = ua.cookies.get('signet_session');
    assert.ok(cookie);

    // B honours A's session: a code for the other client, no login page.
    const grantB = await codeAt(b, ua, appB);

    // Each code is redeemed at the other replica.
    const tokensFromA = await exchange(b, appA, grant);
    assert.equal(tokensFromA.status, 200, tokensFromA.text);
    const tokensFromB = await exchange(a, appB, grantB);
    assert.equal(tokensFromB.status, 200, tokensFromB.text);
    const claimsA = await idClaims(tokensFromA.json, appA);
    const claimsB = await idClaims(tokensFromB.json, appB);
    assert.equal(claimsA.sub, kUser.username);
    assert.equal(claimsB.sid, claimsA.sid, 'one session across replicas');
    assert.equal(claimsB.auth_time, claimsA.auth_time);
    assert.equal(claimsB.nonce, grantB.params.nonce);

    // Logout at B.
    const logout = new URL('/oauth2/logout', b.url);
    logout.searchParams.set('id_token_hint', tokensFromB.json.id_token);
    logout.searchParams.set('post_logout_redirect_uri', appB.postLogoutUri);
    logout.searchParams.set('state', 'bye');
    const r = await ua.get(logout);
    assert.equal(r.status, 302, r.text);
    assert.equal(`${r.locationUrl.origin}${r.locationUrl.pathname}`, appB.postLogoutUri);
    assert.equal(r.locationUrl.searchParams.get('state'), 'bye');

    // A's next authorize shows the login page, even with the old cookie put back.
    for (const server of [a, b]) {
      const again = new HttpBrowser();
      again.cookies.set('signet_session', cookie);
      const page = await again.get(authorizeUrl(server.url, authorizeParams(kPublicClient, appA).params));
      assert.ok(isLoginPage(page), `${server.url}: ${page.status} ${page.text.slice(0, 300)}`);
      const { params } = authorizeParams(kPublicClient, appA, { prompt: 'none' });
      const none = await again.get(authorizeUrl(server.url, params));
      assert.equal(none.status, 302, none.text);
      assert.equal(none.locationUrl.searchParams.get('error'), 'login_required');
    }
  });

  test('a login page served by A can be posted to B (no sticky sessions needed)', async () => {
    const ua = new HttpBrowser();
    const { params } = authorizeParams(kPublicClient, appA);
    const page = await ua.get(authorizeUrl(a.url, params));
    const form = parseLoginForm(page.text);
    assert.ok(form, page.text.slice(0, 300));
    const r = await ua.postForm(new URL(form.action, `${b.url}/oauth2/authorize`), { ...form.fields, username: kUser.username, password: kUser.password });
    assert.equal(r.status, 303, r.text);
    assert.equal(r.locationUrl.searchParams.get('state'), params.state);
    assert.ok(r.locationUrl.searchParams.get('code'));
  });

  test('a code reused at the other replica -> invalid_grant, and the first tokens are revoked on both', async () => {
    const { ua } = await loginAt(a, appA);
    const grant = await codeAt(a, ua, appB);
    const first = await exchange(a, appB, grant);
    assert.equal(first.status, 200, first.text);
    const second = await exchange(b, appB, grant);
    assert.equal(second.status, 400, second.text);
    assert.equal(second.json?.error, 'invalid_grant');
    for (const server of [a, b]) {
      const i = await postForm(server, '/oauth2/introspect', { token: first.json.access_token }, { client: rs });
      assert.deepEqual(i.json, { active: false }, server.url);
    }
  });
});
