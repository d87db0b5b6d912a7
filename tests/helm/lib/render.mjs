// Runs the chart renderer (render/main.go, built by build.sh) the way `helm template` runs,
// and parses what it prints. The renderer is built once per test process (go caches it).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const kTestsDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const kRoot = path.resolve(kTestsDir, '..', '..');
export const kChartDir = path.join(kRoot, 'helm', 'signet');
export const kValuesDir = path.join(kTestsDir, 'values');
const kRenderer = process.env.HELM_RENDER ?? path.join(kRoot, 'build-helm', 'helm-render');

let built = false;
function ensureBuilt() {
  if (built || process.env.HELM_RENDER) return;
  execFileSync('bash', [path.join(kTestsDir, 'build.sh'), kRenderer], { stdio: 'pipe' });
  built = true;
}

export function valuesFile(name) {
  return path.join(kValuesDir, `${name}.yaml`);
}

// Renders helm/signet with the values files (paths) and/or inline values objects, in order.
// Returns { ok, status, stderr, docs (parsed objects), text, notes }.
export function render(...sources) {
  return renderChart(kChartDir, sources);
}

// Renders any chart directory; `extraArgs` go to the renderer (e.g. --kube-version).
export function renderChart(chartDir, sources, extraArgs = []) {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-chart-'));
  try {
    const args = ['--chart', chartDir, '--release-name', 'signet', '--namespace', 'identity',
      '--notes', path.join(dir, 'NOTES.txt'), ...extraArgs];
    sources.forEach((source, i) => {
      let file = source;
      if (typeof source !== 'string') {
        file = path.join(dir, `inline-${i}.yaml`);
        writeFileSync(file, YAML.stringify(source));
      }
      args.push('-f', file);
    });
    const run = spawnSync(kRenderer, args, { encoding: 'utf8' });
    if (run.error) throw run.error;
    const result = { ok: run.status === 0, status: run.status, stderr: run.stderr, text: run.stdout };
    if (!result.ok) return result;
    // YAML 1.1 as Kubernetes reads it (sigs.k8s.io/yaml): 0440 is octal, yes/no are booleans.
    result.docs = YAML.parseAllDocuments(run.stdout, { version: '1.1' }).map((doc) => {
      if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJS();
    }).filter((obj) => obj !== null);
    result.notes = readFileSync(path.join(dir, 'NOTES.txt'), 'utf8');
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The values as helm sees them: values.yaml with the files layered on top (for the schema).
export function loadValues(file) {
  return YAML.parse(readFileSync(file, 'utf8')) ?? {};
}

export function find(docs, kind, nameSuffix = '') {
  return docs.find((d) => d.kind === kind && d.metadata.name.endsWith(nameSuffix));
}

export function kinds(docs) {
  return docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
}

// signet.yaml as the pod reads it, from the ConfigMap or the Secret.
export function signetYaml(docs) {
  const cm = docs.find((d) => d.kind === 'ConfigMap' && d.data?.['signet.yaml']);
  if (cm) return cm.data['signet.yaml'];
  const secret = docs.find((d) => d.kind === 'Secret' && d.data?.['signet.yaml']);
  return Buffer.from(secret.data['signet.yaml'], 'base64').toString('utf8');
}
