// The renderer behaves as helm 3 renders (helm.sh/helm/v3/pkg/engine, pkg/chartutil), checked on
// the fixture chart fixtures/engine: the chart tests are only as good as this engine.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { kTestsDir, renderChart } from './lib/render.mjs';

const kFixture = path.join(kTestsDir, 'fixtures', 'engine');

function fixture(values = {}, args = []) {
  return renderChart(kFixture, [values], args);
}

describe('helm-render (Helm 3 template engine on text/template + sprig)', () => {
  const { docs, text, notes, ok, stderr } = fixture();
  const [obj] = docs ?? [{}];

  test('renders every non-partial template with a "# Source" header; whitespace-only files are left out', () => {
    assert.ok(ok, stderr);
    // empty.yaml and fail.yaml (with its flags off) render only whitespace.
    assert.deepEqual([...text.matchAll(/^# Source: (.*)$/gm)].map((m) => m[1]),
      ['engine/templates/all.yaml']);
    assert.equal(text.includes('_helpers.tpl'), false);
    assert.equal(obj.kind, 'Fixture');
  });
  test('include + nindent, tpl with the top context', () => {
    assert.deepEqual(obj.labels, { app: 'engine', release: 'signet' });
    assert.equal(obj.tpl, 'hello signet in identity');
  });
  test('numbers are float64 as with sigs.k8s.io/yaml (1000000 prints as 1e+06, like helm)', () => {
    assert.equal(obj.replicas, 2);
    assert.match(text, /^big: 1e\+06$/m);
  });
  test('a missing value renders empty, never "<no value>"', () => {
    assert.equal(obj.missing, '');
    assert.equal(text.includes('<no value>'), false);
  });
  test('toYaml (sorted keys), fromYaml, fromJson, toJson', () => {
    assert.deepEqual(obj.nested, { a: 1, b: { c: 'two' }, keep: 'yes-string' });
    assert.match(text, /nested:\n {2}a: 1\n {2}b:\n {4}c: two\n {2}keep: yes-string\n/);
    assert.equal(obj.fromYaml, 7);
    assert.equal(obj.fromJson, 2);
    assert.deepEqual(obj.toJson, { c: 'two' });
  });
  test('.Files.Get, .Chart, .Capabilities, .Template, .Release', () => {
    assert.equal(obj.file, 'file content');
    assert.equal(obj.fileMissing, '');
    assert.equal(obj.chart, 'engine 1.2.3 4.5.6');
    assert.equal(obj.kube, 'v1.30.0 1 30');
    assert.equal(obj.hasApps, true);
    assert.equal(obj.hasMonitoring, false);
    assert.equal(obj.template, 'engine/templates/all.yaml');
    assert.equal(obj.basePath, 'engine/templates');
    assert.equal(obj.isInstall, true);
    assert.equal(obj.service, 'Helm');
  });
  test('sprig functions, and lookup finds nothing as in `helm template`', () => {
    assert.equal(obj.sprig, '1,2,3');
    assert.equal(obj.lookup, 0);
  });
  test('NOTES.txt is rendered apart from the manifests', () => {
    assert.equal(notes, 'Installed signet (engine).\n');
    assert.equal(text.includes('Installed'), false);
  });
  test('--api-versions and --kube-version reach .Capabilities', () => {
    const r = fixture({}, ['--api-versions', 'monitoring.coreos.com/v1', '--kube-version', 'v1.31.2']);
    assert.equal(r.docs[0].hasMonitoring, true);
    assert.equal(r.docs[0].kube, 'v1.31.2 1 31');
  });
  test('user values coalesce: maps merge, null deletes a default', () => {
    const r = fixture({ replicas: null, nested: { b: { d: 4 }, keep: null } });
    assert.ok(r.ok, r.stderr);
    assert.equal(r.docs[0].replicas, null);
    assert.deepEqual(r.docs[0].nested, { a: 1, b: { c: 'two', d: 4 } });
  });
  test('fail and required stop the render with helm\'s message and position', () => {
    const failed = fixture({ doFail: true });
    assert.equal(failed.status, 1);
    assert.equal(failed.stderr, 'Error: execution error at (engine/templates/fail.yaml:1:27): the values are wrong\n');
    const required = fixture({ doRequired: true });
    assert.equal(required.status, 1);
    assert.match(required.stderr, /^Error: execution error at \(engine\/templates\/fail\.yaml:2:\d+\): value x is required\n$/);
  });
  test('env and expandenv are not available, as in helm', () => {
    const r = fixture({ useEnv: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /function "env" not defined/);
  });
  test('Chart.yaml kubeVersion is enforced', () => {
    const r = fixture({}, ['--kube-version', 'v1.20.0']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /chart requires kubeVersion: >=1\.25\.0-0 which is incompatible with Kubernetes v1\.20\.0/);
  });
});
