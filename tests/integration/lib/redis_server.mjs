// Starts a real redis-server on a free 127.0.0.1 port for the integration suite, and plays
// outages on it. Usage:
//
//   const redis = await startRedis();              // { url, port, ... }, answers PING
//   const server = await startSignet({ extraConfig: `redis:\n  url: "${redis.url}"\n` });
//   redis.pause(); ... redis.resume();             // SIGSTOP / SIGCONT: a hung Redis
//   await redis.stop(); ... await redis.start();   // SIGTERM, then again on the same port
//   await redis.kill();                            // SIGKILL: a crash
//   await redis.close();                           // kill + remove the data directory
//   const [n] = await redis.query(['ZCARD', 'k']);  // parsed replies (redis.command: raw)
//
// Options: password (--requirepass; the url then carries it), appendOnly (--appendonly yes,
// so data survives kill() + start()), appendFsync ('always' | 'everysec' | 'no', Redis's
// default everysec: a write acknowledged just before a SIGKILL may be lost unless 'always').
// The binary is $SIGNET_REDIS_SERVER or redis-server.
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

// Parses one RESP2 reply of `text` from `pos`: { value, end }, or null while incomplete.
// Simple and bulk strings are strings, integers numbers, nil null, -ERR an Error. Positions
// are latin1 characters, i.e. bytes.
function parseReply(text, pos = 0) {
  const eol = text.indexOf('\r\n', pos);
  if (eol < 0) return null;
  const type = text[pos];
  const line = text.slice(pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+': return { value: line, end: next };
    case '-': return { value: new Error(line), end: next };
    case ':': return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (text.length < next + length + 2) return null;
      return { value: text.slice(next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(text, at);
        if (!item) return null;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default: throw new Error(`not a RESP reply: ${JSON.stringify(text.slice(pos, pos + 20))}`);
  }
}

// Every reply of `text` if it holds `count` complete ones, else null.
function parseReplies(text, count) {
  const values = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const reply = parseReply(text, at);
    if (!reply) return null;
    values.push(reply.value);
    at = reply.end;
  }
  return values;
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
      if (parseReplies(reply, commands.length)) done();
    });
  });
}

export async function startRedis({ password = '', appendOnly = false, appendFsync = 'everysec' } = {}) {
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
      '--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', appendFsync, '--dir', dir, '--logfile', logPath,
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
    // The same, parsed: one value per command (see parseReply); throws when Redis did not
    // answer (down, hung) so that a test cannot mistake that for an empty reply.
    async query(...commands) {
      const all = password ? [['AUTH', password], ...commands] : commands;
      const replies = parseReplies(await rawCommands(port, all), all.length);
      if (!replies) throw new Error(`redis on ${port} did not answer ${JSON.stringify(commands)}`);
      return password ? replies.slice(1) : replies;
    },
    async close() {
      await signalAndWait('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
