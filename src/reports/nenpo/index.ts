// 住民基本台帳関係年報 (nenpo.md): Table 1 (人口、世帯数、人口動態), Table 2 (年齢階級別人口) and
// 年齢各歳別人口 for 総計 / 日本人住民 / 外国人住民, the 整合性チェック, CSV files and one workbook.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openReportStore } from '../common/open.ts';
import { toCsv, writeFileAtomic, type CsvOptions } from '../common/csv.ts';
import { latestSnapshot, nowJst, provenanceText, resultKey, sha256, type Provenance, type Snapshot } from '../common/provenance.ts';
import { queryVersion } from '../common/queries.ts';
import { NENPO_TEMPLATE } from '../templates/build-nenpo-template.ts';
import { areasOf, isDesignatedCity } from './areas.ts';
import { checkRows, checkSummary, computeChecks, explainFailures, CHECK_HEADER, type CheckResult } from './checks.ts';
import { FILE_NAMES, SEGMENTS } from './columns.ts';
import { NENPO_QUERY_FILES, fetchNenpoData, fetchWardAddresses } from './data.ts';
import { ageTable, table1, type Table } from './tables.ts';
import { writeNenpoWorkbook } from './xlsx.ts';

export type ReportFormat = 'csv' | 'xlsx';

export interface NenpoOptions {
  /** the store file (opened read-only) */
  db: string;
  /** report year Y: 基準日 Y-01-01, 人口動態 of Y−1 */
  year: number;
  outDir: string;
  /** default both */
  formats?: ReportFormat[];
  /** CSV with a UTF-8 BOM for Excel (default false: byte-identical to the conformance files) */
  bom?: boolean;
  /** the workbook template (default templates/nenpo.xlsx) */
  template?: string;
  /** the time recorded as 作成日時 (tests) */
  now?: Date;
}

export interface NenpoResult {
  outDir: string;
  /** absolute paths of the files written */
  files: string[];
  checks: CheckResult[];
  /** every 整合性チェック passed */
  ok: boolean;
  provenance: Provenance;
  warnings: string[];
}

export const nenpoCsvName = (table: Table): string => `${table.name}.csv`;

/** Everything the 年報 shows, computed on the store opened read-only (closed before any file is written). */
async function computeNenpo(db: string, d1: string, d2: string): Promise<{ snap: Snapshot; tables1: Table[]; bands: Table[]; single: Table[]; checks: CheckResult[] }> {
  const store = await openReportStore(db);
  try {
    const snap = await latestSnapshot(store.conn);
    const data = await fetchNenpoData(store.conn, d1, d2);
    const addresses = isDesignatedCity(snap.municipalityCode) ? await fetchWardAddresses(store.conn, d2) : new Map<string, string[]>();
    const areas = areasOf(snap, data.wards, addresses);
    const checks = computeChecks(data, areas);
    await explainFailures(store.conn, checks, areas, d1, d2);
    return {
      snap,
      tables1: SEGMENTS.map((s) => table1(data, areas, s, FILE_NAMES.table1(s))),
      bands: SEGMENTS.map((s) => ageTable(data, areas, s, 'bands', FILE_NAMES.bands(s))),
      single: SEGMENTS.map((s) => ageTable(data, areas, s, 'single', FILE_NAMES.single(s))),
      checks,
    };
  } finally {
    store.close();
  }
}

function validYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new Error(`--year は西暦の年（例 2022）で指定してください（${year}）`);
}

/**
 * Produces the 年報 for one year from the store's latest snapshot. The 整合性チェック always runs;
 * a failed check still produces every file, marked (整合性チェック.csv, 出力情報.txt, the workbook's
 * titles), and `ok` is false.
 * @example
 * const r = await runNenpo({ db: 'juki.duckdb', year: 2022, outDir: 'out/nenpo-2022', formats: ['csv', 'xlsx'] });
 * if (!r.ok) console.log(formatChecks(r.checks).join('\n'));
 */
export async function runNenpo(opts: NenpoOptions): Promise<NenpoResult> {
  validYear(opts.year);
  const formats = new Set(opts.formats ?? ['csv', 'xlsx']);
  const d1 = `${opts.year - 1}-01-01`;
  const d2 = `${opts.year}-01-01`;
  const { snap, tables1, bands, single, checks } = await computeNenpo(opts.db, d1, d2);

  const warnings: string[] = [];
  if (snap.processedThrough < `${opts.year - 1}-12-31`) {
    warnings.push(`スナップショットは ${snap.processedThrough} 処理分までです。${opts.year - 1}年12月31日までの処理が揃っていないため、この年報は確定値ではありません。`);
  }
  await mkdir(opts.outDir, { recursive: true });
  const csvOpts: CsvOptions = { bom: opts.bom ?? false };
  const written: { name: string; path: string; bytes: string }[] = [];
  const writeCsv = async (name: string, header: readonly string[], rows: (string | number | null)[][]) => {
    const text = toCsv(header, rows, csvOpts);
    const file = path.join(opts.outDir, name);
    await writeFileAtomic(file, text);
    written.push({ name, path: file, bytes: text });
  };
  if (formats.has('csv')) {
    for (const t of [...tables1, ...bands, ...single]) await writeCsv(nenpoCsvName(t), t.columns.map((c) => c.header), t.rows);
  }
  const checkTable = checkRows(checks);
  await writeCsv(`${FILE_NAMES.checks}.csv`, CHECK_HEADER, checkTable);

  const ok = checks.every((c) => c.ok);
  const parameters = { year: String(opts.year), bom: String(opts.bom ?? false) };
  const version = queryVersion(NENPO_QUERY_FILES);
  const provenance: Provenance = {
    report: `住民基本台帳関係年報 ${opts.year}年（基準日 ${d2}、人口動態 ${d1}〜${opts.year - 1}-12-31）`,
    municipalityCode: snap.municipalityCode,
    municipalityName: snap.municipalityName,
    processedThrough: snap.processedThrough,
    loadId: snap.loadId,
    queryVersion: version,
    parameters,
    resultKey: resultKey('nenpo', snap, version, parameters),
    createdAt: nowJst(opts.now),
    checks: checkSummary(checks),
    warnings,
    files: written.map((w) => ({ name: w.name, sha256: sha256(w.bytes) })),
  };
  const files = written.map((w) => w.path);
  if (formats.has('xlsx')) {
    const out = path.join(opts.outDir, `年報_${opts.year}_${snap.municipalityCode}.xlsx`);
    await writeNenpoWorkbook({
      template: opts.template ?? NENPO_TEMPLATE, out, year: opts.year, table1: tables1, bands, single,
      checkRows: checkTable, checksOk: ok, checkSummary: checkSummary(checks), provenance, prefectureName: snap.prefectureName,
    });
    files.push(out);
  }
  const info = path.join(opts.outDir, '出力情報.txt');
  await writeFileAtomic(info, provenanceText(provenance));
  files.push(info);
  return { outDir: opts.outDir, files, checks, ok, provenance, warnings };
}

export { formatChecks } from './checks.ts';
