// values.schema.json: accepts the chart's defaults and every values set the tests render, and
// refuses typos, wrong types and values the chart owns, naming the offending key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import { kValuesDir } from './lib/render.mjs';
import { checkValues, kDefaults, valuesFiles } from './lib/values.mjs';

function errorsAt(user) {
  const { errors } = checkValues(user);
  return (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);
}

function assertRejected(user, instancePath, keyword) {
  const errors = errorsAt(user);
  assert.ok(errors.some((e) => e.startsWith(`${instancePath} ${keyword}`)),
    `expected ${keyword} at '${instancePath}', got: ${errors.join('; ') || 'valid'}`);
}

describe('values.schema.json', () => {
  test('accepts the chart defaults (values.yaml)', () => {
    assert.deepEqual(errorsAt({}), []);
  });

  for (const file of valuesFiles()) {
    test(`accepts tests/helm/values/${file}`, () => {
      const user = YAML.parse(readFileSync(path.join(kValuesDir, file), 'utf8'));
      assert.deepEqual(errorsAt(user), []);
    });
  }

  test('rejects an unknown top-level key (a typo of replicaCount)', () => {
    assertRejected({ replicas: 3 }, '', 'additionalProperties');
  });
  test('rejects an unknown nested key (a typo in redis.bundled)', () => {
    assertRejected({ redis: { bundled: { enable: true } } }, '/redis/bundled', 'additionalProperties');
  });
  test('rejects keys the chart owns in config (listen, keys.dir, redis)', () => {
    assertRejected({ config: { listen: '0.0.0.0:9090' } }, '/config', 'additionalProperties');
    assertRejected({ config: { keys: { dir: '/data' } } }, '/config/keys', 'additionalProperties');
    assertRejected({ config: { redis: { url: 'redis://x' } } }, '/config', 'additionalProperties');
  });
  test('rejects a login.session_ttl of more than 30 days or in an unknown unit', () => {
    assertRejected({ config: { login: { session_ttl: 2592001 } } }, '/config/login/session_ttl', 'anyOf');
    assertRejected({ config: { login: { session_ttl: '2w' } } }, '/config/login/session_ttl', 'anyOf');
  });
  test('rejects a replicaCount that is not an integer', () => {
    assertRejected({ replicaCount: 'two' }, '/replicaCount', 'type');
  });
  test('rejects a plain-http or trailing-slash issuer', () => {
    assertRejected({ issuer: 'http://id.example.com' }, '/issuer', 'anyOf');
    assertRejected({ issuer: 'https://id.example.com/' }, '/issuer', 'anyOf');
  });
  test('rejects a KEK value that is not base64 of 32 bytes', () => {
    assertRejected({ kek: { value: 'c2hvcnQ=' } }, '/kek/value', 'pattern');
  });
  test('rejects an unknown signing algorithm (no "none", no HS256)', () => {
    assertRejected({ config: { tokens: { signing_alg: 'none' } } }, '/config/tokens/signing_alg', 'enum');
    assertRejected({ config: { keys: { algorithms: ['HS256'] } } }, '/config/keys/algorithms/0', 'enum');
  });
  test('rejects a client with both client_secret and client_secret_hash', () => {
    assertRejected({ clients: [{ client_id: 'a', client_secret: 'x', client_secret_hash: '$argon2id$x' }] },
      '/clients/0', 'not');
  });
  test('rejects a client_secret_hash that is not an argon2id encoding', () => {
    assertRejected({ clients: [{ client_id: 'a', client_secret_hash: 'plain-text' }] },
      '/clients/0/client_secret_hash', 'pattern');
  });
  test('rejects a user with neither password nor password_hash', () => {
    assertRejected({ users: [{ username: 'bob' }] }, '/users/0', 'oneOf');
  });
  test('rejects a wrong pull policy, Redis URL scheme and appendfsync', () => {
    assertRejected({ image: { pullPolicy: 'Sometimes' } }, '/image/pullPolicy', 'enum');
    assertRejected({ redis: { url: 'http://redis:6379' } }, '/redis/url', 'pattern');
    assertRejected({ redis: { bundled: { appendfsync: 'sometimes' } } }, '/redis/bundled/appendfsync', 'enum');
  });
  test('rejects a bundled Redis password that would need URL escaping, or is short', () => {
    assertRejected({ redis: { bundled: { password: 'a@b/c-0123456789abcdef' } } }, '/redis/bundled/password', 'pattern');
    assertRejected({ redis: { bundled: { password: 'short-pass' } } }, '/redis/bundled/password', 'pattern');
  });
  test('rejects a Secret name Kubernetes would refuse', () => {
    assertRejected({ kek: { existingSecret: 'My_Secret' } }, '/kek/existingSecret', 'pattern');
  });
  test('rejects a terminationGracePeriodSeconds below 2 and a negative preStop sleep', () => {
    assertRejected({ terminationGracePeriodSeconds: 1 }, '/terminationGracePeriodSeconds', 'minimum');
    assertRejected({ preStopSleepSeconds: -1 }, '/preStopSleepSeconds', 'minimum');
  });
  test('rejects a ServiceMonitor interval Prometheus would not parse', () => {
    assertRejected({ metrics: { serviceMonitor: { interval: '30 seconds' } } },
      '/metrics/serviceMonitor/interval', 'pattern');
  });
  test('a null in user values removes the default, as helm coalesces', () => {
    const { merged } = checkValues({ podDisruptionBudget: { minAvailable: null } });
    assert.equal('minAvailable' in merged.podDisruptionBudget, false);
    assert.equal(kDefaults.podDisruptionBudget.minAvailable, 1);
  });
});
