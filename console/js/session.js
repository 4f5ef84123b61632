// The signed-in user: the gateway's access token, kept in sessionStorage (gone when the tab closes), and the
// claims the console needs to decide what to show. The claims are read, not trusted: every request is
// authorised again by the gateway and the service.

const KEY = 'minsheng.console.session';
const listeners = new Set();

function decodeClaims(token) {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function sessionFromToken(token, username) {
  const claims = decodeClaims(token);
  return {
    token,
    username: username || claims.sub,
    subject: claims.sub,
    roles: Array.isArray(claims.roles) ? claims.roles : [],
    personRef: claims.pref || null,
    streetCode: claims.street || null,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000,
  };
}

export function current() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw);
    if (session.expiresAt <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function save(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((fn) => fn(session));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  listeners.forEach((fn) => fn(null));
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
