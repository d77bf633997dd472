// The web application (Hono): security headers, CSRF, the session gate and the role checks in
// front of thin routes; the static UI from web/. `createApp` is used by `juki serve` and by the
// in-process route tests (app.request()).
import path from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import { serveStatic } from '@hono/node-server/serve-static';
import { repoRoot } from '../store/db.ts';
import { AuditLog } from '../audit/log.ts';
import { UserStore } from '../auth/users.ts';
import type { AppEnv, Deps, Limits } from './context.ts';
import { settings } from '../settings.ts';
import { Downloads, contentDisposition } from './downloads.ts';
import { jsonError, requireCsrfToken, requireLogin, requireSameOriginJson } from './guard.ts';
import { Lockout, Sessions } from './sessions.ts';
import { StoreHandle, StoreMissing } from './store-handle.ts';
import { authRoutes } from './routes/auth.ts';
import { homeRoutes } from './routes/home.ts';
import { reportRoutes } from './routes/reports.ts';
import { eucRoutes } from './routes/euc.ts';
import { adminRoutes } from './routes/admin.ts';
import { wizardRoutes } from './routes/wizard.ts';
import { savedRoutes } from './routes/saved.ts';

export const WEB_ROOT = path.join(repoRoot, 'web');

/**
 * Everything the app needs, for a store file and a state folder.
 * @example const deps = createDeps({ db: 'juki.duckdb', stateDir: 'juki-state' });
 */
export function createDeps(opts: { db: string; stateDir: string; limits?: Partial<Limits> }): Deps {
  const limits: Limits = {
    queryTimeoutMs: settings.queryTimeoutMs, previewRows: settings.previewRows, xlsxMaxRows: settings.xlsxMaxRows, ...opts.limits,
  };
  return {
    db: opts.db,
    stateDir: opts.stateDir,
    limits,
    store: new StoreHandle(opts.db, limits.queryTimeoutMs),
    users: new UserStore(path.join(opts.stateDir, 'users.json')),
    audit: new AuditLog(opts.stateDir),
    sessions: new Sessions(),
    lockout: new Lockout(),
    downloads: new Downloads(path.join(opts.stateDir, 'exports')),
  };
}

/**
 * The application. Every /api route except /api/login needs a session; every POST needs JSON from
 * our own origin and, once logged in, the session's CSRF token; each route group checks the role.
 * @example const app = createApp(createDeps({ db, stateDir })); const res = await app.request('/api/me');
 */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  }));
  app.use('/api/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => jsonError(c, 413, '要求が大きすぎます。') }));
  app.use('/api/*', requireSameOriginJson());
  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/login') return next();
    return requireLogin(deps)(c, next);
  });
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/login') return next();
    return requireCsrfToken()(c, next);
  });

  app.route('/api', authRoutes(deps));
  app.route('/api', homeRoutes(deps));
  app.route('/api/reports', reportRoutes(deps));
  app.route('/api/euc', eucRoutes(deps));
  app.route('/api/wizard', wizardRoutes(deps));
  app.route('/api/extracts', savedRoutes(deps));
  app.route('/api/admin', adminRoutes(deps));

  app.get('/api/downloads/:token', (c) => {
    const d = deps.downloads.take(c.req.param('token'), c.get('user').id);
    if (!d) return jsonError(c, 404, 'ダウンロードの期限が切れたか、すでにダウンロード済みです。もう一度作成してください。');
    return c.body(deps.downloads.stream(d), 200, {
      'Content-Type': d.contentType,
      'Content-Length': String(d.bytes),
      'Content-Disposition': contentDisposition(d.fileName),
    });
  });
  app.all('/api/*', (c) => jsonError(c, 404, 'そのAPIはありません。'));

  app.get('/', serveStatic({ root: WEB_ROOT, path: 'index.html' }));
  app.use('/static/*', serveStatic({ root: WEB_ROOT, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));

  app.onError((err, c) => {
    if (err instanceof StoreMissing) return jsonError(c, 503, err.message);
    // no personal data in logs: the message of our own errors names 宛名番号 at most
    console.error(`[juki serve] ${c.req.method} ${c.req.path}: ${err.message}`);
    return jsonError(c, 500, 'サーバーでエラーが起きました。管理者に連絡してください。');
  });
  return app;
}
