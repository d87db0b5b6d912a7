// CORS over real HTTP (issue 6, point 7): the token, userinfo, JWKS and discovery endpoints
// answer scripts on the origins of registered redirect URIs (server/cors.hpp); nothing else
// does, and no other origin gets a CORS header.
//
// Requests go through node:http, which sends Origin and the Access-Control-Request-* headers as
// given (a browser's fetch would set them itself).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freePort, kClients, startSignet } from './lib/signet_server.mjs';
import { basicAuth } from './lib/http.mjs';

const kExposed = 'WWW-Authenticate, Retry-After, DPoP-Nonce';
const kChromium = process.env.SIGNET_CHROMIUM || '/usr/bin/chromium';

// The origins of two SPAs and of an unregistered page; ports are picked at start, so that the
// browser test can serve pages there.
let kSpaA;
let kSpaB;
let kEvil;

// Two SPAs on two origins (one with a query in its redirect URI, one registered in upper case
// with a logout URI on a third origin that names its default port), and a native app whose
// private-use scheme has no origin.
function corsClients(portA, portB) {
  return [
    `  - client_id: "spa-a"
    client_secret: "spa-a-secret-0123456789abcdef0123"
    grant_types: [client_credentials]
    redirect_uris: ["http://127.0.0.1:${portA}/cb?from=signet"]`,
    `  - client_id: "spa-b"
    client_secret: "spa-b-secret-0123456789abcdef0123"
    grant_types: [client_credentials]
    redirect_uris: ["HTTP://LocalHost:${portB}/deep/cb"]
    post_logout_redirect_uris: ["https://logout.example:443/bye"]`,
    `  - client_id: "native"
    client_secret: "native-secret-0123456789abcdef012"
    grant_types: [client_credentials]
    redirect_uris: ["com.example.app:/oauth2redirect"]`,
  ];
}

let server;
before(async () => {
  // Three different ports: freePort() may hand out a port it returned before (a probe's port
  // is free again once closed), and the Chromium suite serves a page on each.
  const ports = new Set();
  while (ports.size < 3) ports.add(await freePort());
  const [portA, portB, portEvil] = [...ports];
  kSpaA = `http://127.0.0.1:${portA}`;
  kSpaB = `http://localhost:${portB}`;
  kEvil = `http://127.0.0.1:${portEvil}`;
  server = await startSignet({ extraClients: corsClients(portA, portB) });
});
after(async () => {
  await server?.stop();
});

// One request without keep-alive: { status, headers (lowercase names), body }.
function send(path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.url}${path}`,
      { method, headers: { connection: 'close', ...headers }, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function preflight(path, origin, method, requestHeaders) {
  const headers = { origin, 'access-control-request-method': method };
  if (requestHeaders) headers['access-control-request-headers'] = requestHeaders;
  return send(path, { method: 'OPTIONS', headers });
}

function tokenRequest(origin) {
  const rs = kClients.rs;
  return send('/oauth2/token', {
    method: 'POST',
    headers: {
      origin,
      authorization: basicAuth(rs.client_id, rs.client_secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

function assertVaryOrigin(r) {
  assert.match(r.headers.vary ?? '', /(^|,\s*)Origin(\s*,|$)/i, `Vary: ${r.headers.vary}`);
}

function assertNoCors(r, what) {
  for (const name of Object.keys(r.headers)) {
    assert.ok(!name.startsWith('access-control-'), `${what}: unexpected ${name}: ${r.headers[name]}`);
  }
}

const kCorsPaths = [
  ['/oauth2/token', 'POST'],
  ['/oauth2/userinfo', 'GET'],
  ['/.well-known/jwks.json', 'GET'],
  ['/.well-known/openid-configuration', 'GET'],
  ['/.well-known/oauth-authorization-server', 'GET'],
];

describe('actual requests', () => {
  test('token: an allowed origin is echoed, with the exposed headers and Vary', async () => {
    const r = await tokenRequest(kSpaA);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['access-control-allow-origin'], kSpaA);
    assert.equal(r.headers['access-control-expose-headers'], kExposed);
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    assertVaryOrigin(r);
  });

  test('the second origin, registered in upper case, is allowed in its serialised form', async () => {
    const r = await tokenRequest(kSpaB);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['access-control-allow-origin'], kSpaB);
  });

  test('a post_logout_redirect_uri origin with its default port is allowed without it', async () => {
    const r = await send('/.well-known/jwks.json', { headers: { origin: 'https://logout.example' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], 'https://logout.example');
  });

  test('JWKS and both discovery documents answer the allowed origin', async () => {
    for (const path of ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const r = await send(path, { headers: { origin: kSpaB } });
      assert.equal(r.status, 200, `${path}: ${r.body}`);
      assert.equal(r.headers['access-control-allow-origin'], kSpaB, path);
      assertVaryOrigin(r);
    }
  });

  test('userinfo without a token: the 401 and its WWW-Authenticate are readable', async () => {
    const r = await send('/oauth2/userinfo', { headers: { origin: kSpaA } });
    assert.equal(r.status, 401, r.body);
    assert.match(r.headers['www-authenticate'] ?? '', /^Bearer/);
    assert.equal(r.headers['access-control-allow-origin'], kSpaA);
    assert.match(r.headers['access-control-expose-headers'] ?? '', /WWW-Authenticate/);
  });

  test('a token error is readable by the allowed origin', async () => {
    const r = await send('/oauth2/token', {
      method: 'POST',
      headers: {
        origin: kSpaA,
        authorization: basicAuth('spa-a', 'wrong'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(r.status, 401, r.body);
    assert.equal(JSON.parse(r.body).error, 'invalid_client');
    assert.match(r.headers['www-authenticate'] ?? '', /^Basic/);
    assert.equal(r.headers['access-control-allow-origin'], kSpaA);
  });

  test('other origins, null and no Origin get no CORS header, but Vary', async () => {
    for (const origin of [kEvil, 'null', kSpaA.replace('http:', 'https:'), `${kSpaA}/`, undefined]) {
      const headers = origin === undefined ? {} : { origin };
      for (const [path] of kCorsPaths.filter(([, m]) => m === 'GET')) {
        const r = await send(path, { headers });
        assertNoCors(r, `${path} from ${origin}`);
        assertVaryOrigin(r);
      }
      assertNoCors(await tokenRequest(origin ?? ''), `token from ${origin}`);
    }
  });

  test('HEAD on the JWKS keeps the CORS headers', async () => {
    const r = await send('/.well-known/jwks.json', { method: 'HEAD', headers: { origin: kSpaA } });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], kSpaA);
  });
});

describe('preflight', () => {
  test('each CORS path answers 204 with its methods, the allowed headers and Max-Age', async () => {
    for (const [path, method] of kCorsPaths) {
      const r = await preflight(path, kSpaA, method, 'authorization,content-type');
      assert.equal(r.status, 204, `${path}: ${r.body}`);
      assert.equal(r.body, '');
      assert.equal(r.headers['access-control-allow-origin'], kSpaA, path);
      assert.ok(
        (r.headers['access-control-allow-methods'] ?? '').split(/,\s*/).includes(method),
        `${path}: ${r.headers['access-control-allow-methods']}`,
      );
      assert.equal(r.headers['access-control-allow-headers'], 'Authorization, Content-Type, DPoP');
      assert.equal(r.headers['access-control-max-age'], '600');
      assert.equal(r.headers['access-control-allow-credentials'], undefined);
      assertVaryOrigin(r);
    }
  });

  test('userinfo allows GET and POST (OIDC Core §5.3)', async () => {
    const r = await preflight('/oauth2/userinfo', kSpaB, 'POST');
    assert.equal(r.status, 204);
    const methods = r.headers['access-control-allow-methods'].split(/,\s*/);
    assert.ok(methods.includes('GET') && methods.includes('POST'), methods.join());
  });

  test('from another origin or null: 405 with Allow and no CORS header', async () => {
    for (const origin of [kEvil, 'null']) {
      const r = await preflight('/oauth2/token', origin, 'POST');
      assert.equal(r.status, 405, origin);
      assert.equal(r.headers.allow, 'POST');
      assertNoCors(r, `preflight from ${origin}`);
    }
  });

  // The authorize page is a navigation, logout too; the rest are not for browsers. (authorize
  // and logout answer 404 on a build that does not serve them yet.)
  test('paths without CORS answer a preflight from an allowed origin with 405 and nothing else', async () => {
    const paths = [
      ['/oauth2/authorize', 'GET'],
      ['/oauth2/logout', 'GET'],
      ['/oauth2/revoke', 'POST'],
      ['/oauth2/introspect', 'POST'],
      ['/oauth2/revocations', 'GET'],
      ['/healthz', 'GET'],
      ['/metrics', 'GET'],
    ];
    for (const [path, method] of paths) {
      const r = await preflight(path, kSpaA, method);
      assert.ok([404, 405].includes(r.status), `${path}: ${r.status}`);
      assertNoCors(r, path);
    }
  });

  test('paths without CORS give no CORS header to actual requests either', async () => {
    for (const path of ['/healthz', '/metrics']) {
      const r = await send(path, { headers: { origin: kSpaA } });
      assert.equal(r.status, 200, path);
      assertNoCors(r, path);
    }
    const authorize = await send(`/oauth2/authorize?client_id=spa-a&response_type=code&redirect_uri=${encodeURIComponent(`${kSpaA}/cb?from=signet`)}`, {
      headers: { origin: kSpaA },
    });
    assertNoCors(authorize, '/oauth2/authorize');
  });
});

// The browser is the judge of CORS: a page on a registered origin calls signet with fetch()
// (the token request's Authorization header forces a preflight), an unregistered page cannot.
describe('in Chromium', { skip: !existsSync(kChromium) && `no browser at ${kChromium}` }, () => {
  let browser;
  const pages = [];

  // A blank page at `origin`, served by a throw-away server on its port.
  async function pageServer(origin) {
    const { hostname, port } = new URL(origin);
    const srv = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>spa</title>');
    });
    await new Promise((resolve, reject) => {
      srv.once('error', reject); // a taken port fails the suite instead of hanging it
      srv.listen(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, resolve);
    });
    pages.push(srv);
  }

  before(async () => {
    await pageServer(kSpaA);
    await pageServer(kSpaB);
    await pageServer(kEvil);
    browser = await chromium.launch({ executablePath: kChromium, headless: true });
  });
  after(async () => {
    await browser?.close();
    for (const srv of pages) srv.close();
  });

  // Runs the SPA's calls on a page at `origin`: each result is { status, header } or { failed }.
  async function fromPage(origin) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      const rs = kClients.rs;
      return await page.evaluate(
        async ({ issuer, authorization }) => {
          const attempt = async (path, init, header) => {
            try {
              const r = await fetch(`${issuer}${path}`, init);
              const body = await r.text();
              return { status: r.status, header: header ? r.headers.get(header) : null, body };
            } catch (e) {
              return { failed: String(e) };
            }
          };
          return {
            token: await attempt('/oauth2/token', {
              method: 'POST',
              headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
              body: 'grant_type=client_credentials',
            }),
            jwks: await attempt('/.well-known/jwks.json', {}),
            discovery: await attempt('/.well-known/openid-configuration', {}),
            userinfo: await attempt('/oauth2/userinfo', { headers: { authorization: 'Bearer x' } }, 'www-authenticate'),
            healthz: await attempt('/healthz', {}),
          };
        },
        { issuer: server.url, authorization: basicAuth(rs.client_id, rs.client_secret) },
      );
    } finally {
      await page.close();
    }
  }

  test('a page on a registered origin gets a token, the JWKS, discovery and a readable 401', async () => {
    for (const origin of [kSpaA, kSpaB]) {
      const r = await fromPage(origin);
      assert.equal(r.token.status, 200, `${origin} token: ${JSON.stringify(r.token)}`);
      assert.equal(typeof JSON.parse(r.token.body).access_token, 'string');
      assert.equal(r.jwks.status, 200, `${origin} jwks: ${JSON.stringify(r.jwks)}`);
      assert.ok(Array.isArray(JSON.parse(r.jwks.body).keys));
      assert.equal(r.discovery.status, 200, JSON.stringify(r.discovery));
      assert.equal(r.userinfo.status, 401, JSON.stringify(r.userinfo));
      assert.match(r.userinfo.header ?? '', /^Bearer/, 'WWW-Authenticate is exposed');
      assert.ok(r.healthz.failed, `/healthz has no CORS: ${JSON.stringify(r.healthz)}`);
    }
  });

  test('a page on another origin is refused by the browser everywhere', async () => {
    const r = await fromPage(kEvil);
    for (const [name, result] of Object.entries(r)) {
      assert.ok(result.failed, `${name} must fail: ${JSON.stringify(result)}`);
    }
  });
});
