// The signet.yaml each values set renders is accepted by the real binary:
// `signet config check --config FILE` with the SIGNET_REDIS_URL the pod would get. Needs the
// binary (SIGNET_BIN, default build-asan/server/signet); skipped with a message without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { secretValue } from './lib/checks.mjs';
import { find, kRoot, render, signetYaml, valuesFile } from './lib/render.mjs';
import { valuesFiles } from './lib/values.mjs';

const kBinary = process.env.SIGNET_BIN ?? path.join(kRoot, 'build-asan', 'server', 'signet');
const kSkip = existsSync(kBinary) ? false
  : `signet binary not found at ${kBinary}: build it (scripts/test.sh does) or set SIGNET_BIN`;
// What an existing Secret would hold; config check validates the URL's form only.
const kPlaceholderRedisUrl = 'redis://:password@redis.example.internal:6379/0';

const workDir = mkdtempSync(path.join(tmpdir(), 'signet-chart-config-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

// The environment of the pod's signet: SIGNET_REDIS_URL when the Deployment sets it.
function podEnv(docs) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SIGNET_')));
  const container = find(docs, 'Deployment').spec.template.spec.containers[0];
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (ref && docs.some((d) => d.kind === 'Secret' && d.metadata.name === ref.name)) {
      env[e.name] = secretValue(docs, ref.name, ref.key);
    } else if (ref) env[e.name] = kPlaceholderRedisUrl;
  }
  return env;
}

function configCheck(docs, name) {
  const file = path.join(workDir, `${name}.yaml`);
  writeFileSync(file, signetYaml(docs));
  return spawnSync(kBinary, ['config', 'check', '--config', file], { env: podEnv(docs), encoding: 'utf8' });
}

describe('signet config check accepts the rendered signet.yaml', { skip: kSkip }, () => {
  for (const file of valuesFiles()) {
    const name = path.basename(file, '.yaml');
    test(`values/${file}`, () => {
      const result = render(valuesFile(name));
      assert.ok(result.ok, result.stderr);
      const check = configCheck(result.docs, name);
      assert.equal(check.status, 0, `config check failed:\n${check.stderr}`);
      assert.match(check.stdout, /^ok: /);
    });
  }
  test('and the check is real: a public client with client_credentials is refused (exit 2)', () => {
    const result = render(valuesFile('minimal'), {
      clients: [{ client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] }],
    });
    assert.ok(result.ok, result.stderr);
    const check = configCheck(result.docs, 'public-client');
    assert.equal(check.status, 2);
    assert.match(check.stderr, /clients\[0\]/);
  });
  test('and without the KEK the chart mounts, a Redis URL is refused (the chart requires one)', () => {
    const result = render(valuesFile('minimal'));
    const env = { ...podEnv(result.docs), SIGNET_REDIS_URL: kPlaceholderRedisUrl };
    const file = path.join(workDir, 'no-kek.yaml');
    writeFileSync(file, signetYaml(result.docs));
    const check = spawnSync(kBinary, ['config', 'check', '--config', file], { env, encoding: 'utf8' });
    assert.equal(check.status, 2);
    assert.match(check.stderr, /keys\.encryption_key_file/);
  });
});
