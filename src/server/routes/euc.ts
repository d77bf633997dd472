// EUC: the catalogue of standard extracts (queries/euc), each with a preview (first rows + total),
// a chart where one helps, and downloads built completely before they are offered.
// Person lists (kind 'persons') need the 個人一覧 role and a purpose; 支援措置 subjects are left out
// unless the user holds 支援措置閲覧 — decided here from the user record, never from the request.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ROLE_LEVEL } from '../../auth/roles.ts';
import { catalogue, getExtract } from '../../euc/catalogue.ts';
import { ParamError, paramsForForm, resolveParams } from '../../euc/params.ts';
import { countExtract, previewExtract, streamExtract } from '../../euc/run.ts';
import type { ExtractDef } from '../../euc/types.ts';
import { renderChartSvg } from '../../euc/chart.ts';
import { publish, type Published } from '../../euc/publish.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CellValue, ExportColumn, RowChunks } from '../../export/types.ts';
import { writeCsv } from '../../export/csv.ts';
import { ExportTooLarge, writeXlsx } from '../../export/xlsx.ts';
import { latestSnapshot } from '../../reports/common/provenance.ts';
import { nowJst } from '../../reports/common/provenance.ts';
import { who, type AppEnv, type Deps } from '../context.ts';
import { jsonError, requireCapability, LEVEL } from '../guard.ts';
import { CONTENT_TYPE } from '../downloads.ts';
import { QueryTimeout } from '../store-handle.ts';

const PreviewBody = z.object({
  params: z.record(z.string(), z.unknown()).default({}),
  purpose: z.string().max(500).optional(),
  /** 公表用: small figures and those that would reveal them shown as X */
  public: z.object({ k: z.number().int().min(1).max(100).default(3) }).optional(),
});

/** A 公表用 table is built in memory: results larger than this are refused for it. */
const PUBLISH_MAX_ROWS = 100_000;
const ExportBody = PreviewBody.extend({ format: z.enum(['xlsx', 'csv', 'csv-cp932']) });


/** A value as the form shows it. */
function formValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

function allowed(c: Context<AppEnv>, def: ExtractDef): boolean {
  return ROLE_LEVEL[c.get('user').role] >= (def.kind === 'persons' ? LEVEL.persons : LEVEL.aggregates);
}

/** A file name from the extract's title and its parameters, safe on Windows. */
function fileNameOf(def: ExtractDef, shown: Record<string, string>, ext: string): string {
  // shown dates look like '2022-01-01（令和4年1月1日）': the ISO part names the file
  const when = Object.values(shown).map((v) => /^(\d{4}-\d{2}-\d{2})/.exec(v)?.[1]).filter(Boolean).join('_');
  return `${def.id}_${def.title}${when ? `_${when}` : ''}.${ext}`.replace(/[\\/:*?"<>|\s]+/g, '_');
}

class PublishRefused extends Error {}

/** The 公表用 table of an aggregate extract (all its rows, then 秘匿処理). */
async function publishedExtract(conn: DuckDBConnection, def: ExtractDef, values: Record<string, never> | Record<string, unknown>, k: number): Promise<Published> {
  if (!def.publish) throw new PublishRefused(`「${def.title}」には公表用（秘匿処理）がありません。`);
  const all = await previewExtract(conn, def, values as never, { includeShien: true, rows: PUBLISH_MAX_ROWS });
  if (all.total > PUBLISH_MAX_ROWS) throw new PublishRefused(`公表用の表は ${PUBLISH_MAX_ROWS.toLocaleString('ja-JP')} 行までです（${all.total.toLocaleString('ja-JP')} 行）。条件を絞ってください。`);
  return publish(all.columns.map((c) => c.name), all.rows, def.publish, k);
}

async function* oneChunk(rows: CellValue[][]): RowChunks {
  yield rows;
}

export function eucRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireCapability(deps, 'aggregates'));

  /** Finds the extract and checks role and purpose; returns an error Response or the pieces. */
  const gate = async (c: Context<AppEnv>, purpose: string | undefined): Promise<Response | ExtractDef> => {
    const def = getExtract(c.req.param('id') ?? '');
    if (!def) return jsonError(c, 404, 'その抽出はありません。');
    if (!allowed(c, def)) {
      await deps.audit.append(who(c), { type: 'access.denied', path: c.req.path, needed: '個人一覧' });
      return jsonError(c, 403, '個人一覧の抽出には「個人一覧」の役割が必要です。');
    }
    if (def.kind === 'persons' && !purpose?.trim()) return jsonError(c, 400, '個人一覧を抽出するには利用目的を入力してください。');
    return def;
  };

  const failure = (c: Context<AppEnv>, err: unknown): Response => {
    if (err instanceof ParamError || err instanceof PublishRefused) return jsonError(c, 400, err.message);
    if (err instanceof QueryTimeout) return jsonError(c, 503, err.message);
    if (err instanceof ExportTooLarge) return jsonError(c, 413, err.message);
    throw err;
  };

  app.get('/', async (c) => {
    const extracts = await deps.store.use(async (conn) => {
      const { processedThrough } = await latestSnapshot(conn);
      const out = [];
      for (const def of catalogue()) {
        out.push({
          id: def.id, title: def.title, description: def.description, kind: def.kind,
          allowed: allowed(c, def),
          chart: Boolean(def.chart),
          params: paramsForForm(def, processedThrough),
        });
      }
      return out;
    });
    return c.json({ extracts });
  });

  app.post('/:id/preview', async (c) => {
    const body = PreviewBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います。');
    const def = await gate(c, body.data.purpose);
    if (def instanceof Response) return def;
    try {
      const user = c.get('user');
      const pub = body.data.public;
      const result = await deps.store.use(async (conn) => {
        const { values, shown } = await resolveParams(conn, def, body.data.params);
        if (pub) {
          const p = await publishedExtract(conn, def, values, pub.k);
          return { columns: p.columns, rows: p.rows.slice(0, deps.limits.previewRows), total: p.rows.length, persons: undefined, shown: { ...shown, 秘匿処理: p.note } };
        }
        const preview = await previewExtract(conn, def, values, { includeShien: user.shien, rows: deps.limits.previewRows });
        return { ...preview, shown };
      });
      await deps.audit.append(who(c), {
        type: 'extract.previewed', extract: def.id, params: result.shown, purpose: body.data.purpose,
        rows: result.total, ...(def.kind === 'persons' ? { persons: result.persons ?? result.total } : {}),
      });
      const chartUrl = def.chart && def.kind === 'aggregate' && !pub
        ? `/api/euc/${def.id}/chart.svg?p=${Buffer.from(JSON.stringify(body.data.params)).toString('base64url')}` : undefined;
      // hidden columns (住民種別 for date formatting) are for the writers, not for the screen
      const hidden = new Set(def.hidden ?? []);
      const shownIdx = result.columns.map((k, i) => (hidden.has(k.name) ? -1 : i)).filter((i) => i >= 0);
      return c.json({
        columns: shownIdx.map((i) => ({ name: result.columns[i]!.name, kind: result.columns[i]!.kind })),
        rows: result.rows.map((r) => shownIdx.map((i) => formValue(r[i]))),
        total: result.total,
        shown: result.shown,
        chartUrl,
      });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.get('/:id/chart.svg', async (c) => {
    const def = getExtract(c.req.param('id'));
    if (!def || !def.chart || def.kind !== 'aggregate') return jsonError(c, 404, 'グラフはありません。');
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(Buffer.from(c.req.query('p') ?? 'e30', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return jsonError(c, 400, 'パラメータの形式が違います。');
    }
    try {
      const chart = def.chart;
      const svg = await deps.store.use(async (conn) => {
        const { values } = await resolveParams(conn, def, raw);
        const all = await previewExtract(conn, def, values, { includeShien: c.get('user').shien, rows: 5000 });
        return renderChartSvg(chart, all.columns.map((k) => k.name), all.rows, def.title);
      });
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    } catch (err) {
      return failure(c, err);
    }
  });

  app.post('/:id/export', async (c) => {
    const body = ExportBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return jsonError(c, 400, '要求の形式が違います（format は xlsx / csv / csv-cp932）。');
    const def = await gate(c, body.data.purpose);
    if (def instanceof Response) return def;
    const { format, purpose } = body.data;
    const user = c.get('user');
    const ext = format === 'xlsx' ? 'xlsx' : 'csv';
    const { token, file } = await deps.downloads.newFile(ext);
    let shownParams: Record<string, string> = {};
    try {
      const built = await deps.store.use(async (conn) => {
        const { values, shown } = await resolveParams(conn, def, body.data.params);
        shownParams = shown;
        const opts = { includeShien: user.shien };
        let source: { columns: ExportColumn[]; chunks: RowChunks; foreignFlagIndex?: number; total: number };
        let extra: [string, string][] = [];
        if (body.data.public) {
          const p = await publishedExtract(conn, def, values, body.data.public.k);
          shownParams = { ...shown, 秘匿処理: p.note };
          extra = [['秘匿処理', p.note]];
          source = { columns: p.columns, chunks: oneChunk(p.rows), total: p.rows.length };
        } else {
          const total = await countExtract(conn, def, values, opts);
          if (format === 'xlsx' && total > deps.limits.xlsxMaxRows) throw new ExportTooLarge(total);
          source = { ...streamExtract(conn, def, values, opts), total };
        }
        const total = source.total;
        const snap = await latestSnapshot(conn);
        const stream = source;
        if (format === 'xlsx') {
          const conditions: [string, string][] = [
            ...Object.entries(shown),
            ...extra,
            ['スナップショット', `${snap.municipalityName}（${snap.municipalityCode}）${snap.processedThrough} 処理分まで（取り込み番号 ${snap.loadId}）`],
            ...(purpose ? [['利用目的', purpose] as [string, string]] : []),
            ['作成者', user.id],
            ['作成日時', nowJst()],
            ['件数', total.toLocaleString('ja-JP')],
          ];
          const r = await writeXlsx(file, stream.columns, stream.chunks, {
            sheetName: def.title, meta: { title: def.title, conditions }, foreignFlagIndex: stream.foreignFlagIndex, totalRows: total,
          });
          return { ...r, unmappable: [], unmappableTotal: 0 };
        }
        const r = await writeCsv(file, stream.columns, stream.chunks, {
          encoding: format === 'csv-cp932' ? 'cp932' : 'utf8', foreignFlagIndex: stream.foreignFlagIndex,
        });
        return { rows: r.rows, bytes: r.bytes, unmappable: r.unmappable, unmappableTotal: r.unmappableTotal ?? r.unmappable.length };
      }, { timeoutMs: deps.limits.queryTimeoutMs * 4 });
      const fileName = fileNameOf(def, shownParams, ext).replace(/(\.\w+)$/, body.data.public ? '_公表用$1' : '$1');
      const persons = def.kind === 'persons' ? { persons: built.rows } : {};
      const whoAmI = who(c);
      await deps.downloads.register({
        token, file, fileName, contentType: CONTENT_TYPE[format], userId: user.id,
        onDone: (sent, complete) => {
          void deps.audit.append(whoAmI, complete
            ? { type: 'extract.downloaded', extract: def.id, format, params: shownParams, purpose, rows: built.rows, bytes: sent, ...persons }
            : { type: 'extract.download_failed', extract: def.id, format, params: shownParams, purpose, error: '転送が途中で終わりました', bytesSent: sent });
        },
      });
      return c.json({ url: `/api/downloads/${token}`, fileName, rows: built.rows, bytes: built.bytes, unmappable: built.unmappable, unmappableTotal: built.unmappableTotal });
    } catch (err) {
      await deps.audit.append(who(c), {
        type: 'extract.download_failed', extract: def.id, format, params: shownParams, purpose, error: (err as Error).message.slice(0, 200),
      });
      return failure(c, err);
    }
  });

  return app;
}
