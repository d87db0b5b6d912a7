// Connection limits (issue 3, point 1): a client that sends too slowly is cut off after the
// read timeout, and past server.max_connections new connections are refused (not served)
// while the server keeps serving the ones it has.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSignet } from './lib/signet_server.mjs';
import { openConnection } from './lib/http.mjs';

const kHealth = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('read timeout (server.read_timeout: 2)', () => {
  let server;
  before(async () => {
    server = await startSignet({ extraConfig: 'server:\n  read_timeout: 2\n' });
  });
  after(async () => {
    await server?.stop();
  });

  test('a request that never completes is cut off', async () => {
    const conn = await openConnection(server.port);
    conn.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // no final CRLF, ever
    // Generous bound (7x the configured timeout): this checks that the cut happens, not when.
    const outcome = await Promise.race([
      conn.closed.then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 15_000)),
    ]);
    conn.destroy();
    assert.equal(outcome, 'closed');
  });

  test('a trickling client is cut off too', async () => {
    const conn = await openConnection(server.port);
    const request = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
    let i = 0;
    // One byte every 200 ms: each read makes progress, the request as a whole never finishes
    // within the timeout.
    const timer = setInterval(() => {
      if (!conn.isClosed) conn.write(request[i++ % request.length]);
    }, 200);
    const outcome = await Promise.race([
      conn.closed.then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 15_000)),
    ]);
    clearInterval(timer);
    conn.destroy();
    assert.equal(outcome, 'closed');
  });

  test('a prompt client on the same server is served', async () => {
    const conn = await openConnection(server.port);
    const res = await conn.send(kHealth);
    conn.destroy();
    assert.equal(res?.status, 200);
  });
});

describe('connection limit (server.max_connections: 4)', () => {
  let server;
  before(async () => {
    server = await startSignet({ extraConfig: 'server:\n  max_connections: 4\n' });
  });
  after(async () => {
    await server?.stop();
  });

  test('past the limit new connections are not served, and served again once one closes', async () => {
    const held = [];
    for (let i = 0; i < 4; i++) {
      const conn = await openConnection(server.port);
      const res = await conn.send(kHealth);
      assert.equal(res?.status, 200, `connection ${i + 1} of 4 is served`);
      held.push(conn);
    }
    // The fifth may be closed at once, answered 503, or left unaccepted: anything but a 200.
    const extra = await openConnection(server.port).catch(() => null);
    const res = extra ? await extra.send(kHealth, 3000) : null;
    extra?.destroy();
    assert.notEqual(res?.status, 200, 'the fifth connection must not be served');

    // The held connections still work.
    assert.equal((await held[0].send(kHealth))?.status, 200);

    held.pop().destroy();
    let served = false;
    for (let attempt = 0; attempt < 50 && !served; attempt++) {
      const conn = await openConnection(server.port).catch(() => null);
      served = (await conn?.send(kHealth, 1000))?.status === 200;
      conn?.destroy();
      if (!served) await new Promise((r) => setTimeout(r, 200));
    }
    for (const conn of held) conn.destroy();
    assert.ok(served, 'a new connection is served after one closed');
  });
});
