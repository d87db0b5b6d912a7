// GET /metrics (issue 7, point 4): the Prometheus text exposition, parsed with a real parser
// (npm parse-prometheus-text-format, which throws on a malformed line), after some token
// requests and a 404: counters moved by exactly the right amounts, histogram buckets are
// cumulative, key ring gauges exist for RS256 and ES256, and no raw request target leaks
// into a label. With a real Redis (a second server): the signet_redis_* families grow with
// introspections, and follow Redis going away (connected 0, unavailable results) and coming
// back (connected 1, one reconnect); without redis.url they are absent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { kClients, startSignet, redisReplicaOptions } from './lib/signet_server.mjs';
import { basicAuth, postToken } from './lib/http.mjs';
import { startRedis } from './lib/redis_server.mjs';

let server;
before(async () => {
  server = await startSignet();
});
after(async () => {
  await server?.stop();
});

const kContentType = 'text/plain; version=0.0.4; charset=utf-8';

async function scrape(target = server) {
  const res = await fetch(`${target.url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), kContentType);
  const text = await res.text();
  return { text, families: parsePrometheus(text) };
}

function family(families, name) {
  return families.find((f) => f.name === name);
}

function sameLabels(a = {}, b = {}) {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

// The value of one series, 0 when it does not exist yet (series appear on first count).
function value(families, name, labels = {}) {
  const f = family(families, name);
  if (!f) return 0;
  const sample = f.metrics.find((m) => sameLabels(m.labels, labels));
  return sample ? Number(sample.value) : 0;
}

// One series of a labelled histogram. The npm parser (a port of an early client_python
// parser) keys buckets by `le` alone and drops _sum/_count that carry labels, so the series'
// lines are cut out of the text, its identifying label removed, and that parsed on its own.
function histogramSeries(text, name, label, labelValue) {
  const marker = `${label}="${labelValue}"`;
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_`) && l.includes(marker))
    .map((l) => l.replace(`${marker},`, '').replace(`{${marker}}`, ''));
  const parsed = parsePrometheus(`# TYPE ${name} histogram\n${lines.join('\n')}\n`);
  assert.equal(parsed.length, 1, lines.join('\n'));
  return parsed[0].metrics[0];
}

const rsAuth = {
  headers: { authorization: basicAuth(kClients.rs.client_id, kClients.rs.client_secret) },
};
const esForm = {
  grant_type: 'client_credentials',
  client_id: kClients.es.client_id,
  client_secret: kClients.es.client_secret,
};
const tokenEndpoint = { endpoint: '/oauth2/token' };

describe('GET /metrics', () => {
  test('counts tokens, requests and 404s by the right amounts', async () => {
    const before = await scrape();

    for (let i = 0; i < 3; i++) {
      const r = await postToken(server.issuer, { grant_type: 'client_credentials' }, rsAuth);
      assert.equal(r.res.status, 200, r.text);
    }
    for (let i = 0; i < 2; i++) {
      const r = await postToken(server.issuer, esForm);
      assert.equal(r.res.status, 200, r.text);
    }
    const bad = await postToken(server.issuer, { ...esForm, client_secret: 'wrong' });
    // invalid_client: 401 with Basic, 400 for client_secret_post (RFC 6749 §5.2).
    assert.equal(bad.json?.error, 'invalid_client', bad.text);
    const badStatus = String(bad.res.status);
    for (const target of ['/no-such-path-1f3a', '/no-such-path-1f3a?code=abc']) {
      const res = await fetch(`${server.url}${target}`);
      await res.arrayBuffer();
      assert.equal(res.status, 404);
    }

    const { text, families } = await scrape();
    const delta = (name, labels) => value(families, name, labels) - value(before.families, name, labels);

    const issued = 'signet_tokens_issued_total';
    assert.equal(delta(issued, { grant_type: 'client_credentials', alg: 'RS256' }), 3);
    assert.equal(delta(issued, { grant_type: 'client_credentials', alg: 'ES256' }), 2);
    assert.equal(family(families, issued).type, 'COUNTER');

    const requests = 'signet_http_requests_total';
    assert.equal(delta(requests, { ...tokenEndpoint, status: '200' }), 5);
    assert.equal(delta(requests, { ...tokenEndpoint, status: badStatus }), 1);
    assert.equal(delta(requests, { endpoint: 'unmatched', status: '404' }), 2);
    // The first scrape itself was counted once its response was written.
    assert.ok(value(families, requests, { endpoint: '/metrics', status: '200' }) >= 1);
    // Labels carry route paths only, never the raw target.
    assert.doesNotMatch(text, /no-such-path|code=abc/);

    const latency = 'signet_http_request_duration_seconds';
    assert.equal(family(families, latency).type, 'HISTOGRAM');
    const now = histogramSeries(text, latency, 'endpoint', '/oauth2/token');
    const then = histogramSeries(before.text, latency, 'endpoint', '/oauth2/token');
    assert.equal(Number(now.count) - Number(then.count), 6);
    assert.ok(Number(now.sum) > Number(then.sum));
    // (Object key order puts integer-like keys such as "1" first: sort by the bound.)
    const bound = (le) => (le === '+Inf' ? Infinity : Number(le));
    const bounds = Object.keys(now.buckets).sort((a, b) => bound(a) - bound(b));
    assert.equal(bounds.at(-1), '+Inf');
    assert.ok(bounds.length > 5, bounds.join(' '));
    const counts = bounds.map((le) => Number(now.buckets[le]));
    for (let i = 1; i < counts.length; i++) {
      assert.ok(counts[i] >= counts[i - 1], `bucket le=${bounds[i]} is cumulative`);
    }
    assert.equal(counts.at(-1), Number(now.count));
  });

  test('shows the key ring for RS256 and ES256', async () => {
    const { families } = await scrape();
    for (const alg of ['RS256', 'ES256']) {
      assert.equal(value(families, 'signet_keys', { alg, state: 'active' }), 1, alg);
      assert.ok(value(families, 'signet_keys', { alg, state: 'next' }) >= 1, alg);
      const age = family(families, 'signet_active_key_age_seconds').metrics.find(
        (m) => m.labels.alg === alg,
      );
      assert.ok(age && Number(age.value) >= 0 && Number(age.value) < 3600, alg);
      const next = family(families, 'signet_key_next_rotation_seconds').metrics.find(
        (m) => m.labels.alg === alg,
      );
      assert.ok(next && Number(next.value) > 0, alg);
    }
    for (const name of ['signet_keys', 'signet_active_key_age_seconds']) {
      assert.equal(family(families, name).type, 'GAUGE');
    }
  });

  test('has the process, connection and store families', async () => {
    const { families } = await scrape();
    const info = family(families, 'signet_build_info').metrics[0];
    assert.match(info.labels.version, /^\d+\.\d+\.\d+/);
    const start = value(families, 'signet_process_start_time_seconds');
    assert.ok(start > Date.now() / 1000 - 3600 && start <= Date.now() / 1000 + 1, String(start));
    // This scrape's own connection is open.
    assert.ok(value(families, 'signet_http_open_connections') >= 1);
    // Counted by the revocation / introspection endpoints.
    assert.equal(family(families, 'signet_revocations_total').type, 'COUNTER');
    assert.equal(family(families, 'signet_introspections_total').metrics.length, 3);
    // No redis.url: no Redis families at all (rather than a misleading "connected 0").
    assert.deepEqual(
      families.filter((f) => f.name.startsWith('signet_redis_')).map((f) => f.name),
      [],
    );
  });
});

describe('GET /metrics with Redis', () => {
  let redis;
  let redisServer;
  let work;
  before(async () => {
    // Append-only, so that the key ring kept in Redis survives the stop/start below.
    redis = await startRedis({ appendOnly: true });
    let options;
    ({ work, options } = redisReplicaOptions(redis));
    redisServer = await startSignet(options);
  });
  after(async () => {
    const code = await redisServer?.stop();
    await redis?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    assert.equal(code, 0);
  });

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Polls the metrics until `done(scrape)` holds: the client connects and reconnects in the
  // background (back-off up to 2 s). A bound, not a measurement.
  async function scrapeUntil(done, what, deadlineMs = 20_000) {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const s = await scrape(redisServer);
      if (done(s)) return s;
      if (Date.now() > deadline) assert.fail(`${what}; last scrape:\n${s.text}`);
      await sleep(50);
    }
  }
  // Sum of signet_redis_commands_total over commands, for the given results.
  const commands = (families, results) =>
    (family(families, 'signet_redis_commands_total')?.metrics ?? [])
      .filter((m) => results.includes(m.labels.result))
      .reduce((sum, m) => sum + Number(m.value), 0);
  const connected = (families) => value(families, 'signet_redis_connected');
  const introspect = async (token) => {
    const res = await fetch(`${redisServer.url}/oauth2/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuth(kClients.rs.client_id, kClients.rs.client_secret),
      },
      body: new URLSearchParams({ token }).toString(),
    });
    await res.arrayBuffer();
    return res.status;
  };

  test('counts commands and latency, and follows Redis going away and coming back', async () => {
    const up = await scrapeUntil((s) => connected(s.families) === 1, 'never connected to Redis');
    for (const [name, type] of [
      ['signet_redis_commands_total', 'COUNTER'],
      ['signet_redis_command_duration_seconds', 'HISTOGRAM'],
      ['signet_redis_connected', 'GAUGE'],
      ['signet_redis_reconnects_total', 'COUNTER'],
    ]) {
      assert.equal(family(up.families, name)?.type, type, name);
    }
    const reconnects = (families) => value(families, 'signet_redis_reconnects_total');

    const issued = await postToken(redisServer.issuer, { grant_type: 'client_credentials' }, rsAuth);
    assert.equal(issued.res.status, 200, issued.text);
    const token = issued.json.access_token;
    for (let i = 0; i < 4; i++) assert.equal(await introspect(token), 200);

    const busy = await scrape(redisServer);
    // Each introspection asked Redis whether the token is revoked (a script: EVAL).
    const ok = (families) => value(families, 'signet_redis_commands_total', { command: 'EVAL', result: 'ok' });
    assert.ok(ok(busy.families) - ok(up.families) >= 4, busy.text);
    assert.ok(commands(busy.families, ['ok']) > commands(up.families, ['ok']));
    // Labels come from a fixed list of command names, never from keys or arguments.
    for (const m of family(busy.families, 'signet_redis_commands_total').metrics) {
      assert.match(m.labels.command, /^(DEL|EVAL|EVALSHA|EXEC|GET|HGET|HGETALL|HSET|INCR|MULTI|PING|SET|OTHER)$/);
      assert.match(m.labels.result, /^(ok|error|timeout|unavailable)$/);
    }
    const latency = 'signet_redis_command_duration_seconds';
    const timed = histogramSeries(busy.text, latency, 'command', 'EVAL');
    assert.ok(Number(timed.count) >= 4, busy.text);
    assert.ok(Number(timed.sum) > 0);
    assert.ok('0.0001' in timed.buckets && '0.25' in timed.buckets && '+Inf' in timed.buckets);
    assert.equal(Number(timed.buckets['+Inf']), Number(timed.count));

    await redis.stop();
    const down = await scrapeUntil((s) => connected(s.families) === 0, 'connected stayed 1');
    // Requests that need Redis now fail (503) and are counted as failed commands.
    const failed = (families) => commands(families, ['error', 'timeout', 'unavailable']);
    for (let i = 0; i < 3; i++) assert.equal(await introspect(token), 503);
    const failing = await scrapeUntil(
      (s) => failed(s.families) >= failed(down.families) + 3,
      'no failed Redis commands counted',
    );
    assert.ok(
      value(failing.families, 'signet_redis_commands_total', { command: 'EVAL', result: 'unavailable' }) >= 3,
      failing.text,
    );

    await redis.start();
    const back = await scrapeUntil((s) => connected(s.families) === 1, 'never reconnected');
    // (At least: a health check that misses its deadline on a loaded machine reconnects too.)
    assert.ok(reconnects(back.families) >= reconnects(up.families) + 1, back.text);
    assert.equal(await introspect(token), 200);
  });
});
