// Small HTTP helpers for the interop suite.
import { connect } from 'node:net';

// Sends `request` (a string or Buffer, written as is) over a fresh TCP connection and resolves
// with { status, headers, body, raw } of the first response, parsed loosely. Used where fetch
// would refuse or rewrite the request (oversized headers and bodies, malformed requests).
// Errors after a complete status line (e.g. ECONNRESET while the rest of an oversized body is
// still being written) are ignored: what counts is what the server answered.
export function rawRequest(port, request, { timeoutMs = 15_000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const finish = (err) => {
      if (settled) return;
      const raw = Buffer.concat(chunks).toString('latin1');
      const parsed = parseResponse(raw);
      if (!parsed && err) {
        settled = true;
        socket.destroy();
        reject(err);
        return;
      }
      if (!parsed) return;
      settled = true;
      socket.destroy();
      resolve(parsed);
    };
    socket.setTimeout(timeoutMs, () => {
      finish(new Error(`no response within ${timeoutMs} ms`));
      socket.destroy();
    });
    socket.on('data', (d) => {
      chunks.push(d);
      const parsed = parseResponse(Buffer.concat(chunks).toString('latin1'));
      if (parsed && parsed.complete) finish();
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new Error('connection closed without a response')));
    socket.on('connect', () => {
      socket.write(request, () => {});
    });
  });
}

function parseResponse(raw) {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const [statusLine, ...lines] = raw.slice(0, headerEnd).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return null;
  const headers = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = raw.slice(headerEnd + 4);
  const length = Number(headers['content-length'] ?? 0);
  return { status: Number(m[1]), headers, body, raw, complete: body.length >= length };
}

export function basicAuth(id, secret) {
  // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
  const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

// POST /oauth2/token with a form body; returns { res, json }.
export async function postToken(issuer, form, { headers = {} } = {}) {
  const res = await fetch(`${issuer}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // left null: the test asserting on it will say so
  }
  return { res, json, text };
}

// A persistent raw connection for keep-alive and connection-limit tests.
//   const conn = await openConnection(port);
//   const r = await conn.send('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 3000); // null if none
//   await conn.closed;   // resolves when the server (or we) closed it
export function openConnection(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    let waiter = null;
    let isClosed = false;
    let connected = false;
    let onClosed;
    const closed = new Promise((r) => {
      onClosed = r;
    });
    const check = () => {
      if (!waiter) return;
      const parsed = parseResponse(buffer);
      if (parsed && parsed.complete) {
        const length = Number(parsed.headers['content-length'] ?? 0);
        buffer = buffer.slice(buffer.indexOf('\r\n\r\n') + 4 + length);
        const w = waiter;
        waiter = null;
        w(parsed);
      }
    };
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      check();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      isClosed = true;
      if (waiter) {
        const w = waiter;
        waiter = null;
        w(null);
      }
      onClosed();
    });
    socket.on('connect', () => {
      connected = true;
      resolve({
        closed,
        get isClosed() {
          return isClosed;
        },
        // Resolves with the parsed response, or null when the connection closed or nothing
        // complete arrived within timeoutMs.
        send(request, timeoutMs = 10_000) {
          return new Promise((r) => {
            if (isClosed) return r(null);
            const timer = setTimeout(() => {
              waiter = null;
              r(null);
            }, timeoutMs);
            waiter = (res) => {
              clearTimeout(timer);
              r(res);
            };
            socket.write(request);
            check();
          });
        },
        write(data) {
          socket.write(data);
        },
        destroy() {
          socket.destroy();
        },
      });
    });
    socket.once('error', (err) => {
      if (!connected) reject(err);
    });
  });
}

// POSTs `form` (an object or URLSearchParams) as application/x-www-form-urlencoded to
// `server.url + path` and resolves with { status, headers, text, json } (json null when the
// body is not JSON). `client` authenticates the way it is registered (client_secret_basic:
// the Authorization header; otherwise client_id/client_secret in the body); null sends no
// client authentication. Rejects when no answer came within `timeoutMs`.
export async function postForm(server, path, form, { client = null, timeoutMs = 10_000 } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(form);
  if (client?.token_endpoint_auth_method === 'client_secret_basic') {
    headers.authorization = basicAuth(client.client_id, client.client_secret);
  } else if (client) {
    body.set('client_id', client.client_id);
    body.set('client_secret', client.client_secret);
  }
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers,
    body: body.toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // left null
  }
  return { status: res.status, headers: res.headers, text, json };
}
