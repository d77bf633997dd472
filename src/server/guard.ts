// Request guards: who is logged in (session cookie), what their role allows (checked on the server
// for every route), and CSRF protection for every state-changing request.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { ROLE_LEVEL } from '../auth/roles.ts';
import { who, type AppEnv, type Deps } from './context.ts';

export const SESSION_COOKIE = 'juki_session';

/** What each level may do (euc.md §4). Levels are cumulative: 閲覧者 1, EUC担当 2, 個人一覧 3, 管理者 4. */
export const LEVEL = { reports: 1, aggregates: 1, wizard: 2, persons: 3, admin: 4 } as const;
export type Capability = keyof typeof LEVEL;

const CAPABILITY_LABEL: Record<Capability, string> = {
  reports: '閲覧者', aggregates: '閲覧者', wizard: 'EUC担当', persons: '個人一覧', admin: '管理者',
};

/** The capabilities of a role, for /api/me and the pages. */
export function capabilities(level: number): Record<Capability, boolean> {
  const out = {} as Record<Capability, boolean>;
  for (const [k, v] of Object.entries(LEVEL)) out[k as Capability] = level >= v;
  return out;
}

export function jsonError(c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 423 | 500 | 503, message: string): Response {
  return c.json({ error: message }, status);
}

/**
 * Loads the session and the user behind it. Refuses (401) when not logged in, or when the user has
 * since been disabled or removed.
 */
export function requireLogin(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = deps.sessions.get(getCookie(c, SESSION_COOKIE));
    if (!session) return jsonError(c, 401, 'ログインしてください。');
    const user = await deps.users.get(session.userId);
    if (!user || user.disabled) {
      deps.sessions.end(session.token);
      return jsonError(c, 401, 'ログインしてください。');
    }
    c.set('session', session);
    c.set('user', user);
    await next();
  };
}

/** Refuses (403, audited) unless the user's role reaches the capability's level. */
export function requireCapability(deps: Deps, capability: Capability): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (ROLE_LEVEL[user.role] < LEVEL[capability]) {
      await deps.audit.append(who(c), { type: 'access.denied', path: c.req.path, needed: CAPABILITY_LABEL[capability] });
      return jsonError(c, 403, `この操作には「${CAPABILITY_LABEL[capability]}」以上の役割が必要です。`);
    }
    await next();
  };
}

/**
 * CSRF: every POST must be JSON (a cross-site form cannot send that without a CORS preflight, which
 * we never allow), come from our own origin when the browser says where it comes from, and — once
 * logged in — carry the session's token in X-CSRF-Token.
 */
export function requireSameOriginJson(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return jsonError(c, 403, '不正な要求です（Content-Type は application/json が必要です）。');
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) return jsonError(c, 403, '不正な要求です（別のサイトからの送信は受け付けません）。');
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') return jsonError(c, 403, '不正な要求です（別のサイトからの送信は受け付けません）。');
    await next();
  };
}

/** After requireLogin: a POST must carry the session's CSRF token. */
export function requireCsrfToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (c.req.header('x-csrf-token') !== c.get('session').csrf) return jsonError(c, 403, '不正な要求です（CSRF トークンがありません）。画面を再読み込みしてください。');
    }
    await next();
  };
}
