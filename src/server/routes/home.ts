// ホーム: the latest snapshot, the load history and each load's report (no personal data).
import { Hono } from 'hono';
import { runQuery } from '../../reports/common/queries.ts';
import { formatLoadReport } from '../../ingest/report.ts';
import type { LoadReport } from '../../ingest/load.ts';
import type { AppEnv, Deps } from '../context.ts';
import { jsonError, requireCapability } from '../guard.ts';

interface LoadRow {
  load_id: number; loaded_at: string; municipality_code: string; municipality_name: string; processed_through: string;
  history_mode: string; encoding: string; residents_rows: number; history_rows: number; history_rows_new: number; duration_ms: number;
}

export function homeRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireCapability(deps, 'reports'));

  app.get('/home', async (c) => {
    const rows = await deps.store.use((conn) => runQuery<LoadRow>(conn, 'web/loads.sql'));
    const loads = rows.map((r) => ({
      loadId: r.load_id, loadedAt: r.loaded_at, municipalityCode: r.municipality_code, municipalityName: r.municipality_name,
      processedThrough: r.processed_through, historyMode: r.history_mode, encoding: r.encoding, residentsRows: r.residents_rows,
      historyRows: r.history_rows, historyRowsNew: r.history_rows_new, durationMs: r.duration_ms,
    }));
    const last = loads[0];
    const snapshot = last ? {
      municipalityCode: last.municipalityCode, municipalityName: last.municipalityName, processedThrough: last.processedThrough,
      loadId: last.loadId, loadedAt: last.loadedAt,
    } : null;
    return c.json({ snapshot, loads });
  });

  app.get('/loads/:id/report', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id < 1) return jsonError(c, 400, '取り込み番号が正しくありません。');
    const [row] = await deps.store.use((conn) => runQuery<{ report_json: string }>(conn, 'web/load_report.sql', { load_id: id }));
    if (!row) return jsonError(c, 404, `取り込み番号 ${id} はありません。`);
    return c.json({ text: formatLoadReport(JSON.parse(row.report_json) as LoadReport) });
  });

  return app;
}
