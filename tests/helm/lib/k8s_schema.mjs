// Validates rendered Kubernetes objects against the API schemas shipped in the npm packages
// kubernetes-models (Kubernetes 1.3x core groups) and @kubernetes-models/prometheus-operator
// (ServiceMonitor). Their validators are ajv code compiled from the Kubernetes OpenAPI document:
// types, int32/quantity/... formats, enums and required fields. They let unknown fields
// through, which the API server rejects (strict field validation, kubectl's default since
// 1.27), so unknownFields() adds that check: it runs the validator over a Proxy that records
// every property the schema reads and reports every field no schema read.
import { runValidateFunc } from '@kubernetes-models/validate';

const kSchemas = {
  'apps/v1/Deployment': 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment',
  'apps/v1/StatefulSet': 'kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSet',
  'autoscaling/v2/HorizontalPodAutoscaler':
    'kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler',
  'networking.k8s.io/v1/Ingress': 'kubernetes-models/_schemas/IoK8sApiNetworkingV1Ingress',
  'networking.k8s.io/v1/NetworkPolicy':
    'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget',
  'v1/ConfigMap': 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap',
  'v1/Secret': 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret',
  'v1/Service': 'kubernetes-models/_schemas/IoK8sApiCoreV1Service',
  'v1/ServiceAccount': 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount',
  // Not in the package's "exports": loaded by file.
  'monitoring.coreos.com/v1/ServiceMonitor': new URL('../node_modules/@kubernetes-models/' +
    'prometheus-operator/_schemas/' +
    'ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitor.js',
  import.meta.url).href,
};

const validators = new Map();
for (const [kind, module] of Object.entries(kSchemas)) {
  validators.set(kind, (await import(module)).validate);
}

export function hasSchema(obj) {
  return validators.has(`${obj.apiVersion}/${obj.kind}`);
}

// Throws with the schema's messages when `obj` is not a valid object of its kind.
export function validateObject(obj) {
  const validate = validators.get(`${obj.apiVersion}/${obj.kind}`);
  if (!validate) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  runValidateFunc(validate, obj);
}

// Paths ("Deployment.spec.template.spec.foo") of the fields the schema of obj's kind does not
// define. Objects whose keys the validator enumerates (labels, data: maps) accept any key.
export function unknownFields(obj) {
  const validate = validators.get(`${obj.apiVersion}/${obj.kind}`);
  const reads = new Map();  // target -> { path, names read }
  const maps = new Set();   // targets whose keys were enumerated
  const proxies = new Map();
  const wrap = (target, path) => {
    if (proxies.has(target)) return proxies.get(target);
    reads.set(target, { path, names: new Set() });
    const proxy = new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver);
        if (typeof prop !== 'string') return value;
        reads.get(t).names.add(prop);
        if (value === null || typeof value !== 'object') return value;
        return wrap(value, Array.isArray(t) ? `${path}[${prop}]` : `${path}.${prop}`);
      },
      ownKeys(t) {
        maps.add(t);
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  validate(wrap(structuredClone(obj), obj.kind));
  const unknown = [];
  for (const [target, { path, names }] of reads) {
    if (Array.isArray(target) || maps.has(target)) continue;
    for (const key of Object.keys(target)) {
      if (!names.has(key)) unknown.push(`${path}.${key}`);
    }
  }
  return unknown;
}
