// Typing: validated staging rows → typed rows shaped like the store's history table
// (dates parsed, codes normalised, 国籍・地域 and 在留資格 mapped to their master names).
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec } from '../store/db.ts';
import { columnsOf, ident, type FileKind } from './columns.ts';
import { MASTER_MAP, masterKey } from './validate.ts';

/** Source columns as stored in history (in order), without the derived ones. */
export const STORED_SOURCE_COLUMNS = [
  '宛名番号', '履歴番号', '異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号',
  '住居地届出区分', '世帯番号', '住民種別', '住民状態', '氏名', '氏名カナ', '氏名英字', '通称', '生年月日', '生年月日_記載',
  '生年月日不詳', '性別', '続柄', '住民となった年月日', '住所コード', '住所', '方書', '郵便番号', '地区コード', '住定日',
  '転入前住所コード', '転入前住所', '転出予定年月日', '転出先住所コード', '転出先住所', '消除年月日', '消除事由', '国籍・地域',
  '国籍・地域_記載', '法30条45区分', '在留資格', '在留期間', '在留期間満了日', '在留カード等番号', '支援措置',
] as const;

/** Columns compared between 住民.csv and the state derived from history (all common ones). */
export const RESIDENT_COLUMNS = STORED_SOURCE_COLUMNS.filter(
  (c) => !['履歴番号', '異動事由', '異動事由詳細', '異動日', '処理日', '届出日', '取消対象履歴番号', '修正対象履歴番号', '住居地届出区分'].includes(c),
);

function typedExpr(name: string, kind: FileKind): string | undefined {
  const spec = columnsOf(kind).find((c) => c.name === name);
  const v = ident(name);
  if (name === '生年月日_記載') return `CASE WHEN NOT jdate("生年月日").real OR jdate("生年月日").era_out THEN "生年月日" END`;
  if (name === '国籍・地域_記載') return `"国籍・地域"`;
  if (!spec) return undefined;
  switch (spec.kind.type) {
    case 'date':
      return `jdate(${v}).d`;
    case 'flag01':
      return `coalesce(${v} = '1', false)`;
    case 'posint':
      return `CAST(${v} AS INTEGER)`;
    case 'master':
      if (spec.kind.master === 'ido_jiyu') return v;
      return `map_extract_value(${MASTER_MAP[spec.kind.master]}, ${masterKey(v)})`;
    case 'enum':
      if (name === '性別') return `CASE ${v} WHEN '1' THEN '男' WHEN '2' THEN '女' ELSE ${v} END`;
      return v;
    default:
      return v;
  }
}

/**
 * Creates temp table t_<kind> from s_<kind>. For history it adds eff_date (効力発生日) and row_hash
 * (a hash of every stored source column, used to prove that re-sent rows are identical).
 */
export async function createTyped(conn: DuckDBConnection, kind: FileKind): Promise<string> {
  const columns = kind === 'history' ? STORED_SOURCE_COLUMNS : RESIDENT_COLUMNS;
  const selects = columns.map((c) => `${typedExpr(c, kind)} AS ${ident(c)}`);
  const table = `t_${kind}`;
  if (kind === 'history') {
    await exec(conn, `CREATE OR REPLACE TEMP TABLE ${table} AS
      SELECT *, greatest("異動日", "処理日") AS eff_date, hash(${columns.map(ident).join(', ')}) AS row_hash
      FROM (SELECT ${selects.join(',\n ')} FROM s_${kind})`);
  } else {
    await exec(conn, `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${selects.join(',\n ')} FROM s_${kind}`);
  }
  return table;
}
