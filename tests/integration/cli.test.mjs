// The CLI of the real binary (issue 2, point 7; contract "Command line"), end to end:
// --help, config check, keys generate, hash-secret (and a hashed secret accepted by the token
// endpoint), token verify against a live JWKS URL and a JWKS file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kAudience, kClients, runSignet, startSignet } from './lib/signet_server.mjs';
import { basicAuth, postToken } from './lib/http.mjs';

let work;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'signet-cli-'));
});
after(() => {
  rmSync(work, { recursive: true, force: true });
});

// Errors go to stderr, never as a C++ exception dump or sanitizer report.
function assertCleanFailure(r) {
  assert.notEqual(r.status, 0, 'non-zero exit');
  assert.ok(r.stderr.trim().length > 0, 'a message on stderr');
  assert.doesNotMatch(r.stderr, /terminate called|what\(\):|Sanitizer|runtime error/);
}

describe('help and usage', () => {
  test('signet --help exits 0 and lists the commands', () => {
    const r = runSignet(['--help']);
    assert.equal(r.status, 0, r.stderr);
    const text = r.stdout + r.stderr;
    for (const cmd of ['serve', 'config', 'keys', 'hash-secret', 'token']) {
      assert.match(text, new RegExp(cmd), `help mentions ${cmd}`);
    }
  });

  for (const cmd of [['serve'], ['config', 'check'], ['keys', 'generate'], ['hash-secret'], ['token', 'verify']]) {
    test(`signet ${cmd.join(' ')} --help exits 0`, () => {
      const r = runSignet([...cmd, '--help']);
      assert.equal(r.status, 0, r.stderr);
      assert.ok((r.stdout + r.stderr).length > 0);
    });
  }

  test('an unknown command fails cleanly', () => {
    assertCleanFailure(runSignet(['no-such-command']));
  });
});

describe('signet config check', () => {
  test('a valid config → exit 0', () => {
    const path = join(work, 'good.yaml');
    writeFileSync(
      path,
      `issuer: "https://id.example.com"\nkeys:\n  algorithms: [RS256, ES256]\n  dir: "${work}/k"\n` +
        'clients:\n  - client_id: "a"\n    client_secret: "s"\n',
    );
    const r = runSignet(['config', 'check', '--config', path]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('an unknown key → exit 2 naming the key path', () => {
    const path = join(work, 'bad.yaml');
    writeFileSync(
      path,
      'issuer: "https://id.example.com"\nclients:\n  - client_id: "a"\n    client_secret: "s"\n' +
        '    grant_typez: [client_credentials]\n',
    );
    const r = runSignet(['config', 'check', '--config', path]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /clients\[0\]\.grant_typez/);
  });

  test('a wrong grant type → exit 2 naming clients[0].grant_types[1]', () => {
    const path = join(work, 'bad-grant.yaml');
    writeFileSync(
      path,
      'issuer: "https://id.example.com"\nclients:\n  - client_id: "a"\n    client_secret: "s"\n' +
        '    grant_types: [client_credentials, telepathy]\n',
    );
    const r = runSignet(['config', 'check', '--config', path]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /clients\[0\]\.grant_types\[1\]/);
  });

  test('a user claim of the wrong OIDC type (email_verified: "yes") → exit 2 naming the key', () => {
    const path = join(work, 'bad-claim.yaml');
    writeFileSync(
      path,
      'issuer: "https://id.example.com"\nclients:\n  - client_id: "a"\n    client_secret: "s"\n' +
        'users:\n  - username: dave\n    password: pw\n' +
        '    claims: { email: dave@example.com, email_verified: "yes" }\n',
    );
    const r = runSignet(['config', 'check', '--config', path]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /users\[0\]\.claims\.email_verified/);
    assert.match(r.stderr, /wants a boolean/);
    assert.doesNotMatch(r.stderr.replaceAll(path, ''), /yes/, 'the value is not repeated');
  });

  test('a missing file fails cleanly', () => {
    assertCleanFailure(runSignet(['config', 'check', '--config', join(work, 'absent.yaml')]));
  });
});

describe('signet keys generate', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']) {
    test(`--alg ${alg} writes one PEM private key with mode 0600`, () => {
      const out = join(work, `keys-${alg}`);
      mkdirSync(out);
      const r = runSignet(['keys', 'generate', '--alg', alg, '--out', out]);
      assert.equal(r.status, 0, r.stderr);
      const files = readdirSync(out);
      assert.equal(files.length, 1, `files: ${files}`);
      const file = join(out, files[0]);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(readFileSync(file, 'utf8'), /-----BEGIN (.* )?PRIVATE KEY-----/);
      assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY/, 'the key is not printed');
    });
  }

  test('an unknown algorithm fails cleanly', () => {
    assertCleanFailure(runSignet(['keys', 'generate', '--alg', 'none', '--out', work]));
  });
});

describe('signet hash-secret', () => {
  test('prints an argon2id hash with at least OWASP minimum cost', () => {
    const r = runSignet(['hash-secret'], { input: 'correct horse battery staple\n' });
    assert.equal(r.status, 0, r.stderr);
    const hash = r.stdout.trim();
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(hash);
    assert.ok(m, `argon2id encoding, got ${hash}`);
    // OWASP Password Storage Cheat Sheet: m=47104/t=1 ... m=7168/t=5, i.e. m*t >= 35840 KiB.
    assert.ok(Number(m[1]) >= 7168 && Number(m[1]) * Number(m[2]) >= 35840, hash);
    assert.ok(!r.stdout.includes('correct horse'), 'the secret is not echoed');
  });

  test('the same secret hashes differently (random salt)', () => {
    const a = runSignet(['hash-secret'], { input: 's3cret\n' }).stdout.trim();
    const b = runSignet(['hash-secret'], { input: 's3cret\n' }).stdout.trim();
    assert.notEqual(a, b);
  });
});

describe('a hashed client secret and signet token verify against a live server', () => {
  const secret = 'hashed-client-secret-4b1d';
  let server;
  before(async () => {
    const hash = runSignet(['hash-secret'], { input: `${secret}\n` }).stdout.trim();
    server = await startSignet({
      extraClients: [
        [
          '  - client_id: "hash-client"',
          `    client_secret_hash: "${hash}"`,
          '    grant_types: [client_credentials]',
          '    scope: "orders.read"',
          `    audience: ["${kAudience}"]`,
        ].join('\n'),
      ],
    });
  });
  after(async () => {
    await server?.stop();
  });

  const tokenFor = async (id, pw) => {
    const r = await postToken(
      server.issuer,
      { grant_type: 'client_credentials', resource: kAudience },
      { headers: { authorization: basicAuth(id, pw) } },
    );
    return r;
  };

  test('a client registered with client_secret_hash gets a token with its secret', async () => {
    const r = await tokenFor('hash-client', secret);
    assert.equal(r.res.status, 200, r.text);
    const again = await tokenFor('hash-client', secret); // the cached digest path
    assert.equal(again.res.status, 200, again.text);
  });

  test('... and is refused with another secret', async () => {
    const r = await tokenFor('hash-client', `${secret}x`);
    assert.equal(r.res.status, 401, r.text);
  });

  test('token verify accepts a fresh token against the JWKS URL and prints its claims', async () => {
    const { json } = await tokenFor(kClients.rs.client_id, kClients.rs.client_secret);
    const r = runSignet([
      'token', 'verify',
      '--jwks', `${server.issuer}/.well-known/jwks.json`,
      '--iss', server.issuer,
      '--aud', kAudience,
      json.access_token,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rs-client/);
  });

  test('token verify accepts it against a JWKS file too', async () => {
    const { json } = await tokenFor(kClients.rs.client_id, kClients.rs.client_secret);
    const jwksFile = join(work, 'jwks.json');
    writeFileSync(jwksFile, await (await fetch(`${server.issuer}/.well-known/jwks.json`)).text());
    const r = runSignet(['token', 'verify', '--jwks', jwksFile, json.access_token]);
    assert.equal(r.status, 0, r.stderr);
  });

  test('token verify rejects a tampered token with exit 1 and a reason', async () => {
    const { json } = await tokenFor(kClients.rs.client_id, kClients.rs.client_secret);
    const [h, p, s] = json.access_token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    claims.scope = 'admin';
    const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
    const r = runSignet([
      'token', 'verify', '--jwks', `${server.issuer}/.well-known/jwks.json`, forged,
    ]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.ok(r.stderr.trim().length > 0 || r.stdout.trim().length > 0, 'a reason is printed');
  });

  test('token verify rejects the wrong audience with exit 1', async () => {
    const { json } = await tokenFor(kClients.rs.client_id, kClients.rs.client_secret);
    const r = runSignet([
      'token', 'verify', '--jwks', `${server.issuer}/.well-known/jwks.json`,
      '--aud', 'https://not-this-api.example.com', json.access_token,
    ]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
  });
});
