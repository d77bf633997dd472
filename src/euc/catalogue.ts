// The catalogue of standard EUC extracts (euc.md §1): every queries/euc/NN_<name>.sql with its
// NN_<name>.meta.json, validated with zod when first read (parameters, columns, chart, hidden
// columns, and that the SQL binds exactly the declared parameters).
import { readFileSync, readdirSync } from 'node:fs';
import { z } from 'zod';
import { queryPath } from '../store/db.ts';
import { sqlParameters } from '../reports/common/queries.ts';
import type { ExtractDef } from './types.ts';
import { isDateKeyword, isIsoDate } from './params.ts';

/** The parameter the server binds from the user's 支援措置閲覧 permission (never from the request). */
export const INCLUDE_SHIEN = 'include_shien';
/** Parameter names the engine binds itself; a meta file may not declare them. */
const RESERVED = new Set([INCLUDE_SHIEN, 'preview_rows']);
/** Helper query files run before every extract (TEMP macros: 町丁字名, 市区町村名). */
export const HELPER_FILES = ['euc/chocho_names.sql', 'euc/shikuchoson_names.sql'] as const;

const EXTRACT_FILE = /^(\d{2})_[a-z0-9_]+\.sql$/;

const dateOrKeyword = z.string().refine((s) => isIsoDate(s) || isDateKeyword(s), { message: 'YYYY-MM-DD の日付か既定値のキーワードではありません' });

const base = {
  name: z.string().regex(/^[a-z][a-z0-9_]*$/).refine((n) => !RESERVED.has(n), { message: '予約されたパラメータ名です' }),
  label: z.string().min(1),
  description: z.string().min(1).optional(),
};

const ParamSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('date'), default: dateOrKeyword.optional(), min: dateOrKeyword.optional(), max: dateOrKeyword.optional(), notBefore: z.string().optional() }),
  z.strictObject({ ...base, type: z.literal('int'), default: z.number().int().optional(), min: z.number().int(), max: z.number().int() }),
  z.strictObject({
    ...base, type: z.literal('text'), default: z.string().optional(), optional: z.boolean().optional(),
    pattern: z.string().optional(), patternLabel: z.string().optional(), maxLength: z.number().int().positive().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('choice'), choices: z.array(z.string().min(1)).min(2), default: z.string().optional() }),
  z.strictObject({ ...base, type: z.literal('flag'), default: z.boolean().optional() }),
]);

const ColumnSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['text', 'int', 'number', 'rate', 'date']),
  dateStyle: z.enum(['wareki', 'seireki', 'seireki-if-foreign']).optional(),
});

const ChartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pyramid'), age: z.string(), sex: z.string(), value: z.string() }),
  z.strictObject({ kind: z.literal('line'), x: z.string(), y: z.string(), series: z.string().optional() }),
  z.strictObject({ kind: z.literal('bar'), x: z.string(), y: z.string(), series: z.string().optional() }),
]);

/** The shape of queries/euc/NN_<name>.meta.json. */
export const ExtractMetaSchema = z.strictObject({
  id: z.string().regex(/^\d{2}$/),
  title: z.string().min(1),
  description: z.string().min(1),
  kind: z.enum(['aggregate', 'persons']),
  params: z.array(ParamSchema),
  columns: z.array(ColumnSchema).min(1),
  chart: ChartSchema.optional(),
  hidden: z.array(z.string()).optional(),
  publish: z.strictObject({
    rowItems: z.array(z.string()).min(1),
    colItem: z.string().optional(),
    value: z.string().optional(),
    valueColumns: z.array(z.string()).min(1).optional(),
  }).optional(),
});

/** Everything wrong with a meta file beyond its shape (cross-field rules), as messages. */
function crossCheck(def: ExtractDef, sql: string): string[] {
  const problems: string[] = [];
  const names = def.params.map((p) => p.name);
  if (new Set(names).size !== names.length) problems.push('パラメータ名が重複しています');
  const columnNames = def.columns.map((c) => c.name);
  if (new Set(columnNames).size !== columnNames.length) problems.push('列名が重複しています');
  for (const p of def.params) {
    if (p.type === 'int') {
      if (p.min > p.max) problems.push(`${p.name}: min > max`);
      if (p.default !== undefined && (p.default < p.min || p.default > p.max)) problems.push(`${p.name}: default が範囲外です`);
    }
    if (p.type === 'choice' && p.default !== undefined && !p.choices.includes(p.default)) problems.push(`${p.name}: default が choices にありません`);
    if (p.type === 'date' && p.notBefore !== undefined && !def.params.some((q) => q.name === p.notBefore && q.type === 'date')) {
      problems.push(`${p.name}: notBefore の ${p.notBefore} は日付パラメータではありません`);
    }
    if (p.type === 'text' && p.pattern !== undefined) {
      try {
        new RegExp(p.pattern);
      } catch {
        problems.push(`${p.name}: pattern が正規表現ではありません`);
      }
      if (p.default && !new RegExp(`^(?:${p.pattern})$`).test(p.default)) problems.push(`${p.name}: default が pattern に合いません`);
    }
  }
  for (const h of def.hidden ?? []) if (!columnNames.includes(h)) problems.push(`hidden の ${h} が columns にありません`);
  if (def.columns.some((c) => c.dateStyle === 'seireki-if-foreign') && !(def.hidden ?? []).includes('住民種別')) {
    problems.push("dateStyle 'seireki-if-foreign' には hidden の 住民種別 列が要ります");
  }
  for (const c of def.columns) if (c.dateStyle && c.kind !== 'date') problems.push(`${c.name}: dateStyle は date 列だけです`);
  if (def.chart) {
    const fields = Object.entries(def.chart).filter(([k]) => k !== 'kind').map(([, v]) => v as string);
    for (const f of fields) if (!columnNames.includes(f) || def.hidden?.includes(f)) problems.push(`chart の ${f} が表示される列にありません`);
  }
  if (def.publish) {
    const p = def.publish;
    for (const f of [...p.rowItems, ...(p.colItem ? [p.colItem] : []), ...(p.value ? [p.value] : []), ...(p.valueColumns ?? [])]) {
      if (!columnNames.includes(f)) problems.push(`publish の ${f} が columns にありません`);
    }
    if (Boolean(p.valueColumns) === Boolean(p.value)) problems.push('publish は value（縦持ち）か valueColumns（横持ち）のどちらか一方です');
    if (def.kind !== 'aggregate') problems.push('publish は集計の抽出だけです');
  }
  const used = sqlParameters(sql);
  const expected = [...names, ...(def.kind === 'persons' ? [INCLUDE_SHIEN] : [])].sort();
  if (used.join(',') !== expected.join(',')) {
    problems.push(`SQL のパラメータ（${used.join(', ')}）が宣言（${expected.join(', ')}）と一致しません${def.kind === 'persons' ? '（個人一覧は $include_shien を使うこと）' : ''}`);
  }
  if (!sql.trimStart().startsWith('--')) problems.push('SQL の先頭に何をする抽出かのコメントがありません');
  if (/;\s*\S/.test(stripComments(sql))) problems.push('SQL は 1 文だけにしてください');
  return problems;
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * Reads and validates one extract from queries/euc; throws naming the file and every problem.
 * @example const def = readExtract('01_chocho_jinko.sql'); // def.title === '町丁字別 男女別 人口・世帯数'
 */
export function readExtract(file: string): ExtractDef {
  const m = EXTRACT_FILE.exec(file);
  if (!m) throw new Error(`queries/euc/${file}: 抽出のファイル名は NN_<name>.sql です`);
  const metaFile = file.replace(/\.sql$/, '.meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(queryPath(`euc/${metaFile}`), 'utf8'));
  } catch (e) {
    throw new Error(`queries/euc/${metaFile} を読めません: ${(e as Error).message}`);
  }
  const parsed = ExtractMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`queries/euc/${metaFile} の形式が違います: ${z.prettifyError(parsed.error)}`);
  const def: ExtractDef = { ...parsed.data, sqlFile: `euc/${file}` } as ExtractDef;
  const sql = readFileSync(queryPath(def.sqlFile), 'utf8');
  const problems = crossCheck(def, sql);
  if (def.id !== m[1]) problems.push(`id ${def.id} がファイル名の番号 ${m[1]} と違います`);
  if (problems.length > 0) throw new Error(`queries/euc/${metaFile}: ${problems.join('; ')}`);
  return def;
}

let cached: ExtractDef[] | undefined;

/**
 * Every standard extract of queries/euc, validated, sorted by id. Read once per process.
 * @example catalogue().map((d) => d.id) // ['01', '02', …, '11']
 */
export function catalogue(): ExtractDef[] {
  if (!cached) {
    const files = readdirSync(queryPath('euc')).filter((f) => EXTRACT_FILE.test(f)).sort();
    const defs = files.map(readExtract);
    const ids = defs.map((d) => d.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new Error(`queries/euc: 抽出番号 ${dup} が重複しています`);
    cached = defs;
  }
  return cached;
}

/**
 * One extract by id, or undefined.
 * @example getExtract('09')?.chart // { kind: 'line', x: '年月', y: '総数' }
 */
export function getExtract(id: string): ExtractDef | undefined {
  return catalogue().find((d) => d.id === id);
}

/**
 * The SQL text of an extract (one statement, trailing semicolon removed so it can be wrapped).
 * @example const sql = extractSql(getExtract('01')!);
 */
export function extractSql(def: ExtractDef): string {
  return readFileSync(queryPath(def.sqlFile), 'utf8').replace(/;\s*$/, '');
}
