// 中長期在留者住居地届出等事務に関する定期報告 (zairyu-report.md): 住居地届出 of foreign residents
// by 区分 and month, and by 国籍・地域 / 在留資格, as CSV and a workbook filled from an editable template.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { queryPath } from '../../store/db.ts';
import { openReportStore } from '../common/open.ts';
import { toWareki } from '../../util/wareki.ts';
import { toCsv, writeFileAtomic } from '../common/csv.ts';
import { latestSnapshot, nowJst, provenanceEntries, provenanceText, resultKey, sha256, type Provenance } from '../common/provenance.ts';
import { queryVersion, runQuery, runScriptFile } from '../common/queries.ts';
import { fillTemplate, type XlsxCell } from '../common/xlsx-template.ts';
import { ZAIRYU_BLOCKS, ZAIRYU_TEMPLATE } from '../templates/build-zairyu-template.ts';
import type { ReportFormat } from '../nenpo/index.ts';
import { monthsOf, periodDates, previousFiscalYear, type MonthPeriod } from './period.ts';
import { byNationalityAndStatus, kubunByMonth, type NotificationRow, type SimpleTable } from './tables.ts';

export const ZAIRYU_QUERY_FILES = [
  'store/asof.sql', 'report/snapshot.sql', 'report/snapshot.meta.json',
  'zairyu/kubun_rules.csv', 'zairyu/kubun_rules.csv.meta.json',
  'zairyu/rules.sql', 'zairyu/rules.meta.json', 'zairyu/notifications.sql', 'zairyu/notifications.meta.json',
];

export interface ZairyuOptions {
  db: string;
  /** first month, YYYY-MM (default with `to`: the fiscal year before the snapshot's) */
  from?: string;
  /** last month, YYYY-MM */
  to?: string;
  outDir: string;
  formats?: ReportFormat[];
  bom?: boolean;
  template?: string;
  now?: Date;
}

export interface ZairyuResult {
  outDir: string;
  files: string[];
  period: MonthPeriod;
  tables: SimpleTable[];
  /** notifications whose 住居地届出区分 was derived (empty in the source) */
  derived: number;
  provenance: Provenance;
  warnings: string[];
}

function warekiMonth(ym: string): string {
  return toWareki(`${ym}-01`).replace(/1日$/, '');
}

/**
 * Produces the 定期報告 for a period of months from the store's latest snapshot.
 * @example const r = await runZairyu({ db: 'juki.duckdb', from: '2021-04', to: '2022-03', outDir: 'out/zairyu' });
 */
export async function runZairyu(opts: ZairyuOptions): Promise<ZairyuResult> {
  if ((opts.from === undefined) !== (opts.to === undefined)) throw new Error('--from と --to は両方指定するか、両方省略してください');
  const formats = new Set(opts.formats ?? ['csv', 'xlsx']);
  const store = await openReportStore(opts.db);
  let snap, rows: NotificationRow[], period: MonthPeriod;
  try {
    snap = await latestSnapshot(store.conn);
    period = opts.from && opts.to ? { from: opts.from, to: opts.to } : previousFiscalYear(snap.processedThrough);
    monthsOf(period); // validates
    const { d1, d2 } = periodDates(period);
    await runScriptFile(store.conn, 'zairyu/rules.sql', { path: queryPath('zairyu/kubun_rules.csv') });
    rows = await runQuery<NotificationRow>(store.conn, 'zairyu/notifications.sql', { d1, d2 });
  } finally {
    store.close();
  }
  const months = monthsOf(period);
  const tables = [kubunByMonth(rows, months), byNationalityAndStatus(rows)];
  const derived = rows.reduce((s, r) => s + r.n_derived, 0);
  const warnings: string[] = [];
  const { d2 } = periodDates(period);
  if (snap.processedThrough < d2) {
    warnings.push(`スナップショットは ${snap.processedThrough} 処理分までです。期間の終わり（${period.to}）まで揃っていないため、件数は確定値ではありません。`);
  }
  await mkdir(opts.outDir, { recursive: true });
  const written: { name: string; path: string; bytes: string }[] = [];
  if (formats.has('csv')) {
    for (const t of tables) {
      const text = toCsv(t.header, t.rows, { bom: opts.bom ?? false });
      const file = path.join(opts.outDir, `${t.name}.csv`);
      await writeFileAtomic(file, text);
      written.push({ name: `${t.name}.csv`, path: file, bytes: text });
    }
  }
  const parameters = { from: period.from, to: period.to, bom: String(opts.bom ?? false) };
  const version = queryVersion(ZAIRYU_QUERY_FILES);
  const provenance: Provenance = {
    report: `中長期在留者住居地届出等事務に関する定期報告（${period.from}〜${period.to}）`,
    municipalityCode: snap.municipalityCode,
    municipalityName: snap.municipalityName,
    processedThrough: snap.processedThrough,
    loadId: snap.loadId,
    queryVersion: version,
    parameters,
    resultKey: resultKey('zairyu', snap, version, parameters),
    createdAt: nowJst(opts.now),
    warnings: [...warnings, ...(derived > 0 ? [`住居地届出区分が空欄で、規則（queries/zairyu/kubun_rules.csv）から導出した行: ${derived} 件`] : [])],
    files: written.map((w) => ({ name: w.name, sha256: sha256(w.bytes) })),
  };
  const files = written.map((w) => w.path);
  if (formats.has('xlsx')) {
    const out = path.join(opts.outDir, `定期報告_${period.from}_${period.to}_${snap.municipalityCode}.xlsx`);
    await fillTemplate(opts.template ?? ZAIRYU_TEMPLATE, out, {
      blocks: {
        [ZAIRYU_BLOCKS.monthHeader]: [tables[0]!.header],
        [ZAIRYU_BLOCKS.byMonth]: tables[0]!.rows as XlsxCell[][],
        [ZAIRYU_BLOCKS.byNationality]: tables[1]!.rows as XlsxCell[][],
        [ZAIRYU_BLOCKS.provenance]: provenanceEntries(provenance),
      },
      placeholders: {
        団体コード: snap.municipalityCode,
        団体名: snap.municipalityName,
        都道府県名: snap.prefectureName,
        期間: `${warekiMonth(period.from)}～${warekiMonth(period.to)}`,
        処理済み日: snap.processedThrough,
        クエリ版: version.slice(0, 12),
        作成日時: provenance.createdAt,
        報告名: provenance.report,
      },
      removeSheets: ['使い方'],
    });
    files.push(out);
  }
  const info = path.join(opts.outDir, '出力情報.txt');
  await writeFileAtomic(info, provenanceText(provenance));
  files.push(info);
  return { outDir: opts.outDir, files, period, tables, derived, provenance, warnings: provenance.warnings };
}
