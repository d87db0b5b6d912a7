// Assertions every rendered values set must pass: Kubernetes schemas, no unknown fields,
// labels and names, the security settings and probes of issue 7, and references that resolve
// (selectors, volumes, Secrets).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { hasSchema, unknownFields, validateObject } from './k8s_schema.mjs';
import { find, signetYaml } from './render.mjs';

const kDns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function assertValidKubernetes(docs) {
  for (const obj of docs) {
    const what = `${obj.kind}/${obj.metadata?.name}`;
    assert.ok(hasSchema(obj), `${what}: ${obj.apiVersion} ${obj.kind} has no schema in the tests`);
    assert.doesNotThrow(() => validateObject(obj), `${what} is not a valid ${obj.kind}`);
    assert.deepEqual(unknownFields(obj), [], `${what} has fields its schema does not define`);
  }
}

export function assertMetadata(docs, namespace) {
  for (const obj of docs) {
    const what = `${obj.kind}/${obj.metadata.name}`;
    assert.match(obj.metadata.name, kDns1123Label, `${what}: name is not a DNS-1123 label`);
    assert.ok(obj.metadata.name.length <= 63, `${what}: name longer than 63`);
    assert.equal(obj.metadata.namespace, namespace, `${what}: namespace`);
    for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance',
      'app.kubernetes.io/managed-by', 'helm.sh/chart']) {
      assert.ok(obj.metadata.labels?.[key], `${what}: label ${key} missing`);
    }
  }
}

function matches(selector, labels) {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function podSpec(workload) {
  return workload.spec.template.spec;
}

// Non-root, read-only root filesystem, no privilege escalation, every capability dropped.
export function assertHardened(workload) {
  const what = `${workload.kind}/${workload.metadata.name}`;
  const pod = podSpec(workload);
  assert.equal(pod.securityContext.runAsNonRoot, true, `${what}: pod runAsNonRoot`);
  assert.ok(pod.securityContext.runAsUser > 0, `${what}: pod runAsUser must not be root`);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', `${what}: seccomp`);
  assert.equal(pod.automountServiceAccountToken, false, `${what}: service account token mounted`);
  assert.equal(pod.hostNetwork ?? false, false);
  assert.equal(pod.hostPID ?? false, false);
  for (const volume of pod.volumes ?? []) {
    assert.equal(volume.hostPath, undefined, `${what}: hostPath volume ${volume.name}`);
  }
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const sc = c.securityContext;
    assert.ok(sc, `${what}/${c.name}: no securityContext`);
    assert.equal(sc.runAsNonRoot, true, `${what}/${c.name}: runAsNonRoot`);
    assert.equal(sc.allowPrivilegeEscalation, false, `${what}/${c.name}: allowPrivilegeEscalation`);
    assert.equal(sc.readOnlyRootFilesystem, true, `${what}/${c.name}: readOnlyRootFilesystem`);
    assert.equal(sc.privileged, false, `${what}/${c.name}: privileged`);
    assert.deepEqual(sc.capabilities.drop, ['ALL'], `${what}/${c.name}: capabilities.drop`);
    assert.equal(sc.capabilities.add, undefined, `${what}/${c.name}: capabilities.add`);
    assert.ok(c.resources?.requests?.memory && c.resources?.limits?.memory,
      `${what}/${c.name}: memory request and limit`);
    const mounts = new Set((pod.volumes ?? []).map((v) => v.name));
    for (const m of c.volumeMounts ?? []) {
      assert.ok(mounts.has(m.name) || workload.spec.volumeClaimTemplates?.some(
        (t) => t.metadata.name === m.name), `${what}/${c.name}: mount ${m.name} has no volume`);
    }
  }
}

// The signet Deployment and everything that points at its pods.
export function assertSignetWorkload(docs) {
  const deployment = find(docs, 'Deployment');
  assert.ok(deployment, 'no Deployment');
  const pod = podSpec(deployment);
  const labels = deployment.spec.template.metadata.labels;
  assert.ok(matches(deployment.spec.selector.matchLabels, labels), 'Deployment selector');
  assertHardened(deployment);

  const [container] = pod.containers;
  assert.equal(pod.containers.length, 1);
  const http = container.ports.find((p) => p.name === 'http');
  assert.equal(http.containerPort, 8080);
  assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
  assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
  assert.deepEqual(container.startupProbe.httpGet, { path: '/healthz', port: 'http' });
  assert.deepEqual(container.args, ['serve', '--config', '/etc/signet/config/signet.yaml']);

  const config = YAML.parse(signetYaml(docs));
  assert.equal(config.listen, '0.0.0.0:8080');
  assert.match(config.issuer, /^https:\/\//);
  assert.equal(config.redis, undefined, 'the Redis URL belongs in SIGNET_REDIS_URL (a Secret)');
  assert.ok(config.keys.dir.startsWith('/var/lib/signet/'), 'keys.dir is inside the data emptyDir');
  const data = pod.volumes.find((v) => v.name === 'data');
  assert.ok(data.emptyDir, 'keys.dir volume is an emptyDir');
  assert.equal(container.volumeMounts.find((m) => m.name === 'data').mountPath, '/var/lib/signet');

  // SIGTERM: Kubernetes waits longer than the preStop sleep plus signet's own drain time.
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  assert.ok(pod.terminationGracePeriodSeconds > preStop + config.server.shutdown_grace,
    `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} <= ` +
    `${preStop} + ${config.server.shutdown_grace}`);

  // A config change rolls the pods: the annotation is the hash of signet.yaml itself.
  const annotations = deployment.spec.template.metadata.annotations;
  const hash = createHash('sha256').update(signetYaml(docs).replace(/\n$/, '')).digest('hex');
  assert.equal(annotations['checksum/config'], hash);
  assert.match(annotations['checksum/secrets'], /^[0-9a-f]{64}$/);

  const service = find(docs, 'Service', deployment.metadata.name);
  assert.ok(matches(service.spec.selector, labels), 'Service selector does not select the pods');
  assert.equal(service.spec.ports[0].targetPort, 'http');
  for (const kind of ['PodDisruptionBudget', 'NetworkPolicy']) {
    const obj = docs.find((d) => d.kind === kind && d.metadata.name === deployment.metadata.name);
    if (obj) {
      const selector = obj.spec.selector?.matchLabels ?? obj.spec.podSelector.matchLabels;
      assert.ok(matches(selector, labels), `${kind} does not select the pods`);
    }
  }
  return { deployment, pod, container, config };
}

// Every Secret / ConfigMap the pods use is rendered, or is one the values name as existing.
export function assertReferencesResolve(docs, existingSecrets = []) {
  const have = (kind, name) => docs.some((d) => d.kind === kind && d.metadata.name === name);
  for (const workload of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')) {
    const pod = podSpec(workload);
    for (const v of pod.volumes ?? []) {
      if (v.configMap) assert.ok(have('ConfigMap', v.configMap.name), `ConfigMap ${v.configMap.name}`);
      if (v.secret) {
        assert.ok(have('Secret', v.secret.secretName) || existingSecrets.includes(v.secret.secretName),
          `Secret ${v.secret.secretName} is neither rendered nor declared existing`);
      }
    }
    for (const c of pod.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === ref.name);
        if (secret) assert.ok(ref.key in secret.data, `Secret ${ref.name} has no key ${ref.key}`);
        else assert.ok(existingSecrets.includes(ref.name), `Secret ${ref.name} is not rendered`);
      }
    }
  }
}

export function secretValue(docs, name, key) {
  const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === name);
  assert.ok(secret, `no Secret ${name}`);
  return Buffer.from(secret.data[key], 'base64').toString('utf8');
}
