// Tiny relying-party web apps for the SSO suites (issue 6): node http servers that receive the
// authorization callback and the post-logout redirect and record their query, plus the signet
// configuration (clients, users) that registers them. Usage:
//
//   const a = await startClientApp({ host: '127.0.0.1' });   // origin http://127.0.0.1:<port>
//   const b = await startClientApp({ host: 'localhost' });   // another origin
//   const server = await startSignet(ssoSignetOptions([
//     { app: a, ...kPublicClient }, { app: b, ...kConfidentialClient }]));
//   ... the browser lands on a.redirectUri?code=... ...
//   const hit = await a.waitFor('/callback');               // { path, query: URLSearchParams }
//   await a.close();
//
// Both apps listen on 127.0.0.1 only; `host: 'localhost'` changes the origin the browser (and
// signet's registered redirect URIs) use, not the socket: two apps on two origins, so a
// session cookie that carried over from one to the other could only be signet's.
import { createServer } from 'node:http';

// The RP's pages: the callback (redirect_uri) and where logout lands (post_logout_redirect_uri).
export const kCallbackPath = '/callback';
export const kLoggedOutPath = '/logged-out';
// The RP's "log in" link: answers 302 to the URL set with app.setLoginTarget(url), the way an
// RP sends the browser to the authorization endpoint (a cross-site top-level navigation, so
// SameSite=Lax cookies behave as they do for real users).
export const kLoginPath = '/login';

// One user with the standard claims of OIDC Core §5.1 that the email and profile scopes
// release (§5.4). A clear-text development password keeps the suites fast under ASan (the
// argon2id path is covered by password_refresh.test.mjs).
export const kUser = {
  username: 'alice',
  password: 'alice-sso-password-0123',
  claims: { email: 'alice@example.com', email_verified: true, name: 'Alice Liddell' },
};
// A second user, for the failed-login limits (its counter must not disturb alice's logins).
export const kLimitedUser = { username: 'mallory', password: 'mallory-sso-password-4567', claims: {} };

// The two registrations of the SSO suites: a public client (a SPA or native app, RFC 8252:
// no secret, PKCE required) and a confidential one (a server-side web app).
export const kPublicClient = {
  client_id: 'spa-app',
  token_endpoint_auth_method: 'none',
  scope: 'openid profile email orders.read',
};
export const kConfidentialClient = {
  client_id: 'web-app',
  client_secret: 'web-app-secret-0123456789abcdef',
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid profile email',
};

// Starts one app on a free port. Every request is recorded ({ path, query, method, headers });
// the callback and logged-out pages answer 200 with a short HTML text, /login 302 to the login
// target, anything else 404.
export async function startClientApp({ host = '127.0.0.1' } = {}) {
  const hits = [];
  const waiters = [];
  let loginTarget = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://app.invalid');
    const hit = { path: url.pathname, query: url.searchParams, method: req.method, headers: req.headers };
    hits.push(hit);
    for (const w of waiters.splice(0)) {
      if (w.path === hit.path) w.resolve(hit);
      else waiters.push(w);
    }
    if (hit.path === kLoginPath && loginTarget) {
      res.writeHead(302, { location: loginTarget, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const known = hit.path === kCallbackPath || hit.path === kLoggedOutPath;
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>client app</title><p id="page">${known ? hit.path.slice(1) : 'not found'}</p>`);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://${host}:${port}`;
  return {
    origin,
    port,
    redirectUri: `${origin}${kCallbackPath}`,
    postLogoutUri: `${origin}${kLoggedOutPath}`,
    loginUrl: `${origin}${kLoginPath}`,
    hits,
    // Where GET /login sends the browser next (an authorization or end-session URL).
    setLoginTarget(url) {
      loginTarget = String(url);
    },
    // The requests to `path` so far.
    hitsTo: (path) => hits.filter((h) => h.path === path),
    // Resolves with the next request to `path` (or rejects after timeoutMs).
    waitFor(path, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${origin}${path} was not requested within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ path, resolve: (hit) => { clearTimeout(timer); resolve(hit); } });
      });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const quoted = (values) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

// The YAML list item of one SSO client: `app` (from startClientApp) gives its redirect and
// post-logout URIs; `redirectUris` adds further ones. Registered for authorization_code and
// refresh_token.
export function ssoClientYaml({ app, redirectUris = [], client_id, client_secret, token_endpoint_auth_method, scope }) {
  const lines = [
    `  - client_id: "${client_id}"`,
    ...(client_secret ? [`    client_secret: "${client_secret}"`] : []),
    `    token_endpoint_auth_method: ${token_endpoint_auth_method}`,
    '    grant_types: [authorization_code, refresh_token]',
    `    redirect_uris: ${quoted([app.redirectUri, ...redirectUris])}`,
    `    post_logout_redirect_uris: ${quoted([app.postLogoutUri])}`,
    `    scope: "${scope}"`,
    '    audience: ["https://api.example.com"]',
  ];
  return lines.join('\n');
}

export function usersYaml(users = [kUser, kLimitedUser]) {
  const lines = ['users:'];
  for (const u of users) {
    lines.push(`  - username: "${u.username}"`, `    password: "${u.password}"`,
      `    claims: ${JSON.stringify(u.claims)}`);
  }
  return `${lines.join('\n')}\n`;
}

// startSignet options for the SSO suites: `clients` are ssoClientYaml arguments; `login` sets
// the login block's keys (e.g. { max_failures_per_username: 3 }); `extraConfig` is appended.
export function ssoSignetOptions(clients, { login = {}, extraConfig = '', ...rest } = {}) {
  const loginLines = Object.entries(login).map(([k, v]) => `  ${k}: ${v}`);
  const loginYaml = loginLines.length ? `login:\n${loginLines.join('\n')}\n` : '';
  return {
    ...rest,
    extraClients: clients.map(ssoClientYaml),
    extraConfig: `${usersYaml()}${loginYaml}${extraConfig}`,
  };
}
