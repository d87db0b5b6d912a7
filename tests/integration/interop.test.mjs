// Interop (issue 3, point 4): what signet serves must be accepted by widely used npm clients,
// for an RS256 client (client_secret_basic) and an ES256 client (client_secret_post).
//   openid-client v6: discovery + clientCredentialsGrant
//   jose v6:          createRemoteJWKSet + jwtVerify with issuer, audience and typ at+jwt
//   jwks-rsa v4:      getSigningKey(kid) from the JWKS
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import jwksClient from 'jwks-rsa';
import { kAudience, kClients, startSignet } from './lib/signet_server.mjs';

let server;
before(async () => {
  server = await startSignet();
});
after(async () => {
  await server?.stop();
});

// openid-client refuses plain-http issuers unless told otherwise (its allowInsecureRequests);
// the suite runs on loopback without TLS.
async function discover(c, algorithm = 'oidc') {
  const auth =
    c.token_endpoint_auth_method === 'client_secret_post'
      ? oidc.ClientSecretPost(c.client_secret)
      : oidc.ClientSecretBasic(c.client_secret);
  return oidc.discovery(new URL(server.issuer), c.client_id, undefined, auth, {
    algorithm,
    execute: [oidc.allowInsecureRequests],
  });
}

async function grant(c, params = { scope: c.scope, resource: kAudience }) {
  const config = await discover(c);
  return oidc.clientCredentialsGrant(config, params);
}

for (const c of Object.values(kClients)) {
  describe(`${c.alg} client ${c.client_id} (${c.token_endpoint_auth_method})`, () => {
    test('openid-client discovers the issuer (OIDC discovery)', async () => {
      const config = await discover(c);
      const md = config.serverMetadata();
      assert.equal(md.issuer, server.issuer);
      assert.equal(md.token_endpoint, `${server.issuer}/oauth2/token`);
      assert.equal(md.jwks_uri, `${server.issuer}/.well-known/jwks.json`);
    });

    test('openid-client discovers the issuer (RFC 8414 metadata)', async () => {
      const config = await discover(c, 'oauth2');
      assert.equal(config.serverMetadata().issuer, server.issuer);
    });

    test('openid-client clientCredentialsGrant returns a bearer access token', async () => {
      const tokens = await grant(c);
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(typeof tokens.access_token, 'string');
      assert.ok(tokens.expires_in > 0 && tokens.expires_in <= 300, `expires_in ${tokens.expires_in}`);
      assert.equal(decodeProtectedHeader(tokens.access_token).alg, c.alg);
    });

    test('jose jwtVerify accepts the token against the remote JWKS (RFC 9068 profile)', async () => {
      const { access_token } = await grant(c);
      const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(access_token, jwks, {
        issuer: server.issuer,
        audience: kAudience,
        typ: 'at+jwt',
        algorithms: [c.alg],
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
      });
      assert.equal(protectedHeader.typ.toLowerCase(), 'at+jwt');
      assert.ok(protectedHeader.kid, 'kid in header');
      assert.equal(payload.client_id, c.client_id);
      assert.equal(payload.sub, c.client_id); // RFC 9068 §2.2: sub = client for client_credentials
      assert.equal(payload.scope, c.scope);
      // jti carries at least 128 random bits: 22 base64url characters or 32 hex digits.
      assert.ok(payload.jti.length >= 22, `jti ${payload.jti}`);
      assert.ok(payload.exp > payload.iat);
    });

    test('every token gets a fresh jti', async () => {
      const a = await grant(c);
      const b = await grant(c);
      const jti = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).jti;
      assert.notEqual(jti(a.access_token), jti(b.access_token));
    });

    test('jwks-rsa finds the signing key by kid and it verifies the token', async () => {
      const { access_token } = await grant(c);
      const { kid } = decodeProtectedHeader(access_token);
      const client = jwksClient({ jwksUri: `${server.issuer}/.well-known/jwks.json`, cache: false });
      const key = await client.getSigningKey(kid);
      assert.equal(key.kid, kid);
      const publicKey = await importSPKI(key.getPublicKey(), c.alg);
      const { payload } = await jwtVerify(access_token, publicKey, {
        issuer: server.issuer,
        audience: kAudience,
        algorithms: [c.alg],
      });
      assert.equal(payload.client_id, c.client_id);
    });

    test('a subset of the client scope is granted as asked', async () => {
      const asked = c.scope.split(' ')[0];
      const tokens = await grant(c, { scope: asked, resource: kAudience });
      assert.equal(tokens.scope ?? asked, asked);
      const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url'));
      assert.equal(claims.scope, asked);
    });
  });
}

test('an audience can be chosen among the client audiences (resource parameter)', async () => {
  const c = kClients.rs;
  const tokens = await grant(c, { resource: c.audience[1] });
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
  await jwtVerify(tokens.access_token, jwks, { issuer: server.issuer, audience: c.audience[1] });
  await assert.rejects(
    jwtVerify(tokens.access_token, jwks, { issuer: server.issuer, audience: 'https://elsewhere' }),
    { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
  );
});

test('a token verified against the wrong issuer is rejected by jose', async () => {
  const { access_token } = await grant(kClients.es);
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/jwks.json`));
  await assert.rejects(jwtVerify(access_token, jwks, { issuer: 'http://evil.example' }), {
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
  });
});
