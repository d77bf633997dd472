// The browser's fetch helper for /api: JSON in and out, the CSRF token on every POST,
// server error messages surfaced as ApiError, and a 401 sending the user to the login view.

/**
 * API paths that differ from the first design note (the server groups the 管理者 routes under
 * /api/admin) and those of the wizard, the saved extracts and raw SQL (issue #5); kept here so a
 * move is a one-line change.
 */
export const PATHS = {
  audit: '/api/admin/audit',
  auditAnalyses: '/api/admin/audit/analyses',
  users: '/api/admin/users',
  sql: '/api/admin/sql',
  wizardItems: '/api/wizard/items',
  wizardPreview: '/api/wizard/preview',
  wizardExport: '/api/wizard/export',
  extracts: '/api/extracts',
  extractsImport: '/api/extracts/import',
};

/**
 * The path of one saved extract, or of one of its actions ('preview', 'export', 'delete', 'file').
 * @example extractPath('k3m9x2pq7a', 'preview') // '/api/extracts/k3m9x2pq7a/preview'
 */
export function extractPath(id, action) {
  return `${PATHS.extracts}/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

let csrfToken = null;
let onUnauthorized = () => {};

/** An HTTP error from the API, carrying the server's Japanese message and status. */
export class ApiError extends Error {
  /**
   * @example throw new ApiError(403, '権限がありません。')
   */
  constructor(status, message, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    /** true when the app already dealt with it (401 → login view); pages need not show it. */
    this.handled = false;
  }
}

/**
 * Sets the CSRF token (from GET /api/me) sent as X-CSRF-Token on every POST.
 * @example setCsrf(me.csrf)
 */
export function setCsrf(token) {
  csrfToken = token ?? null;
}

/**
 * Sets what happens on a 401 from any call except login and /api/me (session expired).
 * @example setUnauthorizedHandler(() => showLogin('セッションが切れました。'))
 */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** Default messages when the server sent no `{error}` body. */
const STATUS_MESSAGES = {
  400: '入力内容に誤りがあります。',
  401: 'ログインが必要です。',
  403: 'この操作を行う権限がありません。',
  404: '見つかりません。',
  409: '他の処理と競合しました。もう一度お試しください。',
  413: 'データが大きすぎます。',
  423: 'アカウントがロックされています。',
  503: 'サーバーが一時的に利用できません。しばらくしてからお試しください。',
};

/**
 * Calls the API. GET by default; with `body`, POSTs it as JSON with the CSRF token.
 * Resolves to the parsed JSON; rejects with ApiError carrying the server's message.
 * @example const home = await api('/api/home');
 * @example await api('/api/reports/nenpo', { body: { year: 2026 } });
 */
export async function api(path, opts = {}) {
  const method = opts.method ?? (opts.body !== undefined ? 'POST' : 'GET');
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(opts.body ?? {}),
    });
  } catch {
    throw new ApiError(0, 'サーバーに接続できません。ネットワークを確認してください。');
  }
  const type = res.headers.get('content-type') ?? '';
  let data = null;
  if (type.includes('application/json')) {
    try { data = await res.json(); } catch { data = null; }
  } else {
    const text = await res.text().catch(() => '');
    data = text ? { text } : null;
  }
  if (!res.ok) {
    const message = (data && typeof data.error === 'string' && data.error) || STATUS_MESSAGES[res.status] || `エラーが発生しました（${res.status}）。`;
    const err = new ApiError(res.status, message, data);
    if (res.status === 401 && !opts.noAuthRedirect) {
      err.handled = true;
      onUnauthorized(message);
    }
    throw err;
  }
  return data;
}
