// Single sign-on in a real browser (issue 6 point 8): headless Chromium (Debian's, driven by
// playwright-core) logs in once at signet for client app A and is then signed in to client
// app B, on another origin, without seeing the login page again; RP-initiated logout ends
// the session for both. The relying parties are openid-client v6 (authorization URL, PKCE,
// state, nonce, code exchange, userinfo, end-session URL) with jose verifying the ID tokens
// against the published JWKS. The login page's screenshots are tests/output/login-page.png and
// tests/output/login-page-phone.png (390 px wide).
// Over HTTPS (a self-signed certificate), Chromium must accept and send back the __Host-
// cookies, or single sign-on would silently not happen for real users.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authorizeParams, authorizeUrl, launchChromium, outputPath } from './lib/browser.mjs';
import {
  kCallbackPath, kConfidentialClient, kLoggedOutPath, kPublicClient, kUser, ssoClientYaml, ssoSignetOptions,
  startClientApp, usersYaml,
} from './lib/client_app.mjs';
import { configYaml, freePort, kSignetBin, startSignet } from './lib/signet_server.mjs';

// at_hash (OIDC Core §3.1.3.6) for the RS256 ID tokens of this suite: the left half of
// SHA-256 over the access token, base64url.
const atHash = (token) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

describe('browser SSO across two client apps', () => {
  let server;
  let appA; // public client (PKCE, no secret), http://127.0.0.1:<port>
  let appB; // confidential client, http://localhost:<port>: another origin, another site
  let browser;
  let context;
  let page;
  let jwks;
  let configA;
  let configB;
  // Every response of signet's /oauth2/authorize that the page received, in order.
  const authorizeResponses = [];
  let tokensA;
  let claimsA;

  before(async () => {
    appA = await startClientApp({ host: '127.0.0.1' });
    appB = await startClientApp({ host: 'localhost' });
    server = await startSignet(ssoSignetOptions([{ app: appA, ...kPublicClient }, { app: appB, ...kConfidentialClient }]));
    jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
    // openid-client refuses plain-http issuers unless allowInsecureRequests (loopback, no TLS).
    const options = { execute: [oidc.allowInsecureRequests] };
    configA = await oidc.discovery(new URL(server.issuer), kPublicClient.client_id, undefined, oidc.None(), options);
    configB = await oidc.discovery(new URL(server.issuer), kConfidentialClient.client_id, undefined,
      oidc.ClientSecretBasic(kConfidentialClient.client_secret), options);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 800, height: 700 } });
    page = await context.newPage();
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.origin === server.url && url.pathname === '/oauth2/authorize') {
        authorizeResponses.push({ status: res.status(), method: res.request().method(), contentType: res.headers()['content-type'] ?? '' });
      }
    });
  });

  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    await appA?.close();
    await appB?.close();
    assert.equal(code, 0);
  });

  // A fresh authorization request of `config` for `app`: the URL, and what the callback is
  // checked against.
  async function authorizationRequest(config, app, scope = 'openid profile email') {
    const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce(), idTokenExpected: true };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state: checks.expectedState,
      nonce: checks.expectedNonce,
    });
    return { url, checks };
  }

  // The user clicks "log in" at `app`: the app sends the browser to `url`.
  async function startAt(app, url) {
    app.setLoginTarget(url);
    await page.goto(app.loginUrl);
  }

  const onCallbackOf = (app) => (u) => `${u.origin}${u.pathname}` === app.redirectUri;
  const loginFormCount = () => page.locator('form input[name="password"]').count();

  test('A: the login page is shown, the user logs in and lands on A\'s callback with a code', async () => {
    const { url, checks } = await authorizationRequest(configA, appA);
    const callback = appA.waitFor(kCallbackPath);
    await startAt(appA, url);

    // The login page of signet, on signet's origin.
    assert.equal(new URL(page.url()).origin, server.url);
    await page.locator('input[name="username"]').waitFor();
    assert.equal(await loginFormCount(), 1);
    assert.equal(await page.locator('input[name="request_id"]').getAttribute('type'), 'hidden');
    assert.equal(await page.locator('input[name="csrf_token"]').getAttribute('type'), 'hidden');
    await page.screenshot({ path: outputPath('login-page.png'), fullPage: true });
    // The style applied under the page's own CSP (its hash matches): the button is styled.
    assert.equal(await page.locator('button').evaluate((b) => getComputedStyle(b).color),
                 'rgb(255, 255, 255)');
    // Readable on a phone: no horizontal scrolling at 390 px, inputs as wide as the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
    await page.screenshot({ path: outputPath('login-page-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 800, height: 700 });
    const cookies = await context.cookies(server.url);
    const binding = cookies.find((c) => c.name === 'signet_login');
    assert.ok(binding, JSON.stringify(cookies.map((c) => c.name)));
    assert.equal(binding.httpOnly, true);
    assert.equal(binding.sameSite, 'Lax');

    await page.fill('input[name="username"]', kUser.username);
    await page.fill('input[name="password"]', kUser.password);
    await Promise.all([
      page.waitForURL(onCallbackOf(appA)),
      page.locator('form [type="submit"], form button').first().click(),
    ]);
    const hit = await callback;
    assert.ok(hit.query.get('code'));
    assert.equal(hit.query.get('state'), checks.expectedState);
    assert.equal(hit.query.get('iss'), server.issuer);
    // The login POST was answered with 303 (RFC 9700 §4.11: no re-POST of the password).
    assert.ok(authorizeResponses.some((r) => r.method === 'POST' && r.status === 303), JSON.stringify(authorizeResponses));

    const session = (await context.cookies(server.url)).find((c) => c.name === 'signet_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.path, '/');

    // A's back end: openid-client exchanges the code (PKCE, state, nonce, iss checked).
    tokensA = await oidc.authorizationCodeGrant(configA, new URL(page.url()), checks);
    assert.equal(tokensA.token_type.toLowerCase(), 'bearer');
    assert.ok(tokensA.refresh_token, 'registered for refresh_token');
    const { payload, protectedHeader } = await jwtVerify(tokensA.id_token, jwks, {
      issuer: server.issuer, audience: kPublicClient.client_id,
    });
    claimsA = payload;
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.sub, kUser.username);
    assert.equal(payload.nonce, checks.expectedNonce);
    assert.equal(typeof payload.sid, 'string');
    assert.ok(payload.sid.length > 0);
    assert.ok(Number.isInteger(payload.auth_time) && payload.auth_time <= payload.iat, JSON.stringify(payload));
    assert.equal(payload.at_hash, atHash(tokensA.access_token));
    assert.equal(payload.email, kUser.claims.email);
    assert.equal(payload.name, kUser.claims.name);
    assert.deepEqual(tokensA.claims(), payload);

    const info = await oidc.fetchUserInfo(configA, tokensA.access_token, payload.sub);
    assert.deepEqual(info, { sub: kUser.username, ...kUser.claims });

    // The public client refreshes (registered for refresh_token; RFC 6749 §6, rotation).
    const refreshed = await oidc.refreshTokenGrant(configA, tokensA.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokensA.refresh_token);
    assert.equal((await oidc.fetchUserInfo(configA, refreshed.access_token, payload.sub)).sub, kUser.username);
  });

  test('B (another origin): signed in without the login page; same sid', async () => {
    assert.ok(tokensA, 'needs the login of the previous test');
    const { url, checks } = await authorizationRequest(configB, appB);
    const seen = authorizeResponses.length;
    const callback = appB.waitFor(kCallbackPath);
    await startAt(appB, url);
    await page.waitForURL(onCallbackOf(appB));
    const hit = await callback;
    assert.equal(hit.query.get('state'), checks.expectedState);
    assert.equal(hit.query.get('iss'), server.issuer);

    // One authorization response, a redirect: no login page was rendered on the way.
    const during = authorizeResponses.slice(seen);
    assert.deepEqual(during.map((r) => [r.method, r.status]), [['GET', 302]]);
    assert.equal(await loginFormCount(), 0);
    assert.equal(appB.hitsTo(kCallbackPath).length, 1);

    const tokensB = await oidc.authorizationCodeGrant(configB, new URL(page.url()), checks);
    const { payload } = await jwtVerify(tokensB.id_token, jwks, { issuer: server.issuer, audience: kConfidentialClient.client_id });
    assert.equal(payload.sub, kUser.username);
    assert.equal(payload.sid, claimsA.sid, 'one session, one sid');
    assert.equal(payload.auth_time, claimsA.auth_time, 'no new authentication');
    assert.equal(payload.nonce, checks.expectedNonce);
    assert.equal(payload.at_hash, atHash(tokensB.access_token));
    const info = await oidc.fetchUserInfo(configB, tokensB.access_token, payload.sub);
    assert.equal(info.email, kUser.claims.email);
  });

  test('logout from A lands on A\'s post-logout URI with state; then A needs a login again', async () => {
    assert.ok(tokensA, 'needs the login of the first test');
    const state = oidc.randomState();
    const endSession = oidc.buildEndSessionUrl(configA, {
      id_token_hint: tokensA.id_token, post_logout_redirect_uri: appA.postLogoutUri, state,
    });
    assert.equal(`${endSession.origin}${endSession.pathname}`, `${server.issuer}/oauth2/logout`);
    const oldSession = (await context.cookies(server.url)).find((c) => c.name === 'signet_session');
    assert.ok(oldSession, 'signed in before the logout');
    const loggedOut = appA.waitFor(kLoggedOutPath);
    await startAt(appA, endSession);
    await page.waitForURL((u) => `${u.origin}${u.pathname}` === appA.postLogoutUri);
    assert.equal((await loggedOut).query.get('state'), state);
    const session = (await context.cookies(server.url)).find((c) => c.name === 'signet_session');
    assert.equal(session, undefined, 'the session cookie is gone');
    // The session ended in signet's store, not only in this browser: the old cookie, put back,
    // signs nobody in.
    await context.addCookies([oldSession]);

    // A's next authorization request shows the login page again, and so does B's.
    for (const [config, app] of [[configA, appA], [configB, appB]]) {
      const seen = authorizeResponses.length;
      const { url } = await authorizationRequest(config, app);
      await startAt(app, url);
      await page.locator('input[name="password"]').waitFor();
      assert.equal(new URL(page.url()).origin, server.url);
      assert.equal(await loginFormCount(), 1);
      assert.deepEqual(authorizeResponses.slice(seen).map((r) => [r.method, r.status]), [['GET', 200]]);
    }
  });
});

// --- over HTTPS: the __Host- cookies must be ones a browser accepts ----------------------------

// `signet serve` with a throw-away self-signed certificate for 127.0.0.1 (startSignet speaks
// plain HTTP only). Returns { issuer, stop() }.
async function startTlsSignet(work, clients) {
  const cert = join(work, 'cert.pem');
  const key = join(work, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const port = await freePort();
  const issuer = `https://127.0.0.1:${port}`;
  const configPath = join(work, 'signet.yaml');
  writeFileSync(configPath, configYaml({
    port, issuer, keysDir: join(work, 'keys'), extraClients: clients.map(ssoClientYaml),
    extra: `tls:\n  cert_file: "${cert}"\n  key_file: "${key}"\n${usersYaml()}`,
  }));
  const env = { ...process.env, SIGNET_LOG_FORMAT: 'text' };
  for (const k of ['SIGNET_CONFIG', 'SIGNET_ISSUER', 'SIGNET_LISTEN', 'SIGNET_REDIS_URL']) delete env[k];
  const child = spawn(kSignetBin, ['serve', '--config', configPath], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? `signal:${signal}`)));
  const healthy = () => new Promise((resolve) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 1000 },
      (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
  const deadline = Date.now() + 60_000;
  while (!(await healthy())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`signet (TLS) did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    issuer,
    get output() { return output; },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

describe('browser SSO over HTTPS (__Host- cookies)', () => {
  let work;
  let server;
  let app;
  let browser;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'signet-sso-tls-'));
    app = await startClientApp({ host: '127.0.0.1' });
    server = await startTlsSignet(work, [{ app, ...kPublicClient }]);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.equal(code, 0);
  });

  test('Chromium keeps __Host-signet_login and __Host-signet_session (Secure) and signs in again without a login page', async () => {
    // The self-signed certificate is trusted for this context only.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const authorizeStatuses = [];
    page.on('response', (res) => {
      if (res.url().startsWith(`${server.issuer}/oauth2/authorize`)) authorizeStatuses.push(res.status());
    });
    const first = authorizeParams(kPublicClient, app).params;
    await page.goto(authorizeUrl(server.issuer, first).href);
    await page.locator('input[name="password"]').waitFor();
    const binding = (await context.cookies(server.issuer)).find((c) => c.name === '__Host-signet_login');
    assert.ok(binding, JSON.stringify((await context.cookies()).map((c) => c.name)));
    assert.equal(binding.secure, true);
    assert.equal(binding.httpOnly, true);

    await page.fill('input[name="username"]', kUser.username);
    await page.fill('input[name="password"]', kUser.password);
    await Promise.all([
      page.waitForURL((u) => `${u.origin}${u.pathname}` === app.redirectUri),
      page.locator('form [type="submit"], form button').first().click(),
    ]);
    assert.equal(new URL(page.url()).searchParams.get('state'), first.state);
    const session = (await context.cookies(server.issuer)).find((c) => c.name === '__Host-signet_session');
    assert.ok(session, JSON.stringify((await context.cookies()).map((c) => c.name)));
    assert.equal(session.secure, true);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.path, '/');
    assert.equal((await context.cookies(server.issuer)).find((c) => c.name === 'signet_session'), undefined);

    // The browser sends the cookie back: the next request is answered with a code at once.
    const seen = authorizeStatuses.length;
    const second = authorizeParams(kPublicClient, app).params;
    await page.goto(authorizeUrl(server.issuer, second).href);
    await page.waitForURL((u) => `${u.origin}${u.pathname}` === app.redirectUri);
    assert.equal(new URL(page.url()).searchParams.get('state'), second.state);
    assert.ok(new URL(page.url()).searchParams.get('code'));
    assert.deepEqual(authorizeStatuses.slice(seen), [302]);
    await context.close();
  });
});
