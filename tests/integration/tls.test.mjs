// HTTPS with tls.cert_file / tls.key_file (issue 7, point 5) against the real binary: ECDSA
// P-256 and RSA certificates made by `openssl req -x509` at test time (no key is committed),
// curl and node's https for /healthz and a token request, `openssl s_client` for the protocol
// floor (TLS 1.1 refused, 1.2 and 1.3 accepted) and ALPN, plain HTTP refused on the TLS port, a
// silent client cut off, a mismatched key refused at start-up and by `config check`, and
// certificate rotation: files replaced in place (cert-manager) and SIGHUP reach new connections,
// open connections keep their certificate, and a bad replacement keeps the old one serving.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { get as httpGet } from 'node:http';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configYaml, freePort, kClients, kSignetBin, runSignet } from './lib/signet_server.mjs';

const kGuardMs = 15_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let work;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'signet-tls-it-'));
});
after(() => {
  rmSync(work, { recursive: true, force: true });
});

// A self-signed certificate for 127.0.0.1 with a fresh key: { cert, key, pem, fingerprint }.
function makePair(name, kind) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const keyArgs =
    kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const r = spawnSync(
    'openssl',
    ['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', `/CN=${name}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const pem = readFileSync(cert, 'utf8');
  return { cert, key, pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}

// Writes the config for a TLS server whose files are `files` ({cert, key}).
function writeConfig(dir, port, files, extra = '') {
  const path = join(dir, 'signet.yaml');
  writeFileSync(
    path,
    configYaml({
      port,
      issuer: `https://127.0.0.1:${port}`,
      keysDir: join(dir, 'keys'),
      extra: `tls:\n  cert_file: "${files.cert}"\n  key_file: "${files.key}"\n${extra}`,
    }),
  );
  return path;
}

// One HTTPS request trusting `ca`: { status, body, fingerprint } (fingerprint of the server's
// certificate as node saw it). A fresh connection each time (agent: false).
function httpsCall(port, path, { ca, method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, method, headers, ca, agent: false, timeout: kGuardMs },
      (res) => {
        const fingerprint = res.socket.getPeerCertificate().fingerprint256;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: text, fingerprint }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// Starts `signet serve` with TLS and waits until https /healthz answers 200 with `ca`.
async function startTlsSignet(files, { ca = files.pem, extra = '' } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'server-'));
  const configPath = writeConfig(dir, port, files, extra);
  const env = { ...process.env, SIGNET_LOG_FORMAT: 'text' };
  for (const k of ['SIGNET_CONFIG', 'SIGNET_ISSUER', 'SIGNET_LISTEN', 'SIGNET_REDIS_URL']) delete env[k];
  const child = spawn(kSignetBin, ['serve', '--config', configPath], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`signet exited early:\n${output}`);
    try {
      if ((await httpsCall(port, '/healthz', { ca })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`signet did not answer https /healthz:\n${output}`);
    }
    await sleep(100);
  }
  return {
    port,
    issuer: `https://127.0.0.1:${port}`,
    configPath,
    get output() {
      return output;
    },
    signal: (name) => child.kill(name),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function curl(args) {
  return spawnSync('curl', ['-sS', '--max-time', '15', ...args], { encoding: 'utf8' });
}

// `openssl s_client` with one protocol flag; stdin closed at once.
function sClient(port, ...flags) {
  return spawnSync(
    'openssl',
    ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...flags],
    { input: '', encoding: 'utf8', timeout: kGuardMs },
  );
}

// Polls until fn() resolves truthy or the guard time passes; returns the last value.
async function eventually(fn, timeoutMs = kGuardMs) {
  const deadline = Date.now() + timeoutMs;
  let value;
  while (Date.now() < deadline) {
    value = await fn();
    if (value) return value;
    await sleep(100);
  }
  return value;
}

// Replaces a pair's files in place (same paths, content of `next`), certificate first, as a
// renewal agent does.
function replaceInPlace(live, next) {
  copyFileSync(next.cert, live.cert);
  copyFileSync(next.key, live.key);
}

describe('HTTPS with an ECDSA P-256 certificate', () => {
  let pair;
  let server;
  before(async () => {
    pair = makePair('ec', 'ec');
    server = await startTlsSignet(pair, { extra: 'server:\n  read_timeout: 2s\n' });
  });
  after(async () => {
    assert.equal(await server?.stop(), 0);
  });

  test('curl --cacert gets /healthz', () => {
    const r = curl(['--cacert', pair.cert, `${server.issuer}/healthz`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /"ok"/);
  });

  test('curl --cacert gets a token (client_secret_basic)', () => {
    const c = kClients.rs;
    const r = curl([
      '--cacert', pair.cert, '-u', `${c.client_id}:${c.client_secret}`,
      '-d', 'grant_type=client_credentials', `${server.issuer}/oauth2/token`,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.token_type, 'Bearer');
    assert.equal(json.access_token.split('.').length, 3);
  });

  test('node https gets a token (client_secret_post) and discovery names the https issuer', async () => {
    const c = kClients.es;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.client_id,
      client_secret: c.client_secret,
    }).toString();
    const token = await httpsCall(server.port, '/oauth2/token', {
      ca: pair.pem,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    assert.equal(token.status, 200, token.body);
    assert.ok(JSON.parse(token.body).access_token);
    const discovery = await httpsCall(server.port, '/.well-known/openid-configuration', { ca: pair.pem });
    const json = JSON.parse(discovery.body);
    assert.equal(json.issuer, server.issuer);
    assert.equal(json.token_endpoint, `${server.issuer}/oauth2/token`);
    assert.equal(json.jwks_uri, `${server.issuer}/.well-known/jwks.json`);
  });

  test('openssl s_client: TLS 1.1 refused, TLS 1.2 and 1.3 accepted', () => {
    const old = sClient(server.port, '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0');
    assert.notEqual(old.status, 0);
    assert.match(old.stdout, /Cipher is \(NONE\)/);  // no session was established
    assert.match(old.stderr, /alert protocol version/);
    const v12 = sClient(server.port, '-tls1_2');
    assert.equal(v12.status, 0, v12.stderr);
    assert.match(v12.stdout, /Protocol\s*:\s*TLSv1\.2/);
    assert.doesNotMatch(v12.stdout, /Cipher is \(NONE\)/);
    const v13 = sClient(server.port, '-tls1_3');
    assert.equal(v13.status, 0, v13.stderr);
    assert.match(v13.stdout, /New, TLSv1\.3/);
  });

  test('openssl s_client: ALPN selects http/1.1; weak ciphers find no match', () => {
    const alpn = sClient(server.port, '-tls1_2', '-alpn', 'h2,http/1.1');
    assert.match(alpn.stdout, /ALPN protocol: http\/1\.1/);
    for (const weak of ['DES-CBC3-SHA', 'RC4-SHA', 'NULL-SHA256', 'AES128-SHA']) {
      const r = sClient(server.port, '-tls1_2', '-cipher', `${weak}@SECLEVEL=0`);
      assert.notEqual(r.status, 0, `${weak} was accepted`);
    }
  });

  test('plain HTTP to the TLS port gets no HTTP 200', async () => {
    const status = await new Promise((resolve) => {
      const req = httpGet({ host: '127.0.0.1', port: server.port, path: '/healthz', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.setTimeout(kGuardMs, () => req.destroy());
      req.on('error', () => resolve(0));
    });
    assert.notEqual(status, 200);
  });

  test('a client that connects and sends nothing is cut off by read_timeout', async () => {
    const closed = await new Promise((resolve) => {
      const socket = netConnect(server.port, '127.0.0.1');
      const guard = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, kGuardMs);
      socket.on('close', () => {
        clearTimeout(guard);
        resolve(true);
      });
      socket.on('error', () => {});
    });
    assert.ok(closed, 'the silent connection stayed open past the guard time');
  });
});

describe('HTTPS with an RSA certificate', () => {
  test('curl --cacert gets /healthz and the key never reaches the log', async () => {
    const pair = makePair('rsa', 'rsa');
    const server = await startTlsSignet(pair);
    try {
      const r = curl(['--cacert', pair.cert, `${server.issuer}/healthz`]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /"ok"/);
      const v13 = sClient(server.port, '-tls1_3');
      assert.match(v13.stdout, /New, TLSv1\.3/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.doesNotMatch(server.output, /PRIVATE KEY/);
  });
});

describe('start-up and config check refuse a bad pair', () => {
  let ec;
  let rsa;
  before(() => {
    ec = makePair('bad-ec', 'ec');
    rsa = makePair('bad-rsa', 'rsa');
  });

  async function configFor(files) {
    const dir = mkdtempSync(join(work, 'bad-'));
    return writeConfig(dir, await freePort(), files);
  }

  test('mismatched key: serve exits non-zero naming tls.key_file, one line, no key text', async () => {
    const config = await configFor({ cert: ec.cert, key: rsa.key });
    const r = runSignet(['serve', '--config', config], { env: { SIGNET_LOG_FORMAT: 'text' } });
    assert.notEqual(r.status, 0);
    const text = r.stdout + r.stderr;
    const lines = text.split('\n').filter((l) => l.includes('tls.key_file'));
    assert.equal(lines.length, 1, text);
    assert.match(lines[0], /does not match the certificate/);
    assert.doesNotMatch(text, /PRIVATE KEY|terminate called|Aborted/);
  });

  test('mismatched key: config check exits 2 naming tls.key_file', async () => {
    const config = await configFor({ cert: ec.cert, key: rsa.key });
    const r = runSignet(['config', 'check', '--config', config]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /tls\.key_file: private key does not match the certificate/);
  });

  test('missing certificate: serve and config check name tls.cert_file', async () => {
    const config = await configFor({ cert: join(work, 'absent.pem'), key: ec.key });
    const serve = runSignet(['serve', '--config', config], { env: { SIGNET_LOG_FORMAT: 'text' } });
    assert.notEqual(serve.status, 0);
    assert.match(serve.stdout + serve.stderr, /tls\.cert_file: certificate file not found/);
    const check = runSignet(['config', 'check', '--config', config]);
    assert.equal(check.status, 2);
    assert.match(check.stderr, /tls\.cert_file: certificate file not found/);
  });

  test('certificate file without PEM: config check names tls.cert_file', async () => {
    const notPem = join(work, 'not-pem.txt');
    writeFileSync(notPem, 'hello\n');
    const check = runSignet(['config', 'check', '--config', await configFor({ cert: notPem, key: ec.key })]);
    assert.equal(check.status, 2);
    assert.match(check.stderr, /tls\.cert_file: not a PEM certificate/);
  });

  test('a good pair passes config check', async () => {
    const check = runSignet(['config', 'check', '--config', await configFor(ec)]);
    assert.equal(check.status, 0, check.stderr);
  });
});

// A keep-alive TLS connection: { fingerprint, get(path) -> status, close() }.
async function openTlsConnection(port, ca) {
  const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  await new Promise((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => (buffered += d));
  return {
    fingerprint: socket.getPeerCertificate().fingerprint256,
    async get(path) {
      buffered = '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      const status = await eventually(async () => {
        const m = /^HTTP\/1\.1 (\d{3})[^]*\r\n\r\n/.exec(buffered);
        return m ? Number(m[1]) : 0;
      });
      return status;
    },
    close: () => socket.destroy(),
  };
}

describe('certificate rotation', () => {
  let live;
  let a;
  let b;
  let c;
  let server;
  let ca;
  before(async () => {
    a = makePair('rot-a', 'ec');
    b = makePair('rot-b', 'rsa');
    c = makePair('rot-c', 'ec');
    const liveDir = join(work, 'live');
    mkdirSync(liveDir, { recursive: true });
    live = { cert: join(liveDir, 'tls.crt'), key: join(liveDir, 'tls.key') };
    replaceInPlace(live, a);
    ca = [a.pem, b.pem, c.pem];
    server = await startTlsSignet(live, { ca });
  });
  after(async () => {
    assert.equal(await server?.stop(), 0);
  });

  const seen = async () => (await httpsCall(server.port, '/healthz', { ca })).fingerprint;

  test('files replaced in place reach new connections; open ones keep theirs', async () => {
    const open = await openTlsConnection(server.port, ca);
    assert.equal(open.fingerprint, a.fingerprint);
    replaceInPlace(live, b);
    const now = await eventually(async () => ((await seen()) === b.fingerprint ? b.fingerprint : ''));
    assert.equal(now, b.fingerprint, 'new connections still see the old certificate');
    // Info lines reach the log within the logger's flush interval.
    const logged = await eventually(async () =>
      /TLS certificate reloaded: subject=CN=rot-b, not after=/.test(server.output),
    );
    assert.ok(logged, server.output);
    assert.equal(await open.get('/healthz'), 200);
    open.close();
  });

  test('a bad replacement is logged and the current certificate keeps serving', async () => {
    const current = await seen();
    const mark = server.output.length;
    writeFileSync(live.cert, 'not a certificate\n');
    const warned = await eventually(async () =>
      /TLS certificate reload failed/.test(server.output.slice(mark)),
    );
    assert.ok(warned, server.output);
    assert.match(server.output.slice(mark), /tls\.cert_file: not a PEM certificate/);
    const after = await httpsCall(server.port, '/healthz', { ca });
    assert.equal(after.status, 200);
    assert.equal(after.fingerprint, current);
  });

  test('SIGHUP reloads the files', async () => {
    const mark = server.output.length;
    replaceInPlace(live, c);
    server.signal('SIGHUP');
    const reloaded = await eventually(async () => /trigger=SIGHUP/.test(server.output.slice(mark)));
    assert.ok(reloaded, server.output);
    assert.equal(await seen(), c.fingerprint);
  });
});
