// `signet serve` without a config starts on the embedded development default (contract,
// "Command line"), and the environment overrides of the contract apply to it: SIGNET_LISTEN and
// SIGNET_ISSUER move it to a free port, SIGNET_LOG_FORMAT=json makes every log line JSON.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSignet } from './lib/signet_server.mjs';
import { basicAuth, postToken } from './lib/http.mjs';

// config/embedded_default.cpp; public by design (development only).
const kDemoClient = 'demo-client';
const kDemoSecret = 'demo-secret-DEVELOPMENT-ONLY';

let server;
before(async () => {
  server = await startSignet({ embedded: true, env: { SIGNET_LOG_FORMAT: 'json' } });
});
after(async () => {
  await server?.stop();
});

test('SIGNET_ISSUER overrides the embedded issuer in discovery', async () => {
  const md = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json();
  assert.equal(md.issuer, server.issuer);
  assert.equal(md.token_endpoint, `${server.issuer}/oauth2/token`);
});

test('the demo client gets a token that verifies against the JWKS', async () => {
  const r = await postToken(
    server.issuer,
    { grant_type: 'client_credentials' },
    { headers: { authorization: basicAuth(kDemoClient, kDemoSecret) } },
  );
  assert.equal(r.res.status, 200, r.text);
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(r.json.access_token, jwks, {
    issuer: server.issuer,
    typ: 'at+jwt',
  });
  assert.equal(payload.client_id, kDemoClient);
});

test('keys are generated under ./var/keys as 0600 files', () => {
  const dir = join(server.workDir, 'var/keys');
  const files = readdirSync(dir);
  assert.ok(files.length >= 2, `one key per default algorithm, got ${files}`);
  for (const f of files) {
    assert.equal(statSync(join(dir, f)).mode & 0o077, 0, `${f} is private to its owner`);
  }
});

test('SIGNET_LOG_FORMAT=json: every log line is a JSON object; requests are logged', async () => {
  await (await fetch(`${server.issuer}/healthz`)).arrayBuffer();
  // Give the logger a moment to flush the access line (polling, not a fixed sleep).
  for (let i = 0; i < 50 && !server.output.includes('/healthz'); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = server.output.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0);
  for (const line of lines) {
    let parsed;
    assert.doesNotThrow(() => {
      parsed = JSON.parse(line);
    }, `not JSON: ${line}`);
    assert.equal(typeof parsed, 'object');
  }
  assert.ok(lines.some((l) => l.includes('/healthz')), 'an access line for /healthz');
});

test('SIGTERM: exits 0', async () => {
  const code = await server.stop();
  assert.equal(code, 0, server.output.slice(-4000));
});
