// Starts a real redis-server on a free 127.0.0.1 port for the integration suite, and plays
// outages on it. Usage:
//
//   const redis = await startRedis();              // { url, port, ... }, answers PING
//   const server = await startSignet({ extraConfig: `redis:\n  url: "${redis.url}"\n` });
//   redis.pause(); ... redis.resume();             // SIGSTOP / SIGCONT: a hung Redis
//   await redis.stop(); ... await redis.start();   // SIGTERM, then again on the same port
//   await redis.kill();                            // SIGKILL: a crash
//   await redis.close();                           // kill + remove the data directory
//
// Options: password (--requirepass; the url then carries it), appendOnly (--appendonly yes,
// so data survives kill() + start()). The binary is $SIGNET_REDIS_SERVER or redis-server.
// Persistence is off by default (--save ""). The log is <dir>/redis.log, printed on failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kRedisBin = process.env.SIGNET_REDIS_SERVER || 'redis-server';
const kHost = '127.0.0.1';

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, kHost, () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

// One RESP command as an array of bulk strings (binary-safe, no inline parsing).
function encodeCommand(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

// Sends commands on a fresh connection and resolves with the raw reply text, or '' on any
// error or after `timeoutMs` (a hung server).
function rawCommands(port, commands, timeoutMs = 1000) {
  return new Promise((resolveReply) => {
    let reply = '';
    const socket = connect({ host: kHost, port });
    const done = () => {
      socket.destroy();
      resolveReply(reply);
    };
    socket.setTimeout(timeoutMs, () => {
      reply = '';
      done();
    });
    socket.on('error', () => {
      reply = '';
      done();
    });
    socket.on('connect', () => socket.write(commands.map(encodeCommand).join('')));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.split('\r\n').length > commands.length) done();
    });
  });
}

export async function startRedis({ password = '', appendOnly = false } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'signet-redis-'));
  const logPath = join(dir, 'redis.log');
  let child = null;
  let exited = null;

  const ping = async (timeoutMs = 1000) => {
    const commands = password ? [['AUTH', password], ['PING']] : [['PING']];
    const reply = await rawCommands(port, commands, timeoutMs);
    return reply.trimEnd().endsWith('+PONG');
  };

  const start = async () => {
    if (child) return;
    const args = ['--port', String(port), '--bind', kHost, '--save', '',
      '--appendonly', appendOnly ? 'yes' : 'no', '--dir', dir, '--logfile', logPath,
      '--daemonize', 'no'];
    if (password) args.push('--requirepass', password);
    const proc = spawn(kRedisBin, args, { stdio: 'ignore' });
    child = proc;
    exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
    const spawnError = new Promise((_, reject) => proc.on('error', reject));
    const deadline = Date.now() + 15_000;
    try {
      while (!(await Promise.race([ping(), spawnError]))) {
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error('redis-server exited');
        if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on ${port}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } catch (err) {
      proc.kill('SIGKILL');
      child = null;
      let log = '';
      try { log = readFileSync(logPath, 'utf8'); } catch { /* no log yet */ }
      throw new Error(`${err.message}\n--- redis log (${logPath}) ---\n${log}`);
    }
  };

  const signalAndWait = async (signal) => {
    if (!child) return;
    const proc = child;
    if (signal !== 'SIGKILL') proc.kill('SIGCONT');  // a paused server cannot handle SIGTERM
    proc.kill(signal);
    await exited;
    child = null;
  };

  await start();
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  return {
    host: kHost,
    port,
    dir,
    url: `redis://${auth}${kHost}:${port}/0`,
    get pid() { return child?.pid; },
    get running() { return child !== null; },
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    async restart() {
      await signalAndWait('SIGTERM');
      await start();
    },
    pause() { child?.kill('SIGSTOP'); },
    resume() { child?.kill('SIGCONT'); },
    // true when the server answers PING within timeoutMs.
    ping,
    // Runs commands (arrays of strings) on a fresh connection: the raw RESP reply text.
    command: (...commands) => rawCommands(port, commands),
    async close() {
      await signalAndWait('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
