// Starts the real signet binary on a free loopback port with a throw-away config and key dir,
// for the interop suite. Usage:
//
//   const server = await startSignet();          // SIGNET_BIN, default ../../build-asan/...
//   const res = await fetch(`${server.issuer}/healthz`);
//   const exitCode = await server.stop();        // SIGTERM, waits for the process to exit
//
// The process's output goes to tests/integration/out/<port>.log (git-ignored) and is printed
// when the server fails to start.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, createWriteStream } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const kRepoRoot = resolve(here, '../../..');
// Absolute, because servers run with a temp working directory.
export const kSignetBin = process.env.SIGNET_BIN
  ? resolve(process.env.SIGNET_BIN)
  : join(kRepoRoot, 'build-asan/server/signet');

// The two interop clients of issue 3: one per access-token algorithm, one per auth method.
export const kAudience = 'https://api.example.com';
export const kOtherAudience = 'https://reports.example.com';
export const kClients = {
  rs: {
    client_id: 'rs-client',
    client_secret: 'rs-client-secret-0123456789abcdef',
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'orders.read orders.write',
    audience: [kAudience, kOtherAudience],
    alg: 'RS256',
  },
  es: {
    client_id: 'es-client',
    client_secret: 'es-client-secret-fedcba9876543210',
    token_endpoint_auth_method: 'client_secret_post',
    scope: 'orders.read',
    audience: [kAudience],
    alg: 'ES256',
  },
};

// A port the kernel just handed out; closed again before signet binds it (a small race that is
// acceptable on a test machine).
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function clientYaml(c) {
  return [
    `  - client_id: "${c.client_id}"`,
    `    client_secret: "${c.client_secret}"`,
    `    token_endpoint_auth_method: ${c.token_endpoint_auth_method}`,
    `    grant_types: [client_credentials]`,
    `    scope: "${c.scope}"`,
    `    audience: [${c.audience.map((a) => `"${a}"`).join(', ')}]`,
    `    access_token_signed_response_alg: ${c.alg}`,
  ].join('\n');
}

// `extraClients`: further YAML list items (each starting with "  - client_id: ...").
// `tokens` / `keys`: further lines inside those blocks (each indented by two spaces), e.g.
// '  access_token_ttl: 3'; a later line with the same key would be a duplicate, so the
// defaults below are only written when the caller does not set them.
export function configYaml({
  port,
  issuer = `http://127.0.0.1:${port}`,
  keysDir,
  extra = '',
  extraClients = [],
  tokens = [],
  keys = [],
}) {
  const has = (lines, key) => lines.some((l) => l.trimStart().startsWith(`${key}:`));
  const tokenLines = [...tokens];
  if (!has(tokenLines, 'access_token_ttl')) tokenLines.push('  access_token_ttl: 300');
  if (!has(tokenLines, 'signing_alg')) tokenLines.push('  signing_alg: RS256');
  const keyLines = [...keys];
  if (!has(keyLines, 'algorithms')) keyLines.push('  algorithms: [RS256, ES256]');
  if (!has(keyLines, 'dir')) keyLines.push(`  dir: "${keysDir}"`);
  return `# written by tests/integration/lib/signet_server.mjs
issuer: "${issuer}"
listen: "127.0.0.1:${port}"
threads: 2
tokens:
${tokenLines.join('\n')}
keys:
${keyLines.join('\n')}
clients:
${[...Object.values(kClients).map(clientYaml), ...extraClients].join('\n')}
${extra}`;
}

// The contract's environment overrides would silently replace a config file's values.
function cleanEnv() {
  const env = { ...process.env };
  for (const k of ['SIGNET_CONFIG', 'SIGNET_ISSUER', 'SIGNET_LISTEN', 'SIGNET_REDIS_URL']) {
    delete env[k];
  }
  return env;
}

// Runs a CLI command of the binary to completion: { status, stdout, stderr }.
// A command that does not end within `timeout` ms is killed (r.signal is then set).
export function runSignet(args, { input, env = {}, timeout = 60_000 } = {}) {
  const r = spawnSync(kSignetBin, args, {
    input,
    env: { ...cleanEnv(), ...env },
    encoding: 'utf8',
    timeout,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// One GET without keep-alive (agent: false), so that the readiness probe leaves no pooled
// connection behind to count against the server's connection limit.
function probe(url) {
  return new Promise((resolveStatus) => {
    const req = get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveStatus(0));
  });
}

async function waitForHealthy(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`signet exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    if ((await probe(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`signet did not answer ${url} within ${deadlineMs} ms`);
}

// Options: extraConfig / extraClients / tokens / keys extend the generated config (see
// configYaml); keysDir shares a key directory between servers (it is then not removed on
// stop); embedded: true starts `signet serve` WITHOUT a config (the embedded default), moved
// to the free port through the contract's SIGNET_LISTEN / SIGNET_ISSUER overrides, with a
// temp working directory (its ./var/keys); env adds environment variables; issuer sets the
// configured issuer (replicas share one), `url` is where this process answers.
// Options for startSignet that put a replica on `redis` with a fresh random KEK (mode 0600) in
// a scratch directory: every replica started with the same options shares one key ring.
// `keys` lines and `extraConfig` are added to what this sets; the rest is passed through.
// Returns { work, options }; remove `work` when done.
export function redisReplicaOptions(redis, { keys = [], extraConfig = '', ...rest } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'signet-replicas-'));
  const kek = join(work, 'kek');
  writeFileSync(kek, randomBytes(32), { mode: 0o600 });
  return {
    work,
    options: {
      ...rest,
      keys: [...keys, `  encryption_key_file: "${kek}"`],
      extraConfig: `redis:\n  url: "${redis.url}"\n${extraConfig}`,
    },
  };
}

export async function startSignet({
  issuer: configuredIssuer,
  extraConfig = '',
  extraClients = [],
  tokens = [],
  keys = [],
  keysDir: sharedKeysDir,
  embedded = false,
  env: extraEnv = {},
} = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'signet-it-'));
  const keysDir = sharedKeysDir ?? join(dir, 'keys');
  const configPath = join(dir, 'signet.yaml');
  writeFileSync(
    configPath,
    configYaml({
      port,
      issuer: configuredIssuer,
      keysDir,
      extra: extraConfig,
      extraClients,
      tokens,
      keys,
    }),
  );

  const outDir = join(kRepoRoot, 'tests/integration/out');
  mkdirSync(outDir, { recursive: true });
  const logPath = join(outDir, `signet-${port}.log`);
  const log = createWriteStream(logPath);
  let output = '';

  const env = cleanEnv();
  env.SIGNET_LOG_FORMAT = env.SIGNET_LOG_FORMAT ?? 'text';
  if (embedded) {
    env.SIGNET_LISTEN = `127.0.0.1:${port}`;
    env.SIGNET_ISSUER = `http://127.0.0.1:${port}`;
  }
  Object.assign(env, extraEnv);

  const args = embedded ? ['serve'] : ['serve', '--config', configPath];
  const child = spawn(kSignetBin, args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const spawnError = new Promise((_, reject) => child.on('error', reject));

  const url = `http://127.0.0.1:${port}`;
  const issuer = configuredIssuer ?? url;
  try {
    await Promise.race([waitForHealthy(`${url}/healthz`, child, 60_000), spawnError]);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${err.message}\n--- signet output (${logPath}) ---\n${output}`);
  }

  let stopped = null;
  return {
    issuer,
    url,
    port,
    configPath,
    workDir: dir,
    keysDir,
    get output() {
      return output;
    },
    pid: child.pid,
    // false once the process has exited (crashed, or stopped).
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    // SIGTERM (or `signal`), then the exit code (or `signal:NAME`); SIGKILL after 20 s.
    async stop(signal = 'SIGTERM') {
      if (stopped) return stopped;
      stopped = (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const { code, signal: exitSignal } = await exited;
        clearTimeout(timer);
        log.end();
        rmSync(dir, { recursive: true, force: true });
        return code ?? `signal:${exitSignal}`;
      })();
      return stopped;
    },
  };
}
