// Browsers for the SSO suites (issue 6):
//
//   - launchChromium(): Debian's /usr/bin/chromium (apt package `chromium`, installed by
//     scripts/install-deps.sh) driven by playwright-core, which never downloads a browser of
//     its own. $SIGNET_CHROMIUM overrides the path.
//   - HttpBrowser: a browser without a browser, for the HTTP-level tests: fetch with
//     redirect: 'manual' and a cookie jar kept by hand, so every status, header and cookie
//     attribute stays visible to the test.
//   - parseLoginForm(): the hidden fields of signet's login page (and of the logout
//     confirmation page).
//   - authorizeParams() / authorizeUrl() / httpLogin(): an authorization code request with PKCE
//     S256, state and nonce, and a login through the login page, over HttpBrowser.
//
//   const browser = await launchChromium();
//   const context = await browser.newContext();
//   ...
//   await browser.close();
//
//   const ua = new HttpBrowser();
//   const page = await ua.get(authorizeUrl);           // { status, headers, text, location }
//   const form = parseLoginForm(page.text);            // { action, method, fields: {...} }
//   const done = await ua.postForm(new URL(form.action, authorizeUrl), { ...form.fields,
//     username, password });
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { kRepoRoot } from './signet_server.mjs';

export const kChromiumPath = process.env.SIGNET_CHROMIUM || '/usr/bin/chromium';

// The test output folder of scripts/test.sh (git-ignored): screenshots land here.
export const kOutputDir = join(kRepoRoot, 'tests/output');

export function outputPath(name) {
  mkdirSync(kOutputDir, { recursive: true });
  return join(kOutputDir, name);
}

// Headless Chromium. Playwright passes --no-sandbox itself (chromiumSandbox defaults to
// false), which the suite needs when it runs as root (CI). A missing browser fails the suite
// (rather than skipping it) with the remedy.
export function launchChromium() {
  if (!existsSync(kChromiumPath)) {
    throw new Error(`no Chromium at ${kChromiumPath}: run scripts/install-deps.sh (Debian package chromium) or set SIGNET_CHROMIUM`);
  }
  return chromium.launch({ executablePath: kChromiumPath, headless: true });
}

// --- the HTTP-level browser ------------------------------------------------------------------

// One Set-Cookie header: { name, value, attributes: { lowercased name: value or true } }.
export function parseSetCookie(header) {
  const [pair, ...attrs] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = {};
  for (const a of attrs) {
    const i = a.indexOf('=');
    const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    attributes[key] = i < 0 ? true : a.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

// A cookie that the server asks to delete: Max-Age <= 0 or an Expires in the past.
function isRemoval(cookie) {
  const maxAge = cookie.attributes['max-age'];
  if (maxAge !== undefined && Number(maxAge) <= 0) return true;
  const expires = cookie.attributes.expires;
  return expires !== undefined && Date.parse(expires) <= Date.now();
}

// fetch with manual redirects and one cookie jar. The jar ignores domains and ports (all
// servers of a suite are on loopback; real browsers do not separate cookies by port either),
// so a cookie set by one replica is sent to the other, as it would be behind one hostname.
export class HttpBrowser {
  constructor() {
    this.cookies = new Map(); // name -> value
    this.lastSetCookies = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }

  // Stores the response's Set-Cookie headers; returns them parsed.
  absorb(res) {
    const set = res.headers.getSetCookie().map(parseSetCookie);
    for (const c of set) {
      if (isRemoval(c)) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    this.lastSetCookies = set;
    return set;
  }

  async request(url, { method = 'GET', form, headers = {}, cookies = true } = {}) {
    const h = { ...headers };
    if (cookies && this.cookies.size) h.cookie = this.cookieHeader();
    let body;
    if (form !== undefined) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    const setCookies = this.absorb(res);
    const text = await res.text();
    const location = res.headers.get('location');
    return {
      status: res.status,
      headers: res.headers,
      text,
      setCookies,
      location,
      // The Location as a URL (relative ones resolved against the request), or null.
      locationUrl: location ? new URL(location, url) : null,
    };
  }

  get(url, options = {}) {
    return this.request(url, options);
  }

  postForm(url, form, options = {}) {
    return this.request(url, { ...options, method: 'POST', form });
  }
}

// --- HTML forms ------------------------------------------------------------------------------

const decodeEntities = (s) => s
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'")
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attribute(tag, name) {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3]) : undefined;
}

// The first <form> of `html`: { action, method, fields: { name: value } for every input (hidden
// or not; value '' when absent), inputs: [{ name, type }] }, or null when there is none.
export function parseLoginForm(html) {
  const formTag = /<form\b[^>]*>/i.exec(html);
  if (!formTag) return null;
  const end = html.indexOf('</form>', formTag.index);
  const inner = html.slice(formTag.index, end < 0 ? undefined : end);
  const fields = {};
  const inputs = [];
  for (const m of inner.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(m[0], 'name');
    if (!name) continue;
    inputs.push({ name, type: (attribute(m[0], 'type') ?? 'text').toLowerCase() });
    fields[name] = attribute(m[0], 'value') ?? '';
  }
  return {
    action: attribute(formTag[0], 'action'),
    method: (attribute(formTag[0], 'method') ?? 'get').toLowerCase(),
    fields,
    inputs,
  };
}

// --- the authorization code flow over HTTP ---------------------------------------------------

// RFC 7636 §4.1-4.2: a 43-character verifier and its S256 challenge.
export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export const randomState = () => randomBytes(12).toString('base64url');

// The parameters of an authorization request of `client` (kPublicClient-like, with `app`):
// code flow, scope openid profile email, a fresh state, nonce and S256 challenge. `overrides`
// replace or add parameters; an override of undefined removes one. Returns { params,
// verifier } (params: a plain object).
export function authorizeParams(client, app, overrides = {}) {
  const { verifier, challenge } = pkcePair();
  const params = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: app.redirectUri,
    scope: 'openid profile email',
    state: randomState(),
    nonce: randomState(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete params[k];
    else params[k] = v;
  }
  return { params, verifier };
}

// `${base}/oauth2/authorize?...` for a plain params object.
export function authorizeUrl(base, params) {
  const url = new URL('/oauth2/authorize', base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

// The login of one user through the login page: GET the authorization URL (must be the login
// page), then POST its form with the credentials. Returns { page, form, response } (the
// responses of HttpBrowser).
export async function httpLogin(ua, url, { username, password }) {
  const page = await ua.get(url);
  const form = parseLoginForm(page.text);
  if (page.status !== 200 || !form) {
    throw new Error(`expected the login page from ${url}, got ${page.status}: ${page.text.slice(0, 300)}`);
  }
  const response = await ua.postForm(new URL(form.action, url), { ...form.fields, username, password });
  return { page, form, response };
}
