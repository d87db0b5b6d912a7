// Token endpoint errors over real HTTP (issue 3, point 2): RFC 6749 §5.2 JSON with the status
// the RFC names, 401 + WWW-Authenticate for invalid_client, Cache-Control: no-store on every
// token response.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kAudience, kClients, startSignet } from './lib/signet_server.mjs';
import { basicAuth, postToken } from './lib/http.mjs';

let server;
before(async () => {
  server = await startSignet();
});
after(async () => {
  await server?.stop();
});

const rs = kClients.rs;
const es = kClients.es;
const rsAuth = { headers: { authorization: basicAuth(rs.client_id, rs.client_secret) } };

function assertNoStore(res) {
  assert.match(res.headers.get('cache-control') ?? '', /no-store/, 'Cache-Control: no-store');
}

// RFC 6749 §5.2: status, JSON body with `error`, no-store.
// `status` may be a list: RFC 6749 §5.2 requires 401 for invalid_client only when the client
// authenticated with the Authorization header; otherwise 400 or 401 are both allowed.
function assertOAuthError({ res, json, text }, status, error) {
  if (Array.isArray(status)) assert.ok(status.includes(res.status), `status ${res.status}: ${text}`);
  else assert.equal(res.status, status, text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(json, `JSON body, got: ${text}`);
  assert.equal(json.error, error, text);
  assertNoStore(res);
  if (json.error_description !== undefined) {
    assert.equal(typeof json.error_description, 'string');
    // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E.
    assert.match(json.error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
  }
}

describe('successful token response', () => {
  test('is RFC 6749 §5.1 JSON with Cache-Control: no-store', async () => {
    const r = await postToken(server.issuer, { grant_type: 'client_credentials' }, rsAuth);
    assert.equal(r.res.status, 200, r.text);
    assert.match(r.res.headers.get('content-type') ?? '', /^application\/json/);
    assertNoStore(r.res);
    assert.equal(r.json.token_type.toLowerCase(), 'bearer');
    assert.equal(typeof r.json.access_token, 'string');
    assert.equal(typeof r.json.expires_in, 'number');
  });

  test('client_secret_post works for the client registered with it', async () => {
    const r = await postToken(server.issuer, {
      grant_type: 'client_credentials',
      client_id: es.client_id,
      client_secret: es.client_secret,
    });
    assert.equal(r.res.status, 200, r.text);
  });
});

describe('client authentication failures → invalid_client', () => {
  test('wrong secret with Basic → 401 + WWW-Authenticate', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials' },
      { headers: { authorization: basicAuth(rs.client_id, 'not-the-secret') } },
    );
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.res.headers.get('www-authenticate') ?? '', /^Basic/i);
  });

  test('unknown client with Basic → 401 invalid_client', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials' },
      { headers: { authorization: basicAuth('nobody', 'whatever') } },
    );
    assertOAuthError(r, 401, 'invalid_client');
    assert.ok(r.res.headers.get('www-authenticate'), 'WWW-Authenticate present');
  });

  test('wrong secret in the body → invalid_client', async () => {
    const r = await postToken(server.issuer, {
      grant_type: 'client_credentials',
      client_id: es.client_id,
      client_secret: 'not-the-secret',
    });
    assertOAuthError(r, [400, 401], 'invalid_client');
  });

  test('no client authentication at all → invalid_client', async () => {
    const r = await postToken(server.issuer, { grant_type: 'client_credentials' });
    assertOAuthError(r, [400, 401], 'invalid_client');
  });

  test('the error never echoes the presented secret', async () => {
    const secret = 'leak-canary-7f3a9c';
    const r = await postToken(server.issuer, {
      grant_type: 'client_credentials',
      client_id: es.client_id,
      client_secret: secret,
    });
    assert.ok(!r.text.includes(secret));
    assert.ok(!server.output.includes(secret), 'secret must not appear in the log');
  });
});

describe('request errors → 400', () => {
  test('unsupported grant type → unsupported_grant_type', async () => {
    const r = await postToken(server.issuer, { grant_type: 'urn:example:no-such-grant' }, rsAuth);
    assertOAuthError(r, 400, 'unsupported_grant_type');
  });

  test('missing grant_type → invalid_request', async () => {
    const r = await postToken(server.issuer, { scope: 'orders.read' }, rsAuth);
    assertOAuthError(r, 400, 'invalid_request');
  });

  test('scope outside the client scope → invalid_scope', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', scope: 'orders.read admin' },
      rsAuth,
    );
    assertOAuthError(r, 400, 'invalid_scope');
  });

  test('resource that is not among the client audiences → invalid_target', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', resource: 'https://evil.example.com' },
      rsAuth,
    );
    assertOAuthError(r, 400, 'invalid_target');
  });

  test('audience that is not among the client audiences → invalid_target', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', audience: 'https://evil.example.com' },
      rsAuth,
    );
    assertOAuthError(r, 400, 'invalid_target');
  });

  test('an allowed resource is accepted', async () => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', resource: kAudience },
      rsAuth,
    );
    assert.equal(r.res.status, 200, r.text);
  });
});

describe('method and media type', () => {
  test('GET on the token endpoint is not a token request', async () => {
    const res = await fetch(`${server.issuer}/oauth2/token`);
    assert.ok([400, 405].includes(res.status), `status ${res.status}`);
  });

  test('JSON body instead of a form → invalid_request', async () => {
    const res = await fetch(`${server.issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: rsAuth.headers.authorization },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    const text = await res.text();
    assert.equal(res.status, 400, text);
    assert.equal(JSON.parse(text).error, 'invalid_request');
  });
});

// Issue 3, point 3: the log never carries a secret, a token or an Authorization header.
// Runs last in this file, over everything the requests above made the server log.
test('the server log holds no secret, token or Authorization value', async () => {
  const ok = await postToken(server.issuer, { grant_type: 'client_credentials' }, rsAuth);
  assert.equal(ok.res.status, 200);
  // The log is written in batches (once a second, and at shutdown): stop the server and wait
  // for its last line, so that every request above is in the text we check.
  await server.stop();
  for (let i = 0; i < 50 && !server.output.includes('stopped'); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = server.output;
  assert.ok(log.includes('stopped'), 'the log ends with "stopped"');
  assert.ok(log.includes('/oauth2/token'), 'token requests are logged');
  for (const secret of [rs.client_secret, es.client_secret, 'not-the-secret', 'leak-canary-7f3a9c']) {
    assert.ok(!log.includes(secret), `a client secret (${secret.slice(0, 4)}...) is in the log`);
  }
  const basic = rsAuth.headers.authorization.slice('Basic '.length);
  assert.ok(!log.includes(basic), 'the Authorization header value is in the log');
  assert.ok(!log.includes(ok.json.access_token.split('.')[2]), 'an access token is in the log');
  assert.ok(!log.includes('eyJhbGciOi'), 'something JWT-shaped is in the log');
});
