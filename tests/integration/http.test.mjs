// HTTP surface over real sockets (issue 3, points 1-2): discovery documents, the JWKS with its
// caching headers, health endpoints, limits (431, 413), 404, keep-alive, concurrency, and a clean
// exit on SIGTERM (which, in the sanitizer build, also means no leak report).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { kClients, startSignet } from './lib/signet_server.mjs';
import { basicAuth, postToken, rawRequest } from './lib/http.mjs';

let server;
before(async () => {
  server = await startSignet();
});
after(async () => {
  await server?.stop();
});

async function getJson(path, headers = {}) {
  const res = await fetch(`${server.issuer}${path}`, { headers });
  const text = await res.text();
  return { res, text, json: text ? JSON.parse(text) : null };
}

// Issue 3: "every field a client needs".
const kDiscoveryFields = [
  'issuer',
  'jwks_uri',
  'token_endpoint',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'response_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'scopes_supported',
  'code_challenge_methods_supported',
];

for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
  describe(`GET ${path}`, () => {
    test('has every field a client needs, derived from the issuer', async () => {
      const { res, json } = await getJson(path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      for (const field of kDiscoveryFields) assert.ok(field in json, `missing ${field}`);
      assert.equal(json.issuer, server.issuer);
      assert.equal(json.jwks_uri, `${server.issuer}/.well-known/jwks.json`);
      assert.equal(json.token_endpoint, `${server.issuer}/oauth2/token`);
      assert.ok(json.grant_types_supported.includes('client_credentials'));
      for (const m of ['client_secret_basic', 'client_secret_post']) {
        assert.ok(json.token_endpoint_auth_methods_supported.includes(m), m);
      }
    });

    test('lists only endpoints that exist', async () => {
      const { json } = await getJson(path);
      const endpoints = Object.entries(json).filter(([k]) => k.endsWith('_endpoint'));
      for (const [name, url] of endpoints) {
        const res = await fetch(url, { method: name === 'token_endpoint' ? 'POST' : 'GET' });
        await res.arrayBuffer();
        assert.notEqual(res.status, 404, `${name} ${url} answers 404`);
      }
    });
  });
}

describe('GET /.well-known/jwks.json', () => {
  test('publishes one public key per configured algorithm and nothing private', async () => {
    const { res, json } = await getJson('/.well-known/jwks.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/(jwk-set\+)?json/);
    const algs = json.keys.map((k) => k.alg);
    assert.ok(algs.includes('RS256') && algs.includes('ES256'), `algs ${algs}`);
    const kids = new Set();
    for (const key of json.keys) {
      assert.ok(key.kid, 'kid');
      assert.ok(!kids.has(key.kid), `duplicate kid ${key.kid}`);
      kids.add(key.kid);
      // RFC 7517 §9.3 / RFC 7518 §6: private members must never be published.
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
        assert.ok(!(member in key), `private member ${member} in ${key.kid}`);
      }
    }
  });

  test('has a strong ETag and public max-age caching', async () => {
    const { res } = await getJson('/.well-known/jwks.json');
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^"[^"]+"$/, `strong ETag, got ${etag}`);
    const cc = res.headers.get('cache-control') ?? '';
    assert.match(cc, /public/);
    assert.match(cc, /max-age=\d+/);
  });

  test('answers 304 without a body to a matching If-None-Match', async () => {
    const first = await getJson('/.well-known/jwks.json');
    const etag = first.res.headers.get('etag');
    const again = await getJson('/.well-known/jwks.json', { 'if-none-match': etag });
    assert.equal(again.res.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.res.headers.get('etag'), etag);
  });

  test('answers 200 to a stale If-None-Match', async () => {
    const { res, json } = await getJson('/.well-known/jwks.json', { 'if-none-match': '"stale"' });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(json.keys));
  });
});

describe('health', () => {
  for (const path of ['/healthz', '/readyz']) {
    test(`GET ${path} → 200`, async () => {
      const res = await fetch(`${server.issuer}${path}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
    });
  }
});

describe('limits and unknown paths', () => {
  test('unknown path → 404', async () => {
    const res = await fetch(`${server.issuer}/no/such/path`);
    await res.arrayBuffer();
    assert.equal(res.status, 404);
  });

  test('request header over 8 KiB → 431', async () => {
    const big = 'a'.repeat(9 * 1024);
    const r = await rawRequest(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${big}\r\n\r\n`,
    );
    assert.equal(r.status, 431);
  });

  test('request header well under 8 KiB is served', async () => {
    const r = await rawRequest(
      server.port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(6 * 1024)}\r\n\r\n`,
    );
    assert.equal(r.status, 200);
  });

  test('request body over 64 KiB → 413', async () => {
    const body = `grant_type=client_credentials&pad=${'x'.repeat(70 * 1024)}`;
    const r = await rawRequest(
      server.port,
      'POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${body.length}\r\n\r\n${body}`,
    );
    assert.equal(r.status, 413);
  });

  test('request body under 64 KiB is not refused for its size', async () => {
    const { res } = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', pad: 'x'.repeat(60 * 1024) },
      { headers: { authorization: basicAuth(kClients.rs.client_id, kClients.rs.client_secret) } },
    );
    assert.notEqual(res.status, 413);
  });

  test('malformed request line → 400', async () => {
    const r = await rawRequest(server.port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(r.status, 400);
  });
});

describe('connections', () => {
  test('HTTP/1.1 keep-alive: a second request reuses the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const once = () =>
      new Promise((resolve, reject) => {
        const req = get(`${server.issuer}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    const a = await once();
    const b = await once();
    agent.destroy();
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(b.reused, true, 'second request on the same socket');
  });

  test('50 concurrent token requests all succeed with distinct jti', async () => {
    const c = kClients.es;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        postToken(server.issuer, {
          grant_type: 'client_credentials',
          client_id: c.client_id,
          client_secret: c.client_secret,
        }),
      ),
    );
    const jtis = new Set();
    for (const r of results) {
      assert.equal(r.res.status, 200, r.text);
      jtis.add(JSON.parse(Buffer.from(r.json.access_token.split('.')[1], 'base64url')).jti);
    }
    assert.equal(jtis.size, 50);
  });
});

// Last: stops the server. In the ASan build a leak report at exit makes the status non-zero.
test('SIGTERM: the server finishes and exits 0', async () => {
  const code = await server.stop();
  assert.equal(code, 0, `exit ${code}; output tail:\n${server.output.slice(-4000)}`);
});
