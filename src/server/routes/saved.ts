// Saved extracts (issue #5): named wizard definitions, owned, shareable with a role, re-runnable with
// new dates (each run records the definition it used), exported and imported as JSON. EUC担当 and
// above; the owner (or a 管理者) edits and deletes.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { parseRole } from '../../auth/roles.ts';
import { ExtractPermissionError, SavedExtractError, SavedExtracts, type SavedExtract } from '../../wizard/saved.ts';
import { parseSpec, specHash, withDates, SpecError } from '../../wizard/spec.ts';
import { who, type AppEnv, type Deps } from '../context.ts';
import { contentDisposition } from '../downloads.ts';
import { jsonError, requireCapability } from '../guard.ts';
import { exportSpec, gateSpec, previewSpecRoute } from './wizard.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Dates = z.object({ asOf: isoDate.optional(), from: isoDate.optional(), to: isoDate.optional() });
const SaveBody = z.object({ name: z.string().min(1).max(100), spec: z.unknown(), sharedWithRole: z.string().nullable().optional() });
const UpdateBody = z.object({ name: z.string().min(1).max(100).optional(), spec: z.unknown().optional(), sharedWithRole: z.string().nullable().optional() });
const RunBody = z.object({
  dates: Dates.default({}),
  purpose: z.string().max(500).optional(),
  public: z.object({ k: z.number().int().min(1).max(100).default(3) }).optional(),
  layout: z.enum(['long', 'cross']).optional(),
});
const ExportBody = RunBody.extend({ format: z.enum(['xlsx', 'csv', 'csv-cp932']) });
const ImportBody = z.object({ json: z.string().min(2).max(200_000), name: z.string().min(1).max(100).optional() });

/** What the list shows of a saved extract (the definition, the last runs). */
function summary(e: SavedExtract) {
  return {
    id: e.id, name: e.name, owner: e.owner, sharedWithRole: e.sharedWithRole, spec: e.spec,
    createdAt: e.createdAt, updatedAt: e.updatedAt, runs: e.runs.slice(-10).reverse(),
  };
}

function role(raw: string | null | undefined): ReturnType<typeof parseRole> | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw === '') return null;
  return parseRole(raw);
}

export function savedRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const saved = new SavedExtracts(deps.stateDir);
  // 閲覧者 and up see and run what is shared with them; saving, editing and importing need EUC担当
  app.use('*', requireCapability(deps, 'aggregates'));
  const author = requireCapability(deps, 'wizard');

  const me = (c: Context<AppEnv>) => ({ id: c.get('user').id, role: c.get('user').role });
  const failure = (c: Context<AppEnv>, err: unknown): Response => {
    if (err instanceof ExtractPermissionError) return jsonError(c, 403, err.message);
    if (err instanceof SavedExtractError) return jsonError(c, err.code === 'not_found' ? 404 : err.code === 'duplicate' ? 409 : 400, err.message);
    if (err instanceof SpecError) return jsonError(c, 400, err.message);
    throw err;
  };

  app.get('/', async (c) => c.json({ extracts: (await saved.list(me(c))).map(summary) }));

  app.post('/', author, async (c) => {
    const body = SaveBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '名前（100 文字まで）と定義を指定してください。');
    const shared = role(body.data.sharedWithRole);
    if (shared === undefined && body.data.sharedWithRole) return jsonError(c, 400, `役割「${body.data.sharedWithRole}」はありません。`);
    try {
      const e = await saved.save({ name: body.data.name, spec: parseSpec(body.data.spec), sharedWithRole: shared ?? null }, me(c));
      await deps.audit.append(who(c), { type: 'extract.saved', id: e.id, name: e.name, owner: e.owner, sharedWithRole: e.sharedWithRole, specHash: specHash(e.spec) });
      return c.json({ extract: summary(e) });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/import', author, async (c) => {
    const body = ImportBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '取り込む定義（JSON）を指定してください。');
    try {
      const e = await saved.importJson(body.data.json, me(c), body.data.name ? { name: body.data.name } : {});
      await deps.audit.append(who(c), { type: 'extract.imported', id: e.id, name: e.name, owner: e.owner, specHash: specHash(e.spec) });
      return c.json({ extract: summary(e) });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.get('/:id', async (c) => {
    try {
      return c.json({ extract: summary(await saved.get(c.req.param('id'), me(c))) });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/:id', author, async (c) => {
    const body = UpdateBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います。');
    try {
      const shared = role(body.data.sharedWithRole);
      const e = await saved.update(c.req.param('id'), {
        ...(body.data.name !== undefined ? { name: body.data.name } : {}),
        ...(body.data.spec !== undefined ? { spec: parseSpec(body.data.spec) } : {}),
        ...(shared !== undefined ? { sharedWithRole: shared } : {}),
      }, me(c));
      await deps.audit.append(who(c), { type: 'extract.updated', id: e.id, name: e.name, owner: e.owner, sharedWithRole: e.sharedWithRole, specHash: specHash(e.spec) });
      return c.json({ extract: summary(e) });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/:id/delete', author, async (c) => {
    try {
      const e = await saved.remove(c.req.param('id'), me(c));
      await deps.audit.append(who(c), { type: 'extract.deleted', id: e.id, name: e.name, owner: e.owner });
      return c.json({ ok: true });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.get('/:id/file', async (c) => {
    try {
      const e = await saved.get(c.req.param('id'), me(c));
      const text = await saved.exportJson(e.id, me(c));
      return c.body(text, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': contentDisposition(`${e.name}.json`) });
    } catch (err) {
      return failure(c, err);
    }
  });

  /** The saved definition with the run's dates, checked for the user's role and purpose. */
  const prepare = async (c: Context<AppEnv>, dates: z.infer<typeof Dates>, purpose: string | undefined) => {
    const e = await saved.get(c.req.param('id') ?? '', me(c));
    const spec = withDates(e.spec, dates);
    const gated = await gateSpec(deps, c, spec, purpose);
    return { e, spec: gated };
  };

  app.post('/:id/preview', async (c) => {
    const body = RunBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '日付は YYYY-MM-DD で指定してください。');
    try {
      const { e, spec } = await prepare(c, body.data.dates, body.data.purpose);
      if (spec instanceof Response) return spec;
      // the run records the definition and the dates as resolved (a keyword such as 'snapshot' → its date)
      return await previewSpecRoute(deps, c, spec, body.data.purpose, e.id, { public: body.data.public, cross: body.data.layout === 'cross' },
        async (compiled) => void (await saved.recordRun(e.id, { user: c.get('user').id, spec, params: compiled.dates })));
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/:id/export', async (c) => {
    const body = ExportBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います（format は xlsx / csv / csv-cp932、日付は YYYY-MM-DD）。');
    try {
      const { e, spec } = await prepare(c, body.data.dates, body.data.purpose);
      if (spec instanceof Response) return spec;
      return await exportSpec(deps, c, spec, body.data.format, body.data.purpose, e.id, { public: body.data.public, cross: body.data.layout === 'cross' },
        async (compiled) => void (await saved.recordRun(e.id, { user: c.get('user').id, spec, params: compiled.dates })));
    } catch (err) {
      return failure(c, err);
    }
  });

  return app;
}
