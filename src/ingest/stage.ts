// Staging: a data file (CSV in UTF-8, or Parquet) read by DuckDB into a temp table of text columns
// named as the spec names them, with mapping.json applied. Structural CSV errors go to a rejects table.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec } from '../store/db.ts';
import { columnsOf, ident, type FileKind } from './columns.ts';
import type { Mapping } from './mapping.ts';
import type { Problem } from './problems.ts';
import { parseDate, parsedDate, rowOkExpression } from './validate.ts';
import { historyDerivedSelects, lineHashExpression, typedSelects, typedStructFields } from './typed.ts';

export interface StagedFile {
  kind: FileKind;
  /** The file's name in the package, for messages. */
  name: string;
  table: string;
  rows: number;
  /** Data lines DuckDB rejected (sorted), to turn staged row numbers into file line numbers. */
  rejectedLines: number[];
  problems: Problem[];
  /** Rows failing a per-row rule (fast path only; the detailed path lists them as problems). */
  badRows: number;
  /** Unique keys already proven (the nightly 住民.csv path, whose table has no line order). */
  keysChecked?: boolean;
}

export interface StageInput {
  kind: FileKind;
  name: string;
  /** A UTF-8 CSV or a Parquet file. */
  path: string;
  format: 'csv' | 'parquet';
  /** Column names as written in the file, in order. */
  header: string[];
}

/** Maps each standard column to its 1-based position in the file (mapping.json applied). */
export function columnPositions(header: string[], mapping: Mapping): Map<string, number> {
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    const standard = mapping.columns[h] ?? h;
    if (!positions.has(standard)) positions.set(standard, i + 1);
  });
  return positions;
}

/**
 * Loads mapping.json's code tables into a temp table so staging can translate codes with bound values.
 */
export async function loadCodeMaps(conn: DuckDBConnection, mapping: Mapping): Promise<void> {
  await exec(conn, 'CREATE OR REPLACE TEMP TABLE code_map (col VARCHAR, code VARCHAR, value VARCHAR)');
  for (const [col, codes] of Object.entries(mapping.codes)) {
    for (const [code, value] of Object.entries(codes)) {
      await exec(conn, 'INSERT INTO code_map VALUES ($1, $2, $3)', [col, code, value]);
    }
  }
}

/** The text columns of a data file (named as the spec, mapping applied) and its FROM clause. */
function sourceParts(input: StageInput, mapping: Mapping): { selects: string[]; source: string; rejectsTable: string } {
  const positions = columnPositions(input.header, mapping);
  const coded = new Set(Object.keys(mapping.codes));
  const selects = columnsOf(input.kind).map((spec) => {
    const pos = positions.get(spec.name);
    if (pos === undefined) return `NULL::VARCHAR AS ${ident(spec.name)}`;
    const raw = `nullif(CAST(#${pos} AS VARCHAR), '')`;
    if (!coded.has(spec.name)) return `${raw} AS ${ident(spec.name)}`;
    // Translate through mapping.json; a value with no entry stays as written (and fails validation).
    const map = `(SELECT map(list(code), list(value)) FROM code_map WHERE col = '${spec.name.replace(/'/g, "''")}')`;
    return `coalesce(map_extract_value(${map}, ${raw}), ${raw}) AS ${ident(spec.name)}`;
  });
  const rejectsTable = `rejects_${input.kind}`;
  const rejectsScan = `rejects_scan_${input.kind}`;
  let source: string;
  if (input.format === 'csv') {
    const cols = input.header.map((_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
    source = `read_csv($path, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
      columns = {${cols}}, store_rejects = true, rejects_table = '${rejectsTable}', rejects_scan = '${rejectsScan}',
      max_line_size = 1048576, parallel = true)`;
  } else {
    source = 'read_parquet($path)';
  }
  return { selects, source, rejectsTable };
}

/** Reads one data file into temp table s_<kind> (all VARCHAR, empty → NULL): the detailed validation path. */
export async function stageFile(conn: DuckDBConnection, input: StageInput, mapping: Mapping): Promise<StagedFile> {
  const table = `s_${input.kind}`;
  const { selects, source, rejectsTable } = sourceParts(input, mapping);
  await exec(conn, `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${selects.join(',\n  ')} FROM ${source}`, { path: input.path });
  const rows = (await all<{ n: number }>(conn, `SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0;
  const { rejectedLines, problems } = input.format === 'csv' ? await readRejects(conn, rejectsTable, input) : { rejectedLines: [], problems: [] };
  return { kind: input.kind, name: input.name, table, rows, rejectedLines, problems, badRows: 0 };
}

/**
 * The fast path: reads a data file in one pass straight into typed rows, each date parsed once.
 * - 異動履歴 into an empty store goes directly into `history` (placeholders for the derived columns),
 *   with row_hash NULL for a row that breaks a per-row rule: the NOT NULL constraint then stops the
 *   insert, and the loader re-reads the text to say exactly where and why (the work copy is discarded).
 * - Otherwise into a persistent staging table stage_<kind> (dropped before the load commits) with
 *   __row_ok. Persistent, because temp tables this size spill to disk uncompressed and read back slowly.
 */
export async function stageTyped(conn: DuckDBConnection, input: StageInput, mapping: Mapping, opts: { intoHistory: boolean }): Promise<StagedFile> {
  const { selects, source, rejectsTable } = sourceParts(input, mapping);
  const dates = columnsOf(input.kind).filter((c) => c.kind.type === 'date').map((c) => `jdate(${ident(c.name)}) AS ${parsedDate(c.name)}`);
  const typed = typedSelects(input.kind, parsedDate);
  const rowOk = rowOkExpression(input.kind, mapping, parsedDate);
  // 住民.csv: also the hash of its text values, kept in resident_rows to find tomorrow's changed lines.
  const lineHash = input.kind === 'residents' ? `, ${lineHashExpression('residents')} AS __line_hash` : '';
  const inner = `SELECT ${typed.join(',\n ')}, ${rowOk} AS __row_ok${lineHash}
      FROM (SELECT ${selects.join(',\n  ')}, ${dates.join(', ')} FROM ${source})`;
  let table: string;
  let badRows = 0;
  if (opts.intoHistory) {
    table = 'history';
    const [effDate, rowHash] = historyDerivedSelects() as [string, string];
    try {
      await exec(conn, `INSERT INTO history BY NAME
        SELECT * EXCLUDE (__row_ok), ${effDate}, CASE WHEN __row_ok THEN ${rowHash.replace(/ AS row_hash$/, '')} END AS row_hash,
          false AS ignored, (SELECT load_id FROM current_load) AS load_id
        FROM (${inner})`, { path: input.path });
    } catch (e) {
      if (!/NOT NULL constraint/i.test((e as Error).message)) throw e;
      badRows = -1; // at least one; the detailed pass counts them
    }
  } else {
    table = `stage_${input.kind}`;
    const extra = input.kind === 'history' ? `, ${historyDerivedSelects().join(', ')}` : '';
    await exec(conn, `CREATE OR REPLACE TABLE ${table} AS SELECT *${extra} FROM (${inner})`, { path: input.path });
    badRows = (await all<{ bad: number }>(conn, `SELECT count(*) FILTER (WHERE NOT __row_ok) AS bad FROM ${table}`))[0]!.bad;
  }
  if (badRows === -1) {
    // The failed insert was rolled back with its rejects table; the detailed pass reads them again.
    return { kind: input.kind, name: input.name, table, rows: 0, rejectedLines: [], problems: [], badRows };
  }
  const rows = (await all<{ n: number }>(conn, `SELECT count(*) AS n FROM ${table}`))[0]!.n;
  const { rejectedLines, problems } = input.format === 'csv' ? await readRejects(conn, rejectsTable, input) : { rejectedLines: [], problems: [] };
  return { kind: input.kind, name: input.name, table, rows, rejectedLines, problems, badRows };
}

/**
 * The nightly 住民.csv path (resident_rows filled by an earlier load): one pass into the narrow temp
 * table res_lines (宛名番号, __line_hash, v). A line whose (宛名番号, line hash) is in resident_rows is
 * unchanged and keeps v NULL; only a changed or new line is typed (v = struct of the typed columns
 * and __row_ok; inside CASE, so only those rows are parsed). The lookup is an EXISTS so that DuckDB
 * builds its hash table on resident_rows and the wide text rows stream past it (a LEFT JOIN let it
 * build on the CSV side: 24 s instead of 10 s at 5.8M rows). Line order is not kept, so badRows counts
 * failing rows and duplicate keys for the caller to re-read the text with line numbers.
 */
export async function stageResidentLines(conn: DuckDBConnection, input: StageInput, mapping: Mapping): Promise<StagedFile> {
  const { selects, source, rejectsTable } = sourceParts(input, mapping);
  const fields = [...typedStructFields('residents', parseDate), `__row_ok := ${rowOkExpression('residents', mapping, parseDate)}`];
  await exec(conn, `CREATE OR REPLACE TEMP TABLE res_lines AS
    SELECT "宛名番号", __line_hash, CASE WHEN NOT __seen THEN struct_pack(${fields.join(',\n ')}) END AS v
    FROM (SELECT t.*, EXISTS (SELECT 1 FROM resident_rows r WHERE r."宛名番号" = t."宛名番号" AND r.line_hash = t.__line_hash) AS __seen
      FROM (SELECT ${selects.join(',\n  ')}, ${lineHashExpression('residents')} AS __line_hash FROM ${source}) t)`, { path: input.path });
  const counts = (await all<{ n: number; bad: number; dup: number }>(conn, `SELECT count(*) AS n,
      count(*) FILTER (WHERE v IS NOT NULL AND NOT v.__row_ok) AS bad,
      (SELECT count(*) FROM (SELECT "宛名番号" FROM res_lines GROUP BY ALL HAVING count(*) > 1)) AS dup
    FROM res_lines`))[0]!;
  const { rejectedLines, problems } = input.format === 'csv' ? await readRejects(conn, rejectsTable, input) : { rejectedLines: [], problems: [] };
  return { kind: input.kind, name: input.name, table: 'res_lines', rows: counts.n, rejectedLines, problems, badRows: counts.bad + counts.dup, keysChecked: true };
}

/** Types again the 住民.csv lines of the persons in temp table `keys` (a filtered scan) into res_lines.v. */
export async function retypeResidentLines(conn: DuckDBConnection, input: StageInput, mapping: Mapping, keys: string): Promise<void> {
  const { selects, source } = sourceParts(input, mapping);
  const fields = [...typedStructFields('residents', parseDate), `__row_ok := ${rowOkExpression('residents', mapping, parseDate)}`];
  await exec(conn, `CREATE OR REPLACE TEMP TABLE res_retyped AS
    SELECT "宛名番号", struct_pack(${fields.join(',\n ')}) AS v
    FROM (SELECT ${selects.join(',\n  ')} FROM ${source}) WHERE "宛名番号" IN (SELECT "宛名番号" FROM ${keys})`, { path: input.path });
  await exec(conn, `UPDATE res_lines SET v = x.v FROM res_retyped x WHERE res_lines."宛名番号" = x."宛名番号"`);
  await exec(conn, 'DROP TABLE res_retyped');
}

async function readRejects(conn: DuckDBConnection, rejectsTable: string, input: StageInput): Promise<{ rejectedLines: number[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  // The rejects table accumulates over scans (the fast pass, then the detailed one): read the latest.
  // DuckDB stores one reject per bad cell (a wrongly encoded line gives one per non-ASCII column), so
  // group by line: counting entries instead of lines broke the manifest row count ("ファイル: 99" for
  // 85 rows) and lineOf (each duplicate shifted later lines again).
  const rejects = await all<{ line: number; columns: (string | null)[]; error_type: string }>(conn,
    `SELECT line, list(column_name ORDER BY column_idx) AS columns, min(error_type) AS error_type
     FROM ${rejectsTable} WHERE scan_id = (SELECT max(scan_id) FROM ${rejectsTable}) GROUP BY line ORDER BY line LIMIT 100000`);
  const rejectedLines = rejects.map((r) => r.line);
  for (const r of rejects.slice(0, 50)) {
    const columns = r.columns
      .map((c) => (c && /^c\d+$/.test(c) ? input.header[Number(c.slice(1)) - 1] : undefined))
      .filter((c): c is string => c !== undefined);
    const column = columns.length > 0 ? columns.join('、') : undefined;
    problems.push({ file: input.name, line: r.line, column, message: describeReject(r.error_type, input.header.length) });
  }
  if (rejects.length > 50) problems.push({ file: input.name, message: `構造エラーの行がほかに ${rejects.length - 50} 行あります` });
  return { rejectedLines, problems };
}

function describeReject(errorType: string, columns: number): string {
  switch (errorType) {
    case 'MISSING COLUMNS':
      return `列が足りません（ヘッダーは ${columns} 列）。ファイルが途中で切れていませんか`;
    case 'TOO MANY COLUMNS':
      return `列が多すぎます（ヘッダーは ${columns} 列）`;
    case 'UNQUOTED VALUE':
      return '引用符（"）の外に値があります（RFC 4180 の CSV ではありません）';
    case 'LINE SIZE OVER MAXIMUM':
      return '行が長すぎます（引用符が閉じていない可能性があります）';
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return 'UTF-8 として読めない文字があります（文字コードが manifest.json の encoding と違いませんか）';
    default:
      return `CSV として読めません（${errorType}）`;
  }
}

/** The file line of staged row `rowid` (0-based), skipping lines DuckDB rejected; header is line 1. */
export function lineOf(staged: StagedFile, rowid: number): number {
  let line = rowid + 2;
  for (const rejected of staged.rejectedLines) {
    if (rejected <= line) line++;
    else break;
  }
  return line;
}
