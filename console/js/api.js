// Calls to the gateway's REST surface (same origin). Errors arrive as RFC 9457 problem+json and are thrown
// as ApiError with the problem's detail and fields, so a view can show what went wrong in words.

import * as session from './session.js';

export const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  get fields() {
    return (this.problem.errors || []).map((e) => e.field).filter(Boolean);
  }
}

function authHeaders() {
  const s = session.current();
  return s ? { Authorization: `Bearer ${s.token}` } : {};
}

async function parse(response) {
  const type = response.headers.get('content-type') || '';
  if (response.status === 204) return null;
  if (type.includes('json')) return response.json();
  return response.text();
}

export async function request(method, path, { query, body, form, headers, signal } = {}) {
  const url = new URL(path.startsWith('/') ? path : `${BASE}/${path}`, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const init = { method, headers: { Accept: 'application/json', ...authHeaders(), ...headers }, signal };
  if (form) {
    init.body = new URLSearchParams(form);
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: '网络不可用', detail: '无法连接到服务器，请检查网络后重试' });
  }
  const data = await parse(response).catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && session.current()) session.signOut(); // expired or revoked: sign in again
    throw new ApiError(response.status, typeof data === 'object' ? data : { detail: String(data || '') });
  }
  return data;
}

export const get = (path, query, opts = {}) => request('GET', path, { ...opts, query });
// Every POST carries an Idempotency-Key: a click retried after a lost response does the work once.
export const post = (path, body, opts = {}) =>
  request('POST', path, { ...opts, body, headers: { 'Idempotency-Key': newKey(), ...opts.headers } });

// crypto.randomUUID exists only in secure contexts; an intranet http:// address is not one.
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function signIn(username, password) {
  const data = await request('POST', `${BASE}/auth/token`, { form: { username, password } });
  return session.sessionFromToken(data.access_token, username);
}

/** A human sentence for an error, in Chinese. */
export function explain(err) {
  if (!(err instanceof ApiError)) return `出错了：${err.message || err}`;
  switch (err.status) {
    case 0: return err.problem.detail;
    case 401: return '登录已失效，请重新登录';
    case 403: return `无权执行此操作${err.problem.detail ? `（${err.problem.detail}）` : ''}`;
    case 404: return '记录不存在或已被删除';
    case 409: return `状态已变化，无法执行：${err.problem.detail || ''}`;
    case 429: return '操作太频繁，请稍后再试';
    case 503: return '该服务暂时不可用，请稍后再试';
    default:
      if (err.status === 422 && err.fields.length) return `输入有误（${err.fields.join('、')}）：${err.problem.detail || ''}`;
      return `请求失败（${err.status}）：${err.problem.detail || err.problem.title || ''}`;
  }
}
