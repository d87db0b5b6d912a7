// Runs the real signet as the chart's pod would: the rendered signet.yaml, the Deployment's
// args and environment, with only what a machine without Kubernetes must change (keys.dir in a
// temp dir instead of the emptyDir, SIGNET_LISTEN on a free loopback port instead of
// 0.0.0.0:8080). keys.dir must work inside an emptyDir as fsGroup leaves it (group-writable),
// the probes' paths must answer 200, the JWKS and discovery must carry the chart's issuer, and
// SIGTERM must end the process with exit 0 well within terminationGracePeriodSeconds.
// Needs the binary (SIGNET_BIN, default build-asan/server/signet).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { find, kRoot, render, signetYaml, valuesFile } from './lib/render.mjs';

const kBinary = process.env.SIGNET_BIN ?? path.join(kRoot, 'build-asan', 'server', 'signet');
const kSkip = existsSync(kBinary) ? false
  : `signet binary not found at ${kBinary}: build it (scripts/test.sh does) or set SIGNET_BIN`;

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(base, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`signet exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('signet did not answer /healthz');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the pod of values/plaintext-dev.yaml, run locally', { skip: kSkip }, () => {
  const { docs } = render(valuesFile('plaintext-dev'));
  const deployment = find(docs, 'Deployment');
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const config = YAML.parse(signetYaml(docs));
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-chart-pod-'));
  let child;
  let base;
  let log = '';

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The emptyDir's root as fsGroup leaves it: group-writable and setgid.
    chmodSync(dir, 0o2777);
    const file = path.join(dir, 'signet.yaml');
    writeFileSync(file, YAML.stringify({ ...config, keys: { ...config.keys, dir: path.join(dir, 'keys') } }));
    const args = container.args.map((a) => (a === '/etc/signet/config/signet.yaml' ? file : a));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGNET_')));
    child = spawn(kBinary, args, { env: { ...env, SIGNET_LISTEN: `127.0.0.1:${port}` }, cwd: dir });
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    // The startup probe allows periodSeconds * failureThreshold for the first start.
    const startupMs = container.startupProbe.periodSeconds * container.startupProbe.failureThreshold * 1000;
    await waitForHealthz(base, child, startupMs);
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('the liveness and readiness probe paths answer 200', async () => {
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      const res = await fetch(`${base}${probe.httpGet.path}`);
      assert.equal(res.status, 200, `${probe.httpGet.path}: ${res.status}\n${log}`);
    }
  });

  test('writes only keys.dir, private, inside a group-writable emptyDir: a read-only root filesystem suffices', () => {
    const keysDir = path.join(dir, 'keys');
    assert.deepEqual(readdirSync(dir).sort(), ['keys', 'signet.yaml']);
    assert.equal(statSync(keysDir).mode & 0o077, 0, 'keys.dir open to group or others');
    const files = readdirSync(keysDir);
    assert.ok(files.length >= 2, files.join(', '));
    for (const f of files) assert.equal(statSync(path.join(keysDir, f)).mode & 0o077, 0, f);
  });

  test('discovery and the JWKS carry the chart\'s issuer and keys', async () => {
    const discovery = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    assert.equal(discovery.issuer, 'https://dev.example.test');
    assert.equal(discovery.jwks_uri, 'https://dev.example.test/.well-known/jwks.json');
    const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
    assert.ok(jwks.keys.length >= 2, JSON.stringify(jwks));
    assert.ok(jwks.keys.every((k) => k.kid && !('d' in k)), 'public keys only');
  });

  test('the client from values gets a token', async () => {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('dev-client:dev-secret-DEVELOPMENT-ONLY').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).token_type, 'Bearer');
  });

  test('SIGTERM: exit 0 within terminationGracePeriodSeconds', async () => {
    const started = Date.now();
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    const seconds = (Date.now() - started) / 1000;
    assert.equal(signal, null, log);
    assert.equal(code, 0, log);
    assert.ok(seconds < pod.terminationGracePeriodSeconds,
      `took ${seconds}s, grace period ${pod.terminationGracePeriodSeconds}s`);
  });
});
