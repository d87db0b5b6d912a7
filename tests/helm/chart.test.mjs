// helm/signet rendered offline (render/main.go, Helm's template engine rebuilt on Go's
// text/template + sprig) for the chart defaults and each values set in values/: every object
// must be a valid Kubernetes object with no unknown field, hardened, probed, and wired to what
// it references; the chart must refuse the combinations issue 7 forbids, with a clear message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertHardened, assertMetadata, assertReferencesResolve, assertSignetWorkload,
  assertValidKubernetes, podSpec, secretValue,
} from './lib/checks.mjs';
import { find, kChartDir, kinds, render, renderChart, valuesFile } from './lib/render.mjs';

const kNamespace = 'identity';

function renderOk(...sources) {
  const result = render(...sources);
  assert.ok(result.ok, `render failed (exit ${result.status}):\n${result.stderr}`);
  return result;
}

function assertFails(sources, ...messages) {
  const result = render(...sources);
  assert.equal(result.ok, false, 'render succeeded but must fail');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^Error: execution error at \(signet\/templates\//);
  for (const m of messages) assert.ok(result.stderr.includes(m), `"${m}" not in:\n${result.stderr}`);
}

function standardChecks(docs, existingSecrets = []) {
  assertValidKubernetes(docs);
  assertMetadata(docs, kNamespace);
  assertReferencesResolve(docs, existingSecrets);
  return assertSignetWorkload(docs);
}

describe('chart defaults', () => {
  test('refuse to render, naming the issuer and the shared state two replicas need', () => {
    assertFails([], 'issuer is required',
      'replicaCount is 2 but no Redis is configured: replicas need shared state');
  });
});

describe('values/minimal.yaml: one pod, no Redis', () => {
  const { docs, notes } = renderOk(valuesFile('minimal'));

  test('renders the ServiceAccount, ConfigMap, Service and Deployment only', () => {
    assert.deepEqual(kinds(docs), ['ConfigMap/signet-config', 'Deployment/signet',
      'Service/signet', 'ServiceAccount/signet']);
  });
  test('objects are valid, hardened, probed and wired', () => {
    standardChecks(docs);
  });
  test('runs one replica with keys on the emptyDir, unencrypted, no Redis variable', () => {
    const { deployment, container, config } = standardChecks(docs);
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(config.keys.dir, '/var/lib/signet/keys');
    assert.equal(config.keys.encryption_key_file, undefined);
    assert.equal(container.env, undefined);
    assert.equal(podSpec(deployment).volumes.some((v) => v.name === 'kek'), false);
  });
  test('ConfigMap signet.yaml carries the issuer and the chart defaults', () => {
    const { config } = standardChecks(docs);
    assert.equal(config.issuer, 'https://id.example.com');
    assert.deepEqual(config.keys.algorithms, ['RS256', 'ES256']);
    assert.equal(config.server.shutdown_grace, 10);
    assert.equal(config.log.format, 'json');
    assert.equal(config.login.failure_window, '15m', 'login: reaches signet.yaml');
    assert.equal(config.login.session_ttl, '12h');
  });
  test('NOTES tell the issuer URL and how to fetch the JWKS', () => {
    assert.match(notes, /https:\/\/id\.example\.com\n/);
    assert.match(notes, /curl -s https:\/\/id\.example\.com\/\.well-known\/jwks\.json/);
    assert.match(notes, /kubectl -n identity port-forward svc\/signet 8080:8080/);
    assert.match(notes, /No Redis: one pod/);
  });
});

describe('values/full.yaml: external Redis and KEK from existing Secrets, ingress, HPA, ServiceMonitor', () => {
  const { docs, notes } = renderOk(valuesFile('full'));
  const existing = ['signet-kek', 'signet-redis'];

  test('renders every optional object and no Secret of its own', () => {
    assert.deepEqual(kinds(docs), ['ConfigMap/signet-config', 'Deployment/signet',
      'HorizontalPodAutoscaler/signet', 'Ingress/signet', 'NetworkPolicy/signet',
      'PodDisruptionBudget/signet', 'Service/signet', 'ServiceAccount/signet',
      'ServiceMonitor/signet']);
  });
  test('objects are valid, hardened, probed and wired', () => {
    standardChecks(docs, existing);
  });
  test('takes SIGNET_REDIS_URL and the KEK from the existing Secrets, KEK mounted read-only', () => {
    const { pod, container, config } = standardChecks(docs, existing);
    const redisUrl = container.env.find((e) => e.name === 'SIGNET_REDIS_URL');
    assert.deepEqual(redisUrl.valueFrom.secretKeyRef, { name: 'signet-redis', key: 'redis-url' });
    const kek = pod.volumes.find((v) => v.name === 'kek').secret;
    assert.equal(kek.secretName, 'signet-kek');
    assert.deepEqual(kek.items, [{ key: 'kek.b64', path: 'kek' }]);
    assert.equal(kek.defaultMode, 0o440);
    const mount = container.volumeMounts.find((m) => m.name === 'kek');
    assert.equal(mount.readOnly, true);
    assert.equal(config.keys.encryption_key_file, `${mount.mountPath}/kek`);
  });
  test('the HPA owns the replica count and scales the Deployment', () => {
    const deployment = find(docs, 'Deployment');
    const hpa = find(docs, 'HorizontalPodAutoscaler');
    assert.equal(deployment.spec.replicas, undefined);
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'signet' });
    assert.equal(hpa.spec.minReplicas, 3);
    assert.equal(hpa.spec.maxReplicas, 12);
    assert.deepEqual(hpa.spec.metrics.map((m) => m.resource.name), ['cpu', 'memory']);
    assert.equal(find(docs, 'PodDisruptionBudget').spec.maxUnavailable, 1);
  });
  test('the Ingress serves the issuer host with TLS on the http port', () => {
    const ingress = find(docs, 'Ingress');
    assert.equal(ingress.spec.ingressClassName, 'nginx');
    assert.deepEqual(ingress.spec.tls, [{ hosts: ['id.example.com'], secretName: 'signet-tls' }]);
    const [rule] = ingress.spec.rules;
    assert.equal(rule.host, 'id.example.com');
    assert.deepEqual(rule.http.paths.map((p) => [p.path, p.pathType]),
      [['/.well-known/', 'Prefix'], ['/oauth2/', 'Prefix']]);
    for (const p of rule.http.paths) {
      assert.deepEqual(p.backend.service, { name: 'signet', port: { name: 'http' } });
    }
    // /metrics, /healthz and /readyz are not routed from outside.
    assert.ok(!rule.http.paths.some((p) => p.path === '/' || p.path.startsWith('/metrics')));
    assert.equal(ingress.metadata.annotations['cert-manager.io/cluster-issuer'], 'letsencrypt');
  });
  test('the ServiceMonitor scrapes /metrics on the http port of this Service', () => {
    const sm = find(docs, 'ServiceMonitor');
    const service = find(docs, 'Service');
    assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [['http', '/metrics']]);
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) {
      assert.equal(service.metadata.labels[k], v, `ServiceMonitor selects label ${k}`);
    }
    assert.equal(sm.metadata.labels.release, 'prometheus');
  });
  test('the NetworkPolicy admits the ingress namespace and lets out only DNS and Redis', () => {
    const np = find(docs, 'NetworkPolicy');
    assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
    assert.equal(np.spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      'ingress-nginx');
    const ports = np.spec.egress.flatMap((rule) => rule.ports.map((p) => p.port)).sort();
    assert.deepEqual(ports, [53, 53, 6379]);
    assert.deepEqual(np.spec.egress[1].to, [{ ipBlock: { cidr: '10.20.0.0/16' } }]);
  });
  test('preStop sleeps, image is pinned by digest, clients and users reach signet.yaml', () => {
    const { container, config } = standardChecks(docs, existing);
    assert.deepEqual(container.lifecycle.preStop, { sleep: { seconds: 5 } });
    assert.equal(container.image, 'registry.example.com/signet@sha256:' +
      '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    assert.deepEqual(config.clients.map((c) => c.client_id), ['orders-service', 'web-app']);
    assert.match(config.clients[0].client_secret_hash, /^\$argon2id\$/);
    assert.equal(config.users[0].claims.email, 'alice@example.com');
    assert.equal(config.tokens.signing_alg, 'ES256');
    assert.equal(config.tokens.id_token_ttl, '15m', 'defaults merge under the user\'s tokens');
  });
  test('NOTES name the KEK Secret and the ServiceMonitor caveat', () => {
    assert.match(notes, /Keep the KEK \(signet-kek\)/);
    assert.match(notes, /\/metrics, which arrives with issue 7's metrics part/);
    assert.doesNotMatch(notes, /port-forward/);
  });
});

describe('values/bundled-redis.yaml: three replicas on the bundled Redis', () => {
  const { docs, notes } = renderOk(valuesFile('bundled-redis'));

  test('renders the Redis StatefulSet, its Service and policies, and the Secrets', () => {
    assert.deepEqual(kinds(docs), ['ConfigMap/signet-config', 'Deployment/signet',
      'NetworkPolicy/signet', 'NetworkPolicy/signet-redis', 'PodDisruptionBudget/signet',
      'Secret/signet-kek', 'Secret/signet-redis-auth', 'Secret/signet-redis-url',
      'Service/signet', 'Service/signet-redis', 'ServiceAccount/signet',
      'StatefulSet/signet-redis']);
  });
  test('objects are valid, hardened, probed and wired', () => {
    standardChecks(docs);
    assertHardened(find(docs, 'StatefulSet'));
  });
  test('Redis keeps an append-only file on a PersistentVolumeClaim and requires the password', () => {
    const sts = find(docs, 'StatefulSet', '-redis');
    const [redis] = podSpec(sts).containers;
    const args = redis.args.join(' ');
    assert.match(args, /--appendonly yes/);
    assert.match(args, /--appendfsync always/);
    assert.match(args, /--dir \/data/);
    assert.match(args, /--requirepass \$\(REDIS_PASSWORD\)/);
    assert.deepEqual(redis.env[0].valueFrom.secretKeyRef, { name: 'signet-redis-auth', key: 'password' });
    assert.equal(redis.volumeMounts.find((m) => m.name === 'data').mountPath, '/data');
    const [claim] = sts.spec.volumeClaimTemplates;
    assert.equal(claim.metadata.name, 'data');
    assert.equal(claim.spec.resources.requests.storage, '2Gi');
    assert.equal(claim.spec.storageClassName, 'fast-ssd');
    assert.equal(sts.spec.replicas, 1);
    assert.equal(sts.spec.serviceName, 'signet-redis');
    assert.equal(podSpec(sts).securityContext.runAsUser, 999);
  });
  test('signet gets the bundled Redis URL with the password, and the KEK value', () => {
    const { deployment, container, config } = standardChecks(docs);
    assert.equal(deployment.spec.replicas, 3);
    assert.equal(secretValue(docs, 'signet-redis-url', 'url'),
      'redis://:s3cret-redis-pass@signet-redis.identity.svc:6379/0');
    assert.deepEqual(container.env[0].valueFrom.secretKeyRef, { name: 'signet-redis-url', key: 'url' });
    assert.equal(secretValue(docs, 'signet-kek', 'kek'), 'z4xMFon+6e0acDKLcPxn6zQIKtctmnJUrcT0ReeHQo0=');
    assert.equal(Buffer.from(secretValue(docs, 'signet-kek', 'kek'), 'base64').length, 32);
    assert.equal(config.keys.encryption_key_file, '/etc/signet/kek/kek');
  });
  test('only signet pods may reach Redis, and signet may reach only Redis (and DNS)', () => {
    const redisPolicy = find(docs, 'NetworkPolicy', '-redis');
    const signetLabels = find(docs, 'Deployment').spec.template.metadata.labels;
    const redisLabels = podSpec(find(docs, 'StatefulSet')).containers && find(docs, 'StatefulSet').spec.template.metadata.labels;
    const from = redisPolicy.spec.ingress[0].from[0].podSelector.matchLabels;
    for (const [k, v] of Object.entries(from)) assert.equal(signetLabels[k], v);
    assert.deepEqual(redisPolicy.spec.egress, []);
    const egress = find(docs, 'NetworkPolicy', 'signet').spec.egress[1].to[0].podSelector.matchLabels;
    for (const [k, v] of Object.entries(egress)) assert.equal(redisLabels[k], v);
    assert.notEqual(signetLabels['app.kubernetes.io/component'], redisLabels['app.kubernetes.io/component']);
  });
  test('a PodDisruptionBudget keeps one pod while nodes drain', () => {
    assert.equal(find(docs, 'PodDisruptionBudget').spec.minAvailable, 1);
  });
  test('NOTES say the bundled Redis is a single pod', () => {
    assert.match(notes, /the bundled single pod signet-redis/);
  });
});

describe('values/external-url.yaml: Redis by URL, KEK by value', () => {
  const { docs } = renderOk(valuesFile('external-url'));

  test('objects are valid, hardened, probed and wired', () => {
    standardChecks(docs);
  });
  test('the URL (with its password) and the KEK become Secrets of the release', () => {
    assert.equal(secretValue(docs, 'signet-redis-url', 'url'), 'redis://:p%40ss@redis.cache.svc:6379/2');
    assert.equal(secretValue(docs, 'signet-kek', 'kek'), 'z4xMFon+6e0acDKLcPxn6zQIKtctmnJUrcT0ReeHQo0=');
    assert.equal(docs.some((d) => d.kind === 'StatefulSet'), false);
  });
  test('the Ingress uses its own host and no TLS when asked', () => {
    const ingress = find(docs, 'Ingress');
    assert.equal(ingress.spec.rules[0].host, 'login.example.net');
    assert.equal(ingress.spec.tls, undefined);
  });
});

describe('values/plaintext-dev.yaml: clear secrets allowed for development', () => {
  const { docs } = renderOk(valuesFile('plaintext-dev'));

  test('signet.yaml goes to a Secret, mounted read-only, and no ConfigMap exists', () => {
    const { pod, config } = standardChecks(docs);
    assert.equal(docs.some((d) => d.kind === 'ConfigMap'), false);
    const volume = pod.volumes.find((v) => v.name === 'config');
    assert.equal(volume.secret.secretName, 'signet-config');
    assert.equal(volume.secret.defaultMode, 0o440);
    assert.equal(config.clients[0].client_secret, 'dev-secret-DEVELOPMENT-ONLY');
  });
});

describe('configInSecret keeps even hashed credentials out of ConfigMaps', () => {
  test('signet.yaml is in a Secret', () => {
    const { docs } = renderOk(valuesFile('minimal'), { configInSecret: true });
    standardChecks(docs);
    assert.equal(docs.some((d) => d.kind === 'ConfigMap'), false);
  });
});

describe('the chart refuses what issue 7 forbids', () => {
  const minimal = valuesFile('minimal');
  const kek = { kek: { value: 'z4xMFon+6e0acDKLcPxn6zQIKtctmnJUrcT0ReeHQo0=' } };

  test('more than one replica without Redis', () => {
    assertFails([minimal, { replicaCount: 2 }],
      'replicaCount is 2 but no Redis is configured: replicas need shared state');
  });
  test('an autoscaler without Redis', () => {
    assertFails([minimal, { autoscaling: { enabled: true } }], 'autoscaling.enabled needs Redis');
  });
  test('Redis without a KEK (never generated)', () => {
    assertFails([minimal, { redis: { url: 'redis://r:6379/0' } }],
      'Redis needs a key-encryption key', 'openssl rand -base64 32',
      'The chart does not generate one');
    assertFails([minimal, { redis: { bundled: { enabled: true } } }], 'Redis needs a key-encryption key');
  });
  test('a KEK that is not 32 bytes, or given twice', () => {
    assertFails([minimal, { kek: { value: 'c2hvcnQ=' } }], 'exactly 32 random bytes');
    assertFails([minimal, kek, { kek: { existingSecret: 'k' } }], 'not both');
  });
  test('two Redis sources at once', () => {
    assertFails([minimal, kek, { redis: { url: 'redis://r:6379/0', bundled: { enabled: true } } }],
      'set only one of redis.url, redis.existingSecret and redis.bundled.enabled');
  });
  test('a clear client secret or password unless allowPlaintextSecrets', () => {
    assertFails([minimal, { clients: [{ client_id: 'a', client_secret: 'x' }] }],
      'use client_secret_hash / password_hash (the output of `signet hash-secret`)');
    assertFails([minimal, { users: [{ username: 'u', password: 'p' }] }], 'allowPlaintextSecrets=true');
  });
  test('a grace period Kubernetes would cut short', () => {
    assertFails([minimal, { terminationGracePeriodSeconds: 12, preStopSleepSeconds: 5 }],
      'terminationGracePeriodSeconds (12) must be longer than preStopSleepSeconds + shutdownGraceSeconds (5 + 10)');
  });
  test('a preStop sleep on a cluster older than 1.30', () => {
    const result = renderChart(kChartDir, [minimal, { preStopSleepSeconds: 5 }], ['--kube-version', 'v1.29.4']);
    assert.equal(result.ok, false);
    assert.match(result.stderr, /preStopSleepSeconds needs Kubernetes 1\.30 or later .*v1\.29\.4/);
    assert.ok(renderChart(kChartDir, [minimal], ['--kube-version', 'v1.29.4']).ok, 'without it 1.29 works');
  });
  test('a cluster older than Chart.yaml\'s kubeVersion (1.23)', () => {
    const result = renderChart(kChartDir, [minimal], ['--kube-version', 'v1.22.0']);
    assert.equal(result.ok, false);
    assert.match(result.stderr, /chart requires kubeVersion: >=1\.23\.0-0/);
  });
  test('a non-https issuer', () => {
    assertFails([minimal, { issuer: 'http://id.example.com' }], 'must be an https URL');
  });
  test('every problem is reported at once', () => {
    const result = render({ replicaCount: 3, users: [{ username: 'u', password: 'p' }] });
    assert.equal(result.ok, false);
    assert.equal((result.stderr.match(/^ {2}- /gm) ?? []).length, 3, result.stderr);
  });
});

describe('checksum annotations roll the pods exactly when config or secrets change', () => {
  const annotations = (...sources) =>
    find(renderOk(...sources).docs, 'Deployment').spec.template.metadata.annotations;
  const base = valuesFile('bundled-redis');

  test('rendering twice gives the same checksums (no rollout without a change)', () => {
    assert.deepEqual(annotations(base), annotations(base));
  });
  test('a config change changes checksum/config only', () => {
    const before = annotations(base);
    const after = annotations(base, { config: { tokens: { access_token_ttl: '5m' } } });
    assert.notEqual(after['checksum/config'], before['checksum/config']);
    assert.equal(after['checksum/secrets'], before['checksum/secrets']);
  });
  test('a new KEK or Redis password changes checksum/secrets', () => {
    const before = annotations(base);
    const kek = annotations(base, { kek: { value: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } });
    const password = annotations(base, { redis: { bundled: { password: 'another-password-0123' } } });
    assert.notEqual(kek['checksum/secrets'], before['checksum/secrets']);
    assert.notEqual(password['checksum/secrets'], before['checksum/secrets']);
  });
});

describe('names', () => {
  test('a 70-character fullnameOverride still gives valid names (Redis objects included)', () => {
    const { docs } = renderOk(valuesFile('bundled-redis'), { fullnameOverride: 'x'.repeat(70) });
    assertValidKubernetes(docs);
    assertMetadata(docs, kNamespace);
    assert.ok(docs.every((d) => d.metadata.name.length <= 63));
  });
});
