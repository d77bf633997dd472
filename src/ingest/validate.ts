// Validation of staged files: every per-row rule of snapshot-format.md §3–§7 in one scan per file,
// then the cross-row rules (duplicate keys, cancellation targets, 処理日 window). Reports all problems, capped.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../store/db.ts';
import { settings } from '../settings.ts';
import { columnsOf, ident, type ColumnSpec, type FileKind } from './columns.ts';
import type { Mapping } from './mapping.ts';
import { maskValue, type Problem } from './problems.ts';
import { lineOf, type StagedFile } from './stage.ts';

interface RowCheck {
  column: string;
  /** SQL condition over the staged row that is TRUE when the row is wrong. */
  failing: string;
  message: string;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (values: readonly string[]) => values.map(q).join(', ');

/** Lookup maps from the masters, used by checks and typing. */
export const MASTER_MAP = {
  nationality: '(SELECT map(list(key), list(name)) FROM lookup_nationality)',
  zairyu_shikaku: '(SELECT map(list(key), list(name)) FROM lookup_zairyu_shikaku)',
  ido_jiyu: '(SELECT map(list(name), list(kind)) FROM master_ido_jiyu)',
} as const;

/** The key a master value is looked up by (case and surrounding space do not matter). */
export const masterKey = (sqlValue: string) => `upper(trim(${sqlValue}))`;

/** How a check or typing expression refers to a date column's parsed jdate() struct. */
export type DateRef = (column: string) => string;
/** Parse where used (over a text staging table). */
export const parseDate: DateRef = (column) => `jdate(${ident(column)})`;
/** A column "__j_<name>" computed once by the fused staging query. */
export const parsedDate: DateRef = (column) => ident(`__j_${column}`);

function checksFor(spec: ColumnSpec, mapping: Mapping, date: DateRef): RowCheck[] {
  const v = ident(spec.name);
  const checks: RowCheck[] = [];
  const viaMapping = mapping.codes[spec.name] ? '（mapping.json に対応がない値です）' : '';
  if (spec.required) checks.push({ column: spec.name, failing: `${v} IS NULL`, message: '必須項目が空です' });
  const k = spec.kind;
  switch (k.type) {
    case 'digits':
      checks.push({ column: spec.name, failing: `NOT regexp_full_match(${v}, '[0-9]+')`, message: '数字のみで入力してください' });
      break;
    case 'digitsN':
      checks.push({ column: spec.name, failing: `NOT regexp_full_match(${v}, '[0-9]{${k.length}}')`, message: `${k.length}桁の数字が必要です` });
      break;
    case 'enum':
      checks.push({ column: spec.name, failing: `${v} NOT IN (${list(k.values)})`, message: `${k.values.join(' / ')} のいずれかが必要です${viaMapping}` });
      break;
    case 'flag01':
      checks.push({ column: spec.name, failing: `${v} NOT IN ('0', '1')`, message: `0 または 1 が必要です${viaMapping}` });
      break;
    case 'posint':
      checks.push({ column: spec.name, failing: `coalesce(try_cast(${v} AS INTEGER) < 1, true)`, message: '1 以上の整数が必要です' });
      break;
    case 'date':
      checks.push(
        k.birth
          // §7: with 生年月日不詳 = 1 the 生年月日 may be partial (昭和25年, 1950-00-00): kept as written in
          // 生年月日_記載, no date, no age. Only a 生年月日 claimed to be known must read as a date.
          ? { column: spec.name, failing: `NOT ${date(spec.name)}.ok AND coalesce("生年月日不詳", '0') <> '1'`, message: '日付として読めません（YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, 令和6年1月1日, R6.1.1, 5060101 の形式。一部だけの記載は生年月日不詳 = 1 のときのみ）' }
          : { column: spec.name, failing: `NOT (${date(spec.name)}.ok AND ${date(spec.name)}.real)`, message: '日付として読めないか、存在しない日付です（YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, 令和6年1月1日, R6.1.1, 5060101 の形式）' },
      );
      break;
    case 'master': {
      const name = { nationality: '国籍・地域マスタ', zairyu_shikaku: '在留資格マスタ', ido_jiyu: '異動事由（snapshot-format.md §5）' }[k.master];
      const key = k.master === 'ido_jiyu' ? v : masterKey(v);
      checks.push({ column: spec.name, failing: `map_extract_value(${MASTER_MAP[k.master]}, ${key}) IS NULL`, message: `${name}にない値です${viaMapping}` });
      break;
    }
    case 'text':
      break;
  }
  // Every check but "required" applies only to non-empty values.
  return checks.map((c, i) => (i === 0 && spec.required ? c : { ...c, failing: `(${v} IS NOT NULL AND ${c.failing})` }));
}

/** Rules that tie columns together. */
function conditionalChecks(history: boolean): RowCheck[] {
  const checks: RowCheck[] = [
    { column: '生年月日', failing: `"生年月日" IS NULL AND coalesce("生年月日不詳", '0') <> '1'`, message: '必須項目が空です（空にできるのは生年月日不詳 = 1 のときだけです）' },
    { column: '消除年月日', failing: `"住民状態" = '消除' AND "消除年月日" IS NULL`, message: '住民状態が消除なら必須です' },
    { column: '消除事由', failing: `"住民状態" = '消除' AND "消除事由" IS NULL`, message: '住民状態が消除なら必須です' },
    { column: '国籍・地域', failing: `"住民種別" = '外国人' AND "国籍・地域" IS NULL`, message: '外国人住民なら必須です' },
    { column: '法30条45区分', failing: `"住民種別" = '外国人' AND "法30条45区分" IS NULL`, message: '外国人住民なら必須です' },
    { column: '在留資格', failing: `"法30条45区分" = '中長期在留者' AND "在留資格" IS NULL`, message: '中長期在留者なら必須です' },
  ];
  if (history) {
    checks.push({ column: '取消対象履歴番号', failing: `starts_with("異動事由", '異動の取消し') AND "取消対象履歴番号" IS NULL`, message: '異動の取消しなら必須です（取り消す履歴番号）' });
  }
  return checks;
}

/** Every per-row rule of a file, as SQL conditions (TRUE = the row is wrong). */
export function rowChecks(kind: FileKind, mapping: Mapping, date: DateRef): RowCheck[] {
  return [...columnsOf(kind).flatMap((s) => checksFor(s, mapping, date)), ...conditionalChecks(kind === 'history')];
}

/** One boolean SQL expression: TRUE when the row passes every per-row rule. */
export function rowOkExpression(kind: FileKind, mapping: Mapping, date: DateRef): string {
  return `NOT (${rowChecks(kind, mapping, date).map((c) => `coalesce(${c.failing}, false)`).join('\n OR ')})`;
}

/**
 * Runs every per-row rule over a staged file in one scan and returns the problems, at most
 * settings.maxProblemsPerCheck rows per rule (with the count of the rest).
 */
export async function checkRows(conn: DuckDBConnection, staged: StagedFile, mapping: Mapping): Promise<Problem[]> {
  const checks = rowChecks(staged.kind, mapping, parseDate);
  const flags = checks.map((c, i) => `CASE WHEN coalesce(${c.failing}, false) THEN ${i} END`).join(',\n    ');
  const values = checks.map((c, i) => `WHEN ${i} THEN ${ident(c.column)}`).join(' ');
  const sql = `
    WITH failing AS (
      SELECT rowid AS r, unnest(list_filter([${flags}], x -> x IS NOT NULL)) AS check_id, *
      FROM ${staged.table}
      WHERE ${checks.map((c) => `coalesce(${c.failing}, false)`).join('\n   OR ')}
    )
    SELECT check_id, r, CASE check_id ${values} END AS value, count(*) OVER (PARTITION BY check_id) AS n
    FROM failing
    QUALIFY row_number() OVER (PARTITION BY check_id ORDER BY r) <= ${settings.maxProblemsPerCheck}
    ORDER BY r, check_id`;
  const rows = await all<{ check_id: number; r: number; value: string | null; n: number }>(conn, sql);
  const shown = new Map<number, number>();
  const problems: Problem[] = [];
  for (const row of rows) {
    const check = checks[row.check_id]!;
    const count = (shown.get(row.check_id) ?? 0) + 1;
    shown.set(row.check_id, count);
    const more = count === Math.min(row.n, settings.maxProblemsPerCheck) && row.n > count ? row.n - count : undefined;
    problems.push({
      file: staged.name,
      line: lineOf(staged, row.r),
      column: check.column,
      value: maskValue(check.column, row.value) ?? '（空）',
      message: check.message,
      more,
    });
  }
  return problems;
}

/** Duplicate keys: 宛名番号 in 住民.csv, (宛名番号, 履歴番号) in 異動履歴.csv. */
export async function checkDuplicates(conn: DuckDBConnection, staged: StagedFile): Promise<Problem[]> {
  const key = staged.kind === 'history' ? '"宛名番号", "履歴番号"' : '"宛名番号"';
  const rows = await all<{ r: number; key: string; n: number }>(conn, `
    SELECT r, key, count(*) OVER () AS n FROM (
      SELECT rowid AS r, concat_ws(' / ', ${key}) AS key,
        row_number() OVER (PARTITION BY ${key} ORDER BY rowid) AS k
      FROM ${staged.table} WHERE "宛名番号" IS NOT NULL
    ) WHERE k > 1 ORDER BY r LIMIT ${settings.maxProblemsPerCheck}`);
  return rows.map((row, i) => ({
    file: staged.name,
    line: lineOf(staged, row.r),
    column: staged.kind === 'history' ? '宛名番号, 履歴番号' : '宛名番号',
    value: row.key,
    message: 'キーが重複しています（同じキーの行が前にあります）',
    more: i === rows.length - 1 && row.n > rows.length ? row.n - rows.length : undefined,
  }));
}
