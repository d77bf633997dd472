// The wizard (euc.md §2): ad-hoc extracts without SQL, from a definition (src/wizard) — preview,
// chart-free cross tables with totals, person lists (個人一覧 + purpose, 支援措置 rules as for the
// standard extracts) and downloads built before they are offered. EUC担当 and above.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ROLE_LEVEL } from '../../auth/roles.ts';
import { compileSpec, type CompiledSpec } from '../../wizard/compile.ts';
import { writeCsv } from '../../export/csv.ts';
import { writeXlsx } from '../../export/xlsx.ts';
import type { CellValue, ExportColumn, RowChunks } from '../../export/types.ts';
import { itemCatalogue, OP_LABELS, BASE_LABELS } from '../../wizard/items.ts';
import { previewSpec, publishSpec, publishShapeOf, writeSpecFile, PUBLISH_MAX_ROWS } from '../../wizard/run.ts';
import { crossTable } from '../../euc/publish.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSpec, SpecError, type ExtractSpec } from '../../wizard/spec.ts';
import { ExportTooLarge } from '../../export/types.ts';
import { latestSnapshot, nowJst } from '../../reports/common/provenance.ts';
import { who, type AppEnv, type Deps } from '../context.ts';
import { jsonError, requireCapability, LEVEL } from '../guard.ts';
import { CONTENT_TYPE } from '../downloads.ts';
import { QueryTimeout } from '../store-handle.ts';

const PreviewBody = z.object({
  spec: z.unknown(),
  purpose: z.string().max(500).optional(),
  /** 公表用 (counts only): small figures and those that would reveal them shown as X */
  public: z.object({ k: z.number().int().min(1).max(100).default(3) }).optional(),
  /** counts: 'cross' = the last group item across, totals in both directions (the default is one row per group) */
  layout: z.enum(['long', 'cross']).optional(),
});

/** How a count is laid out: as compiled (long), as a cross table, or as the 公表用 cross table. */
export interface TableShape {
  public?: { k: number };
  cross?: boolean;
}

/** The count as a cross table (公表用 when asked); undefined for the plain long layout. */
async function tableOf(conn: DuckDBConnection, compiled: CompiledSpec, shape: TableShape): Promise<{ columns: ExportColumn[]; rows: CellValue[][]; note?: string } | undefined> {
  if (shape.public) return publishSpec(conn, compiled, shape.public.k);
  if (!shape.cross) return undefined;
  const layout = publishShapeOf(compiled);
  const all = await previewSpec(conn, compiled, PUBLISH_MAX_ROWS);
  if (all.total > PUBLISH_MAX_ROWS) throw new SpecError(['output'], `クロス表は ${PUBLISH_MAX_ROWS.toLocaleString('ja-JP')} 行までです。分類を減らしてください。`);
  return crossTable(all.columns.map((k) => k.name), all.rows, layout);
}

async function* oneChunk(rows: CellValue[][]): RowChunks {
  yield rows;
}
const ExportBody = PreviewBody.extend({ format: z.enum(['xlsx', 'csv', 'csv-cp932']) });


/** Checks the definition and the user's right to its output; an error Response or the parsed spec. */
export async function gateSpec(deps: Deps, c: Context<AppEnv>, raw: unknown, purpose: string | undefined): Promise<Response | ExtractSpec> {
  let spec: ExtractSpec;
  try {
    spec = parseSpec(raw);
  } catch (err) {
    if (err instanceof SpecError) return jsonError(c, 400, err.message);
    throw err;
  }
  if (spec.output.kind === 'persons') {
    if (ROLE_LEVEL[c.get('user').role] < LEVEL.persons) {
      await deps.audit.append(who(c), { type: 'access.denied', path: c.req.path, needed: '個人一覧' });
      return jsonError(c, 403, '個人一覧の出力には「個人一覧」の役割が必要です。');
    }
    if (!purpose?.trim()) return jsonError(c, 400, '個人一覧を抽出するには利用目的を入力してください。');
  }
  return spec;
}

export function wizardFailure(c: Context<AppEnv>, err: unknown): Response {
  if (err instanceof SpecError) return jsonError(c, 400, err.message);
  if (err instanceof QueryTimeout) return jsonError(c, 503, err.message);
  if (err instanceof ExportTooLarge) return jsonError(c, 413, err.message);
  throw err;
}

/**
 * Builds a wizard result file and registers it for one download (shared by the wizard and the saved
 * extracts' runs). The download's completion or failure is audited.
 */
export async function exportSpec(
  deps: Deps, c: Context<AppEnv>, spec: ExtractSpec, format: keyof typeof CONTENT_TYPE, purpose: string | undefined, extract: string,
  shape: TableShape = {},
  onDone?: (compiled: CompiledSpec) => Promise<void>,
): Promise<Response> {
  const pub = shape.public;
  const user = c.get('user');
  const ext = format === 'xlsx' ? 'xlsx' : 'csv';
  const { token, file } = await deps.downloads.newFile(ext);
  let compiled: CompiledSpec | undefined;
  const base = { extract, title: spec.title, purpose };
  try {
    const built = await deps.store.use(async (conn) => {
      compiled = await compileSpec(conn, spec, { includeShien: user.shien });
      const snap = await latestSnapshot(conn);
      const conditions: [string, string][] = [
        ['スナップショット', `${snap.municipalityName}（${snap.municipalityCode}）${snap.processedThrough} 処理分まで（取り込み番号 ${snap.loadId}）`],
        ...(purpose ? [['利用目的', purpose] as [string, string]] : []),
        ['作成者', user.id], ['作成日時', nowJst()],
      ];
      const p = await tableOf(conn, compiled, shape);
      if (p) {
        const note: [string, string][] = p.note ? [['秘匿処理', p.note]] : [];
        if (format === 'xlsx') {
          const meta = { title: `${compiled.title}${pub ? '（公表用）' : ''}`, conditions: [...Object.entries(compiled.shown), ...note, ...conditions] };
          const r = await writeXlsx(file, p.columns, oneChunk(p.rows), { sheetName: compiled.title, meta, totalRows: p.rows.length });
          return { rows: r.rows, bytes: r.bytes, unmappable: [], unmappableTotal: 0 } as Awaited<ReturnType<typeof writeSpecFile>>;
        }
        const r = await writeCsv(file, p.columns, oneChunk(p.rows), { encoding: format === 'csv-cp932' ? 'cp932' : 'utf8' });
        return { rows: r.rows, bytes: r.bytes, unmappable: r.unmappable, unmappableTotal: r.unmappableTotal };
      }
      return writeSpecFile(conn, compiled, { file, format, maxXlsxRows: deps.limits.xlsxMaxRows, conditions });
    }, { timeoutMs: deps.limits.queryTimeoutMs * 4 });
    const done = compiled!;
    const fileName = `${done.title}_${Object.values(done.dates).join('_')}${pub ? '_公表用' : ''}.${ext}`.replace(/[\\/:*?"<>|\s]+/g, '_');
    const whoAmI = who(c);
    await deps.downloads.register({
      token, file, fileName, contentType: CONTENT_TYPE[format], userId: user.id,
      onDone: (sent, complete) => {
        void deps.audit.append(whoAmI, complete
          ? { type: 'wizard.downloaded', ...base, specHash: done.specHash, format, params: done.dates, rows: built.rows, bytes: sent, ...(built.persons !== undefined ? { persons: built.persons } : {}) }
          : { type: 'wizard.download_failed', ...base, specHash: done.specHash, format, params: done.dates, error: '転送が途中で終わりました', bytesSent: sent });
      },
    });
    await onDone?.(done);
    return c.json({ url: `/api/downloads/${token}`, fileName, rows: built.rows, bytes: built.bytes, unmappable: built.unmappable, unmappableTotal: built.unmappableTotal });
  } catch (err) {
    await deps.audit.append(who(c), {
      type: 'wizard.download_failed', ...base, specHash: compiled?.specHash ?? '', format, params: compiled?.dates ?? {}, error: (err as Error).message.slice(0, 200),
    });
    return wizardFailure(c, err);
  }
}

/** Runs a preview and audits it; shared by the wizard and the saved extracts. */
export async function previewSpecRoute(
  deps: Deps, c: Context<AppEnv>, spec: ExtractSpec, purpose: string | undefined, extract: string, shape: TableShape = {},
  onDone?: (compiled: CompiledSpec) => Promise<void>,
): Promise<Response> {
  const user = c.get('user');
  try {
    const r = await deps.store.use(async (conn) => {
      const compiled = await compileSpec(conn, spec, { includeShien: user.shien });
      const p = await tableOf(conn, compiled, shape);
      if (p) {
        if (p.note) compiled.shown = { ...compiled.shown, 秘匿処理: p.note };
        return { compiled, preview: { columns: p.columns, rows: p.rows.slice(0, deps.limits.previewRows), total: p.rows.length, persons: undefined as number | undefined } };
      }
      return { compiled, preview: await previewSpec(conn, compiled, deps.limits.previewRows) };
    });
    await deps.audit.append(who(c), {
      type: 'wizard.previewed', extract, title: spec.title, specHash: r.compiled.specHash, params: r.compiled.dates, purpose,
      rows: r.preview.total, ...(r.preview.persons !== undefined ? { persons: r.preview.persons } : {}),
    });
    await onDone?.(r.compiled);
    return c.json({
      columns: r.preview.columns.map((k) => ({ name: k.name, kind: k.kind })),
      rows: r.preview.rows,
      total: r.preview.total,
      shown: r.compiled.shown,
      groupBy: r.compiled.groupBy,
    });
  } catch (err) {
    return wizardFailure(c, err);
  }
}

export function wizardRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireCapability(deps, 'wizard'));

  app.get('/items', (c) => c.json({ items: itemCatalogue(), ops: OP_LABELS, bases: BASE_LABELS }));

  app.post('/preview', async (c) => {
    const body = PreviewBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います。');
    const spec = await gateSpec(deps, c, body.data.spec, body.data.purpose);
    if (spec instanceof Response) return spec;
    return previewSpecRoute(deps, c, spec, body.data.purpose, '(ウィザード)', { public: body.data.public, cross: body.data.layout === 'cross' });
  });

  app.post('/export', async (c) => {
    const body = ExportBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います（format は xlsx / csv / csv-cp932）。');
    const spec = await gateSpec(deps, c, body.data.spec, body.data.purpose);
    if (spec instanceof Response) return spec;
    return exportSpec(deps, c, spec, body.data.format, body.data.purpose, '(ウィザード)', { public: body.data.public, cross: body.data.layout === 'cross' });
  });

  return app;
}
