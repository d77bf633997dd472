// Login, logout and "who am I": scrypt-checked passwords, lock-out after repeated failures,
// an HttpOnly SameSite=Strict session cookie. Every attempt is audited. /logout and /me sit behind
// the session gate of app.ts; /login does not.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { ROLE_LEVEL } from '../../auth/roles.ts';
import { clientIp, type AppEnv, type Deps } from '../context.ts';
import { SESSION_COOKIE, capabilities, jsonError } from '../guard.ts';
import { settings } from '../../settings.ts';

const LoginBody = z.object({ id: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export function authRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/login', async (c) => {
    const parsed = LoginBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return jsonError(c, 400, '利用者IDとパスワードを入力してください。');
    const { id, password } = parsed.data;
    const ip = clientIp(c);
    const locked = deps.lockout.lockedFor(id);
    if (locked > 0) {
      await deps.audit.append({ user: id, ip }, { type: 'login.failed', reason: 'locked' });
      return jsonError(c, 423, `ログインに続けて失敗したため、この利用者IDはロックされています。約 ${Math.ceil(locked / 60_000)} 分後にもう一度お試しください。`);
    }
    const auth = await deps.users.authenticate(id, password);
    if (!auth.ok) {
      await deps.audit.append({ user: id, ip }, { type: 'login.failed', reason: auth.reason });
      if (deps.lockout.fail(id)) {
        await deps.audit.append({ user: id, ip }, { type: 'login.locked' });
        return jsonError(c, 423, `ログインに ${settings.loginMaxFailures} 回続けて失敗したため、この利用者IDを ${settings.loginLockMinutes} 分間ロックしました。`);
      }
      return jsonError(c, 401, '利用者IDまたはパスワードが違います。');
    }
    const user = auth.user;
    deps.lockout.succeed(id);
    deps.sessions.end(getCookie(c, SESSION_COOKIE));
    const session = deps.sessions.create(user.id);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
    });
    await deps.audit.append({ user: user.id, role: user.role, ip }, { type: 'login.ok' });
    return c.json({ user: { id: user.id, role: user.role, shien: user.shien } });
  });

  app.post('/logout', async (c) => {
    const user = c.get('user');
    deps.sessions.end(c.get('session').token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    await deps.audit.append({ user: user.id, role: user.role, ip: clientIp(c) }, { type: 'logout' });
    return c.json({ ok: true });
  });

  app.get('/me', (c) => {
    const user = c.get('user');
    const level = ROLE_LEVEL[user.role];
    return c.json({ id: user.id, role: user.role, shien: user.shien, level, csrf: c.get('session').csrf, can: capabilities(level) });
  });

  return app;
}
