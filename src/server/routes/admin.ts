// 管理者: the audit log (search and the standard analyses) and the users (list, add with a
// generated first password, disable / enable, reset a password).
import { Hono } from 'hono';
import { z } from 'zod';
import { generatePassword } from '../../auth/users.ts';
import { parseRole } from '../../auth/roles.ts';
import { who, type AppEnv, type Deps } from '../context.ts';
import { jsonError, requireCapability } from '../guard.ts';
import { RawSqlRefused, runRawSql } from '../../euc/raw-sql.ts';
import { QueryTimeout } from '../store-handle.ts';

const AuditQuery = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal('')),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal('')),
  user: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
});
const NewUser = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), role: z.string(), shien: z.boolean().default(false) });
const SqlBody = z.object({ sql: z.string().max(20_000) });
/** Rows a raw SQL result shows (a statement is for looking, not for extracting). */
const SQL_MAX_ROWS = 1000;
const UserChange = z.object({ disabled: z.boolean().optional(), resetPassword: z.boolean().optional() });

export function adminRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireCapability(deps, 'admin'));

  app.get('/audit', async (c) => {
    const q = AuditQuery.safeParse(c.req.query());
    if (!q.success) return jsonError(c, 400, '検索条件の形式が違います（日付は YYYY-MM-DD）。');
    const filter = Object.fromEntries(Object.entries(q.data).filter(([, v]) => v)) as Record<string, string>;
    // `to` is a whole day: entries up to the end of it
    const entries = await deps.audit.search({ ...filter, to: filter.to ? `${filter.to}T23:59:59.999+09:00` : undefined, limit: 1000 });
    await deps.audit.append(who(c), { type: 'audit.viewed', filter });
    return c.json({ entries });
  });

  app.get('/audit/analyses', async (c) => c.json(await deps.audit.analyses()));

  app.get('/users', async (c) => c.json({ users: await deps.users.list() }));

  app.post('/users', async (c) => {
    const body = NewUser.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '利用者IDは英数字と . _ - で 64 文字まで、役割を選んでください。');
    const role = parseRole(body.data.role);
    if (!role) return jsonError(c, 400, `役割「${body.data.role}」はありません（閲覧者 / EUC担当 / 個人一覧 / 管理者）。`);
    if (await deps.users.get(body.data.id)) return jsonError(c, 409, `利用者ID ${body.data.id} はすでにあります。`);
    const password = generatePassword();
    await deps.users.add({ id: body.data.id, role, shien: body.data.shien, password });
    await deps.audit.append(who(c), { type: 'user.added', target: body.data.id, role });
    return c.json({ user: { id: body.data.id, role, shien: body.data.shien }, password });
  });

  app.post('/users/:id', async (c) => {
    const id = c.req.param('id');
    const body = UserChange.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います。');
    if (!(await deps.users.get(id))) return jsonError(c, 404, `利用者ID ${id} はありません。`);
    let password: string | undefined;
    if (body.data.disabled !== undefined) {
      if (id === c.get('user').id && body.data.disabled) return jsonError(c, 400, '自分自身は無効にできません。');
      await deps.users.setDisabled(id, body.data.disabled);
      deps.sessions.endUser(id);
      await deps.audit.append(who(c), { type: body.data.disabled ? 'user.disabled' : 'user.enabled', target: id });
    }
    if (body.data.resetPassword) {
      password = generatePassword();
      await deps.users.setPassword(id, password);
      deps.sessions.endUser(id);
      await deps.audit.append(who(c), { type: 'user.password_changed', target: id });
    }
    return c.json({ ok: true, ...(password ? { password } : {}) });
  });

  app.post('/sql', async (c) => {
    const body = SqlBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, 'SQL を入力してください（20,000 文字まで）。');
    const sql = body.data.sql;
    try {
      const r = await deps.store.use((conn) => runRawSql(conn, sql, { maxRows: SQL_MAX_ROWS }));
      await deps.audit.append(who(c), { type: 'sql.run', sql, ok: true, rows: r.rows.length, ms: r.ms });
      return c.json(r);
    } catch (err) {
      const message = (err as Error).message;
      await deps.audit.append(who(c), { type: 'sql.run', sql, ok: false, error: message.slice(0, 300) });
      if (err instanceof RawSqlRefused || err instanceof QueryTimeout) return jsonError(c, err instanceof QueryTimeout ? 503 : 400, message);
      return jsonError(c, 400, `SQL の実行に失敗しました: ${message.slice(0, 300)}`);
    }
  });

  return app;
}
