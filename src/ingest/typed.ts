// Typing: validated staging rows → typed rows shaped like the store's history table
// (dates parsed, codes normalised, 国籍・地域 and 在留資格 mapped to their master names).
import { columnsOf, ident, type FileKind } from './columns.ts';
import { MASTER_MAP, masterKey, type DateRef } from './validate.ts';

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

function typedExpr(name: string, kind: FileKind, date: DateRef): string | undefined {
  const spec = columnsOf(kind).find((c) => c.name === name);
  const v = ident(name);
  if (name === '生年月日_記載') return `CASE WHEN NOT ${date('生年月日')}.real OR ${date('生年月日')}.era_out THEN "生年月日" END`;
  if (name === '国籍・地域_記載') return `"国籍・地域"`;
  if (!spec) return undefined;
  switch (spec.kind.type) {
    case 'date':
      return `${date(name)}.d`;
    case 'flag01':
      return `coalesce(${v} = '1', false)`;
    case 'posint':
      return `try_cast(${v} AS INTEGER)`;
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

/** The stored columns of a file kind, typed from its text columns (`expr AS name`). */
export function typedSelects(kind: FileKind, date: DateRef): string[] {
  const columns = kind === 'history' ? STORED_SOURCE_COLUMNS : RESIDENT_COLUMNS;
  return columns.map((c) => `${typedExpr(c, kind, date)} AS ${ident(c)}`);
}

/** The stored columns of a file kind as struct_pack fields (`name := expr`). */
export function typedStructFields(kind: FileKind, date: DateRef): string[] {
  const columns = kind === 'history' ? STORED_SOURCE_COLUMNS : RESIDENT_COLUMNS;
  return columns.map((c) => `${ident(c)} := ${typedExpr(c, kind, date)}`);
}

/** Hash of a file's text columns (mapping applied), by their names: an unchanged line has the same hash. */
export function lineHashExpression(kind: FileKind): string {
  return `hash(${columnsOf(kind).map((c) => ident(c.name)).join(', ')})`;
}

/** eff_date (効力発生日) and row_hash (a hash of every stored source column, to prove re-sent rows identical). */
export function historyDerivedSelects(): string[] {
  return ['greatest("異動日", "処理日") AS eff_date', `hash(${STORED_SOURCE_COLUMNS.map(ident).join(', ')}) AS row_hash`];
}
