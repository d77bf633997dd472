// 統計: run the 年報 or the 定期報告 from the browser, preview its tables and 整合性チェック, and
// download the files. The report functions are the CLI's (src/reports); each run writes into its
// own folder under <state>/reports/.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import Papa from 'papaparse';
import { z } from 'zod';
import { runNenpo } from '../../reports/nenpo/index.ts';
import { runZairyu } from '../../reports/zairyu/index.ts';
import { personText } from '../../reports/nenpo/checks.ts';
import { writePublicVariants } from '../../reports/publish.ts';
import { who, type AppEnv, type Deps } from '../context.ts';
import { contentDisposition } from '../downloads.ts';
import { jsonError, requireCapability } from '../guard.ts';

type Cell = string | number | null;
interface PreviewTable { name: string; header: string[]; rows: Cell[][] }
interface Run { report: 'nenpo' | 'zairyu'; dir: string; files: string[] }

const Public = z.object({ k: z.number().int().min(1).max(100).default(3) }).optional();
const NenpoBody = z.object({ year: z.coerce.number().int().min(1900).max(2999), public: Public });
const ZairyuBody = z.object({
  public: Public,
  from: z.string().regex(/^\d{4}-\d{2}$/).optional().or(z.literal('')),
  to: z.string().regex(/^\d{4}-\d{2}$/).optional().or(z.literal('')),
});

/** A report CSV read back for the preview (small: a few hundred rows at most). */
async function readCsvTable(file: string): Promise<PreviewTable> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text.trimEnd(), { skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  // counts become numbers; codes (団体コード 013854, 住所コード …) and numbers written with a leading
  // zero stay text, as in the CSV
  const isCode = header.map((h) => /コード|番号/.test(h));
  const cell = (v: string, i: number): Cell =>
    v === '' ? null : !isCode[i] && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(v) ? Number(v) : v;
  return { name: path.basename(file, '.csv'), header, rows: rows.map((r) => r.map(cell)) };
}

function fileLinks(runId: string, files: string[]): { name: string; url: string }[] {
  return files.map((f) => ({ name: path.basename(f), url: `/api/reports/files/${runId}/${encodeURIComponent(path.basename(f))}` }));
}

export function reportRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const runs = new Map<string, Run>();
  app.use('*', requireCapability(deps, 'reports'));

  const newRun = () => {
    const runId = randomBytes(12).toString('base64url');
    return { runId, dir: path.join(deps.stateDir, 'reports', runId) };
  };

  app.post('/nenpo', async (c) => {
    const parsed = NenpoBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return jsonError(c, 400, '年は西暦の4桁（例 2026）で指定してください。');
    const { year } = parsed.data;
    const { runId, dir } = newRun();
    try {
      const r = await runNenpo({ db: deps.db, year, outDir: dir, formats: ['csv', 'xlsx'], bom: true });
      if (parsed.data.public) r.files.push(...(await writePublicVariants(r.files, { k: parsed.data.public.k, bom: true })).files);
      runs.set(runId, { report: 'nenpo', dir, files: r.files });
      await deps.audit.append(who(c), { type: 'report.run', report: 'nenpo', params: { year: String(year) }, ok: r.ok });
      const tables = await Promise.all(r.files.filter((f) => f.endsWith('.csv')).map(readCsvTable));
      return c.json({
        runId,
        title: `住民基本台帳関係年報 ${year}年（${year}年1月1日現在）`,
        ok: r.ok,
        warnings: r.warnings,
        checks: r.checks.map((k) => ({
          name: `${k.no}. ${k.check}`,
          ok: k.ok,
          detail: `${k.areaName} ${k.segment} ${k.sex} ${k.item}: 左辺 ${k.left} / 右辺 ${k.right}` +
            (k.persons.length ? `（該当者 ${k.persons.map(personText).join('、')}${k.more ? ` ほか ${k.more} 人` : ''}）` : ''),
        })),
        tables,
        files: fileLinks(runId, r.files),
      });
    } catch (err) {
      await deps.audit.append(who(c), { type: 'report.run', report: 'nenpo', params: { year: String(year) }, ok: false });
      return jsonError(c, 400, (err as Error).message);
    }
  });

  app.post('/zairyu', async (c) => {
    const parsed = ZairyuBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return jsonError(c, 400, '期間は YYYY-MM（例 2025-04）で指定してください。');
    const from = parsed.data.from || undefined;
    const to = parsed.data.to || undefined;
    const params = { from: from ?? '', to: to ?? '' };
    const { runId, dir } = newRun();
    try {
      const r = await runZairyu({ db: deps.db, from, to, outDir: dir, formats: ['csv', 'xlsx'], bom: true });
      const published = parsed.data.public ? await writePublicVariants(r.files, { k: parsed.data.public.k, bom: true }) : { files: [] };
      r.files.push(...published.files);
      runs.set(runId, { report: 'zairyu', dir, files: r.files });
      await deps.audit.append(who(c), { type: 'report.run', report: 'zairyu', params: { from: r.period.from, to: r.period.to }, ok: true });
      return c.json({
        runId,
        title: `中長期在留者住居地届出等事務に関する定期報告（${r.period.from}〜${r.period.to}）`,
        ok: true,
        warnings: r.warnings,
        checks: [],
        tables: [...r.tables.map((t) => ({ name: t.name, header: t.header, rows: t.rows })), ...(await Promise.all(published.files.map(readCsvTable)))],
        files: fileLinks(runId, r.files),
      });
    } catch (err) {
      await deps.audit.append(who(c), { type: 'report.run', report: 'zairyu', params, ok: false });
      return jsonError(c, 400, (err as Error).message);
    }
  });

  app.get('/files/:runId/:name', async (c) => {
    const run = runs.get(c.req.param('runId'));
    const name = c.req.param('name');
    const file = run?.files.find((f) => path.basename(f) === name);
    if (!run || !file) return jsonError(c, 404, 'ファイルがありません。報告をもう一度実行してください。');
    const body = await readFile(file);
    const size = (await stat(file)).size;
    await deps.audit.append(who(c), { type: 'report.downloaded', report: run.report, file: name, bytes: size });
    const type = name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
    return c.body(body, 200, { 'Content-Type': type, 'Content-Disposition': contentDisposition(name), 'Content-Length': String(size) });
  });

  return app;
}
