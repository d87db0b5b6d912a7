// The Dockerfile, checked offline (no Docker engine here): its build stage uses the project's
// build packages and CMake options, its runtime stage is non-root without a HEALTHCHECK, and
// every shared library the built signet links comes from a package the runtime stage has or
// copies (the same check the Dockerfile's build stage runs, on this machine's binary).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { kRoot } from './lib/render.mjs';

const dockerfile = readFileSync(path.join(kRoot, 'Dockerfile'), 'utf8');
// Instructions with their continuation lines joined, comments dropped.
const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n')
  .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = [];
for (const line of instructions) {
  if (/^FROM /i.test(line)) stages.push({ from: line.split(/\s+/)[1], lines: [] });
  else if (stages.length) stages.at(-1).lines.push(line);
}
const argDefault = (name) => {
  const line = instructions.find((l) => l.startsWith(`ARG ${name}=`));
  assert.ok(line, `ARG ${name} missing`);
  return line.slice(`ARG ${name}=`.length).replace(/^"|"$/g, '');
};
const words = (s) => s.split(/\s+/).filter(Boolean);
const [buildStage, runtimeStage] = stages;
const buildRun = buildStage.lines.filter((l) => l.startsWith('RUN ')).join(' ');

// What gcr.io/distroless/cc-debian12 ships (its documented package set: base-debian12 plus
// libgcc-s1, libgomp1, libstdc++6); a RUNTIME_BASE_PACKAGES entry outside it would be missing.
const kDistrolessCc = new Set(['base-files', 'ca-certificates', 'libc6', 'libssl3', 'netbase',
  'tzdata', 'libgcc-s1', 'libgomp1', 'libstdc++6']);
// -dev packages of install-deps.sh the image does not build with: test, fuzz and benchmark
// libraries, and the Go sources of the chart renderer (golang-*).
const kTestOnly = new Set(['libgtest-dev', 'libgmock-dev', 'libbenchmark-dev', 'libclang-rt-14-dev']);
const isTestOnly = (pkg) => kTestOnly.has(pkg) || pkg.startsWith('golang-');

function installDepsPackages() {
  const text = readFileSync(path.join(kRoot, 'scripts', 'install-deps.sh'), 'utf8');
  const block = text.match(/^packages=\(\n([\s\S]*?)\n\)/m);
  assert.ok(block, 'packages=( ... ) not found in scripts/install-deps.sh');
  return new Set(words(block[1].replace(/#.*$/gm, '')));
}

function aptInstalled() {
  const m = buildRun.match(/apt-get install (.*?)&&/);
  assert.ok(m, 'no apt-get install in the build stage');
  return words(m[1]).filter((w) => !w.startsWith('-'));
}

function cmakeConfigure() {
  const m = buildRun.match(/cmake -S \. -B (\S+) (.*?)&&/);
  assert.ok(m, 'no `cmake -S . -B DIR` in the build stage');
  const defs = Object.fromEntries([...m[2].matchAll(/-D(\w+)=(\S*)/g)].map((d) => [d[1], d[2]]));
  return { dir: m[1], args: m[2], defs };
}

// The signet binary to inspect: SIGNET_BIN, else a Release build, else the sanitizer build.
function findBinary() {
  const candidates = [process.env.SIGNET_BIN, 'build-rel', 'build', 'build-asan']
    .filter(Boolean).map((c) => (c.includes('/') ? c : path.join(kRoot, c, 'server', 'signet')));
  return candidates.find((c) => existsSync(c));
}

// The Debian package that owns a library path, trying the merged-/usr spellings too.
function owner(lib) {
  const real = execFileSync('readlink', ['-f', lib], { encoding: 'utf8' }).trim();
  for (const p of [lib, real, lib.replace(/^\/usr/, ''), `/usr${lib}`]) {
    const r = spawnSync('dpkg', ['-S', p], { encoding: 'utf8' });
    if (r.status === 0) return r.stdout.split(':')[0];
  }
  return null;
}

describe('Dockerfile', () => {
  test('builds on debian:12 and runs on distroless cc-debian12', () => {
    assert.equal(stages.length, 2);
    assert.equal(buildStage.from, '${BUILD_IMAGE}');
    assert.equal(argDefault('BUILD_IMAGE'), 'debian:12');
    assert.equal(runtimeStage.from, '${RUNTIME_IMAGE}');
    assert.match(argDefault('RUNTIME_IMAGE'), /^gcr\.io\/distroless\/cc-debian12(:nonroot)?$/);
  });

  test('installs the build packages of scripts/install-deps.sh, and all its libraries', () => {
    const deps = installDepsPackages();
    const installed = aptInstalled();
    for (const pkg of installed) assert.ok(deps.has(pkg), `${pkg} is not in scripts/install-deps.sh`);
    const libraries = [...deps].filter((p) => p.endsWith('-dev') && !isTestOnly(p));
    for (const pkg of libraries) assert.ok(installed.includes(pkg), `${pkg} missing from the image build`);
    for (const tool of ['g++', 'cmake', 'ninja-build', 'pkg-config']) assert.ok(installed.includes(tool), tool);
  });

  test('configures CMake with the project\'s options: Release, no tests, sanitizers or fuzzers', () => {
    const cmakeLists = readFileSync(path.join(kRoot, 'CMakeLists.txt'), 'utf8');
    const declared = new Set([
      ...[...cmakeLists.matchAll(/^option\((\w+)/gm)].map((m) => m[1]),
      ...[...cmakeLists.matchAll(/^set\((\w+) .*CACHE/gm)].map((m) => m[1]),
    ]);
    const { args, defs } = cmakeConfigure();
    assert.match(args, /-G Ninja/);
    for (const name of Object.keys(defs)) {
      assert.ok(name.startsWith('CMAKE_') || declared.has(name), `-D${name} is not an option of CMakeLists.txt`);
    }
    assert.equal(defs.CMAKE_BUILD_TYPE, 'Release');
    assert.equal(defs.SIGNET_BUILD_TESTS, 'OFF');
    assert.equal(defs.SIGNET_BUILD_BENCH, 'OFF');
    assert.equal(defs.SIGNET_BUILD_FUZZERS, 'OFF');
    assert.equal(defs.SIGNET_SANITIZE, '');
    for (const option of declared) {
      if (option.startsWith('SIGNET_')) assert.ok(option in defs, `${option} is not set explicitly`);
    }
  });

  test('builds the signet target only, which server/CMakeLists.txt defines', () => {
    const { dir } = cmakeConfigure();
    assert.match(buildRun, new RegExp(`cmake --build ${dir} --target signet(\\s|$)`));
    assert.match(readFileSync(path.join(kRoot, 'server', 'CMakeLists.txt'), 'utf8'),
      /^add_executable\(signet /m);
  });

  test('runtime stage: non-root user, only the binary and libraries, no HEALTHCHECK', () => {
    const user = runtimeStage.lines.find((l) => l.startsWith('USER '));
    assert.ok(user, 'no USER in the runtime stage');
    const [uid] = words(user)[1].split(':');
    assert.match(uid, /^[1-9][0-9]*$/, 'USER must be a numeric non-root id (runAsNonRoot checks it)');
    assert.equal(instructions.some((l) => /^HEALTHCHECK\b/i.test(l)), false);
    assert.equal(runtimeStage.lines.some((l) => /^(RUN|ADD) /.test(l)), false, 'no RUN/ADD in distroless');
    const copies = runtimeStage.lines.filter((l) => l.startsWith('COPY '));
    assert.ok(copies.every((l) => l.includes('--from=build') && l.includes('/rootfs/')), copies.join('\n'));
    const entry = runtimeStage.lines.find((l) => l.startsWith('ENTRYPOINT '));
    assert.deepEqual(JSON.parse(entry.slice('ENTRYPOINT '.length)), ['/usr/local/bin/signet']);
    assert.ok(runtimeStage.lines.includes('EXPOSE 8080'));
  });

  test('RUNTIME_BASE_PACKAGES are in distroless cc; RUNTIME_COPY_PACKAGES are real packages', () => {
    for (const pkg of words(argDefault('RUNTIME_BASE_PACKAGES'))) {
      assert.ok(kDistrolessCc.has(pkg), `${pkg} is not in gcr.io/distroless/cc-debian12`);
    }
    for (const pkg of words(argDefault('RUNTIME_COPY_PACKAGES'))) {
      const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', pkg], { encoding: 'utf8' });
      assert.equal(r.stdout, 'installed', `${pkg} is not an installed Debian package here`);
    }
  });

  const binary = findBinary();
  const skip = binary ? false : 'no signet binary (build-rel/, build/, build-asan/ or SIGNET_BIN) to run ldd on';
  test('every shared library ldd lists comes from a package the runtime stage has or copies', { skip }, () => {
    const provided = new Set([...words(argDefault('RUNTIME_BASE_PACKAGES')),
      ...words(argDefault('RUNTIME_COPY_PACKAGES'))]);
    const ldd = execFileSync('ldd', [binary], { encoding: 'utf8' });
    const libs = [...ldd.matchAll(/=> (\/\S+)/g)].map((m) => m[1])
      // A sanitizer build links its runtimes; the image is a Release build without them.
      .filter((lib) => !/\/lib(asan|ubsan|tsan|lsan)\.so|libclang_rt/.test(lib));
    assert.ok(libs.length >= 5, `ldd found too few libraries:\n${ldd}`);
    const missing = libs.map((lib) => [lib, owner(lib)]).filter(([, pkg]) => !provided.has(pkg));
    assert.deepEqual(missing, [], `${binary} links libraries the image lacks`);
  });

  test('.dockerignore keeps build trees, node_modules and var/ out of the context', () => {
    const ignored = readFileSync(path.join(kRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const pattern of ['build-*', 'build', '**/node_modules', 'var', '.git']) {
      assert.ok(ignored.includes(pattern), `${pattern} not in .dockerignore`);
    }
  });
});
