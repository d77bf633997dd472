// Compiles a wizard definition (spec.ts) into one parameter-bound query over the as-of layer
// (residents_asof / changes_in). The SQL text is assembled only from the fixed fragments of
// items.ts chosen by item name and operator, and placeholders $w1 … $wn; every value — condition
// values, base dates, 支援措置 permission — is bound. So the text depends only on the definition's
// shape (items, operators, number of values), never on its values.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { addDays, isIsoDate, resolveDate } from '../euc/params.ts';
import type { ExportColumn } from '../export/types.ts';
import { latestSnapshot } from '../reports/common/provenance.ts';
import { toWareki } from '../util/wareki.ts';
import { BASE_LABELS, OP_LABELS, getItem, type BaseKind, type ItemDef } from './items.ts';
import { SpecError, specHash, type Condition, type ConditionValue, type ExtractSpec } from './spec.ts';

/** A definition ready to run: the SQL text, the values bound to it, and how to show and write the result. */
export interface CompiledSpec {
  sql: string;
  params: Record<string, DuckDBValue>;
  /** Every result column, hidden ones included (persons: the hidden 住民種別 last). */
  columns: ExportColumn[];
  kind: 'count' | 'persons';
  groupBy: string[];
  /** Persons: index of the hidden 住民種別 (西暦 birth dates for foreigners). */
  foreignFlagIndex?: number;
  /** Columns used for formatting only: never shown or exported. */
  hidden: string[];
  /** Label → value lines for the 条件 sheet and the preview (対象, 基準日 / 期間, each condition, 出力). */
  shown: Record<string, string>;
  /** The base dates as resolved ({ asOf } or { from, to }, 'YYYY-MM-DD'): what a run records. */
  dates: Record<string, string>;
  /** specHash of the definition (without the date overrides' effect on keywords: the definition as written). */
  specHash: string;
  title: string;
  base: BaseKind;
  /** The SQL reads euc_chocho_names() (町丁字 grouped). */
  needsChochoNames: boolean;
}

/** The person columns of extract 10, in its order; 住民種別 (hidden) comes last. */
const PERSON_COLUMNS: ExportColumn[] = [
  { name: '宛名番号', kind: 'text' }, { name: '氏名', kind: 'text' }, { name: '氏名カナ', kind: 'text' },
  { name: '生年月日', kind: 'date', dateStyle: 'seireki-if-foreign' }, { name: '性別', kind: 'text' }, { name: '住所', kind: 'text' },
  { name: '方書', kind: 'text' }, { name: '世帯番号', kind: 'text' }, { name: '続柄', kind: 'text' },
];
const CHANGE_COLUMNS: ExportColumn[] = [{ name: '異動事由', kind: 'text' }, { name: '異動日', kind: 'date' }];
const FOREIGN_FLAG: ExportColumn = { name: '住民種別', kind: 'text' };

/**
 * The count column: persons for residents, change rows for changes.
 * @example countColumnOf('changes') // '件数'
 */
export function countColumnOf(base: BaseKind): string {
  return base === 'residents' ? '人数' : '件数';
}

const CAST: Record<ItemDef['type'], string> = { int: 'INTEGER', date: 'DATE', text: 'VARCHAR', code: 'VARCHAR', choice: 'VARCHAR' };

/** Builds `$w1`, `$w2` … and collects the bound values. */
class Binder {
  readonly values: Record<string, DuckDBValue> = {};
  private n = 0;
  bind(value: DuckDBValue, cast: string): string {
    this.n++;
    this.values[`w${this.n}`] = value;
    return `$w${this.n}::${cast}`;
  }
}

/** The WHERE fragment of one condition (fixed text + placeholders). */
function conditionSql(c: Condition, item: ItemDef, base: BaseKind, b: Binder): string {
  const e = `(${item.expr!(base)})`;
  const cast = CAST[item.type];
  switch (c.op) {
    case 'equals':
      return `${e} = ${b.bind(c.value, cast)}`;
    case 'prefix':
      return `starts_with(${e}, ${b.bind(c.value, 'VARCHAR')})`;
    case 'in':
      return `${e} IN (${c.values.map((v) => b.bind(v, cast)).join(', ')})`;
    case 'between':
      return `${e} BETWEEN ${b.bind(c.values[0]!, cast)} AND ${b.bind(c.values[1]!, cast)}`;
    case 'empty':
      return `nullif(trim(CAST(${e} AS VARCHAR)), '') IS NULL`;
    case 'not_empty':
      return `nullif(trim(CAST(${e} AS VARCHAR)), '') IS NOT NULL`;
  }
}

/** The `src` CTE: the base rows with the computed columns the items refer to. */
function sourceSql(base: BaseKind, o: { nationality: boolean; chocho: boolean }): string {
  const date = base === 'residents' ? '$kijunbi::DATE' : 'r."異動日"';
  const age = `CASE WHEN r."生年月日不詳" OR r."生年月日" IS NULL OR age_on(r."生年月日", ${date}) < 0 THEN NULL ELSE age_on(r."生年月日", ${date}) END`;
  const from = base === 'residents'
    ? 'residents_asof($kijunbi::DATE) AS r'
    : 'changes_in($from::DATE, ($to::DATE + INTERVAL 1 DAY)::DATE) AS r';
  const lines = [
    ...(o.nationality
      ? [
        // 国籍・地域 as extract 04: the master name, a stored ISO code mapped to it (an equi-join on every spelling)
        'nat AS (',
        '  SELECT k, min(name) AS name FROM (',
        '    SELECT name AS k, name FROM master_nationality UNION ALL SELECT iso2, name FROM master_nationality UNION ALL SELECT iso3, name FROM master_nationality',
        '  ) WHERE k IS NOT NULL GROUP BY k',
        '),',
      ]
      : []),
    'src AS (',
    `  SELECT r.*, ${age} AS _age${o.nationality ? ', coalesce(nat.name, r."国籍・地域") AS _nationality' : ''}${o.chocho ? ', cn."町丁字名" AS _chocho_name' : ''}`,
    `  FROM ${from}`,
    ...(o.nationality ? ['  LEFT JOIN nat ON nat.k = r."国籍・地域"'] : []),
    // the helper macro of the standard extracts (src/euc/helpers.ts: the server reads its per-snapshot cache)
    ...(o.chocho ? ['  LEFT JOIN euc_chocho_names() AS cn ON cn."住所コード" = r."住所コード"'] : []),
    ...(base === 'changes' ? ['  WHERE r.counted'] : []),
    ')',
  ];
  return `WITH ${lines.join('\n')}`;
}

const quote = (name: string) => `"${name}"`;

/** The SQL text and bound values of a normalised definition whose dates are resolved. */
function buildSql(spec: ExtractSpec, values: ConditionValue[][]): { sql: string; binder: Binder; columns: ExportColumn[]; foreignFlagIndex?: number; hidden: string[]; chocho: boolean } {
  const base = spec.base.kind;
  const b = new Binder();
  const used = [...spec.conditions.map((c) => c.item), ...(spec.output.kind === 'count' ? spec.output.groupBy : [])].map((n) => getItem(n)!);
  const grouped = spec.output.kind === 'count' ? spec.output.groupBy.map((n) => getItem(n)!) : [];
  const chocho = grouped.some((i) => i.needs?.includes('chocho'));
  const src = sourceSql(base, { nationality: used.some((i) => i.name === '国籍・地域'), chocho });
  const where = spec.conditions.map((c, i) => {
    const vals = values[i]!;
    const bound: Condition = c.op === 'equals' || c.op === 'prefix' ? { ...c, value: vals[0]! } : c.op === 'in' || c.op === 'between' ? { ...c, values: vals } : c;
    return conditionSql(bound, getItem(c.item)!, base, b);
  });

  if (spec.output.kind === 'persons') {
    const cols = [...PERSON_COLUMNS, ...(base === 'changes' ? CHANGE_COLUMNS : []), FOREIGN_FLAG];
    const order = base === 'residents' ? '"住所コード", "世帯番号", "宛名番号"' : '"eff_date", "宛名番号", "履歴番号"';
    const sql = [
      src,
      `SELECT ${cols.map((c) => quote(c.name)).join(', ')}`,
      'FROM src',
      `WHERE (NOT "支援措置" OR $include_shien::BOOLEAN)${where.map((w) => `\n  AND ${w}`).join('')}`,
      `ORDER BY ${order}`,
    ].join('\n');
    return { sql, binder: b, columns: cols, foreignFlagIndex: cols.length - 1, hidden: [FOREIGN_FLAG.name], chocho };
  }

  const countName = countColumnOf(base);
  const filter = where.length > 0 ? `WHERE ${where.join('\n  AND ')}` : '';
  const columns: ExportColumn[] = [...grouped.map((g) => ({ name: g.name, kind: 'text' as const })), { name: countName, kind: 'int' }];
  if (grouped.length === 0) {
    return { sql: [src, `SELECT count(*)::BIGINT AS ${quote(countName)}`, 'FROM src', filter].filter(Boolean).join('\n'), binder: b, columns, hidden: [], chocho };
  }
  const g = grouped.map((_, i) => `_g${i + 1}`);
  const inner = grouped.map((item, i) => `${item.group!.label(base)} AS _g${i + 1}, ${item.group!.key(base)} AS _k${i + 1}`).join(',\n    ');
  const labels = grouped.map((item, i) => `CASE WHEN grouping(${g[i]}) = 1 THEN '合計' ELSE ${g[i]} END AS ${quote(item.name)}`).join(',\n    ');
  // the sort key of a total is NULL: min(_k) over a total's rows would depend on the other items' groups
  const orderCols = grouped.map((_, i) => `grouping(${g[i]}) AS _t${i + 1}, CASE WHEN grouping(${g[i]}) = 0 THEN min(_k${i + 1}) END AS _o${i + 1}`).join(', ');
  const sql = [
    src,
    `SELECT ${columns.map((c) => quote(c.name)).join(', ')}`,
    'FROM (',
    `  SELECT ${labels},\n    count(*)::BIGINT AS ${quote(countName)},\n    ${orderCols}`,
    `  FROM (\n    SELECT ${inner}\n    FROM src${filter ? `\n    ${filter.replace(/\n/g, '\n    ')}` : ''}\n  ) AS f`,
    `  GROUP BY CUBE (${g.join(', ')})`,
    ') AS t',
    `ORDER BY ${grouped.map((item, i) => `_t${i + 1}, _o${i + 1} NULLS LAST, ${quote(item.name)}`).join(', ')}`,
  ].join('\n');
  return { sql, binder: b, columns, hidden: [], chocho };
}

/** master_nationality spellings → name (name, ISO codes upper-cased, aliases). */
async function nationalityNames(conn: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll('SELECT name, iso2, iso3, aliases FROM master_nationality');
  const map = new Map<string, string>();
  for (const [name, iso2, iso3, aliases] of reader.getRows() as (string | null)[][]) {
    if (!name) continue;
    for (const k of [iso2, iso3]) if (k) map.set(k.toUpperCase(), name);
    for (const a of (aliases ?? '').split('|')) if (a.trim()) map.set(a.trim(), name);
    map.set(name, name);
  }
  return map;
}

function shownValue(item: ItemDef, v: ConditionValue): string {
  return item.type === 'date' ? `${v}（${toWareki(String(v))}）` : String(v);
}

/** One condition as the 条件 sheet shows it. */
function describe(c: Condition, item: ItemDef, values: ConditionValue[]): string {
  switch (c.op) {
    case 'equals':
      return `${item.name} が ${shownValue(item, values[0]!)}`;
    case 'prefix':
      return `${item.name} が ${values[0]} で始まる`;
    case 'in':
      return `${item.name} が ${values.map((v) => shownValue(item, v)).join('・')} のいずれか`;
    case 'between':
      return `${item.name} が ${shownValue(item, values[0]!)} から ${shownValue(item, values[1]!)} まで`;
    case 'empty':
      return `${item.name} が${OP_LABELS.empty}`;
    case 'not_empty':
      return `${item.name} が${OP_LABELS.not_empty}`;
  }
}

const wareki = (d: string) => `${d}（${toWareki(d)}）`;

/**
 * Compiles a definition (from parseSpec) against the store: date keywords resolved against the latest
 * snapshot and checked (基準日 at most the day after processedThrough; 期間 within processedThrough),
 * 国籍・地域 values mapped to the master's names (ISO codes and other spellings accepted), the SQL
 * built from the whitelist. Throws SpecError for dates out of range. `includeShien` (the user's
 * 支援措置閲覧 permission, never the request) decides whether a person list includes 支援措置 subjects.
 * @example
 * const compiled = await compileSpec(conn, parseSpec(json), { includeShien: false });
 * const { rows, total } = await previewSpec(conn, compiled, 100);
 */
export async function compileSpec(conn: DuckDBConnection, spec: ExtractSpec, opts: { includeShien: boolean }): Promise<CompiledSpec> {
  const snap = await latestSnapshot(conn);
  const p = snap.processedThrough;
  const snapshotDay = addDays(p, 1);
  const resolve = (ref: string, path: (string | number)[]): string => {
    const d = resolveDate(ref, p);
    if (!isIsoDate(d)) throw new SpecError(path, `日付 ${ref} を解決できません`);
    return d;
  };

  const params: Record<string, DuckDBValue> = {};
  const dates: Record<string, string> = {};
  const shown: Record<string, string> = { 対象: BASE_LABELS[spec.base.kind] };
  if (spec.base.kind === 'residents') {
    const asOf = resolve(spec.base.asOf, ['base', 'asOf']);
    if (asOf > snapshotDay) throw new SpecError(['base', 'asOf'], `スナップショットの基準日（処理済み日の翌日）${snapshotDay} 以前の日付を指定してください（${asOf}）`);
    params.kijunbi = asOf;
    dates.asOf = asOf;
    shown.基準日 = wareki(asOf);
  } else {
    const from = resolve(spec.base.from, ['base', 'from']);
    const to = resolve(spec.base.to, ['base', 'to']);
    if (to > p) throw new SpecError(['base', 'to'], `スナップショットの処理済み日 ${p} 以前の日付を指定してください（${to}）`);
    if (from > to) throw new SpecError(['base', 'from'], `期間の「から」（${from}）が「まで」（${to}）より後になっています`);
    params.from = from;
    params.to = to;
    dates.from = from;
    dates.to = to;
    shown.期間 = `${wareki(from)} ～ ${wareki(to)}`;
  }

  const needsNationality = spec.conditions.some((c) => c.item === '国籍・地域' && c.op !== 'empty' && c.op !== 'not_empty');
  const nationality = needsNationality ? await nationalityNames(conn) : undefined;
  const values: ConditionValue[][] = spec.conditions.map((c, i) => {
    const item = getItem(c.item);
    if (!item) throw new SpecError(['conditions', i, 'item'], '項目がありません（parseSpec を通してください）');
    const raw = c.op === 'equals' || c.op === 'prefix' ? [c.value] : c.op === 'in' || c.op === 'between' ? c.values : [];
    return raw.map((v, j) => {
      if (item.type === 'date') return resolve(String(v), ['conditions', i, ...(c.op === 'equals' ? ['value'] : ['values', j])]);
      if (item.name === '国籍・地域' && nationality) {
        const text = String(v);
        return nationality.get(text) ?? nationality.get(text.toUpperCase()) ?? text;
      }
      return v;
    });
  });
  spec.conditions.forEach((c, i) => {
    shown[`条件${i + 1}`] = describe(c, getItem(c.item)!, values[i]!);
  });
  if (spec.conditions.length === 0) shown.条件 = 'なし（すべて）';

  const built = buildSql(spec, values);
  Object.assign(params, built.binder.values);
  if (spec.output.kind === 'persons') {
    params.include_shien = opts.includeShien === true;
    shown.出力 = spec.base.kind === 'residents' ? '個人一覧' : '個人一覧（異動ごとに1行）';
    shown.支援措置 = opts.includeShien ? '対象者を含む（支援措置閲覧の権限による）' : '対象者を含まない';
  } else {
    const by = spec.output.groupBy;
    shown.出力 = `${countColumnOf(spec.base.kind)}${by.length > 0 ? `（${by.join(' × ')} 別、合計つき）` : '（合計）'}`;
  }
  return {
    sql: built.sql,
    params,
    columns: built.columns,
    kind: spec.output.kind,
    groupBy: spec.output.kind === 'count' ? [...spec.output.groupBy] : [],
    ...(built.foreignFlagIndex !== undefined ? { foreignFlagIndex: built.foreignFlagIndex } : {}),
    hidden: built.hidden,
    shown,
    dates,
    specHash: specHash(spec),
    title: spec.title,
    base: spec.base.kind,
    needsChochoNames: built.chocho,
  };
}
