// Reads and checks queries/nenpo/column_mapping.csv, the 異動事由 → 集計列 table a statistician
// maintains: known reasons (queries/master/ido_jiyu.csv), known columns, no two rules for the same
// (異動事由, 異動事由詳細, 住民種別). The SQL reads the same file (mapping.sql); this is the gate.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { queryPath } from '../../store/db.ts';
import { FLOW_COLUMNS, MAPPING_KEYWORDS } from './columns.ts';

export const MAPPING_FILE = 'nenpo/column_mapping.csv';
const HEADER = ['異動事由', '異動事由詳細', '住民種別', '集計列', '説明'];

export interface MappingRule {
  line: number;
  異動事由: string;
  異動事由詳細: string;
  住民種別: string;
  集計列: string;
  説明: string;
}

function parse(file: string): string[][] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: CSV として読めません（${parsed.errors[0]!.message}）`);
  return parsed.data;
}

/**
 * The mapping rules, checked; throws naming the file, line and value of the first problems.
 * @example const rules = readColumnMapping(); // rules[0].集計列 === '転入者数（国内）'
 */
export function readColumnMapping(file = queryPath(MAPPING_FILE)): MappingRule[] {
  const [header, ...body] = parse(file);
  if (!header || header.join(',') !== HEADER.join(',')) {
    throw new Error(`${file}: 見出しは「${HEADER.join(',')}」にしてください`);
  }
  const reasons = new Set(parse(queryPath('master/ido_jiyu.csv')).slice(1).map((r) => r[0]!));
  const columns = new Set<string>([...FLOW_COLUMNS, ...MAPPING_KEYWORDS]);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const rules = body.map((cells, i) => {
    const line = i + 2;
    const [異動事由 = '', 異動事由詳細 = '', 住民種別 = '', 集計列 = '', 説明 = ''] = cells.map((s) => s.trim());
    if (cells.length !== HEADER.length) problems.push(`${line}行目: 列の数が ${cells.length} です（${HEADER.length} のはず）`);
    if (!reasons.has(異動事由)) problems.push(`${line}行目: 異動事由「${異動事由}」は queries/master/ido_jiyu.csv にありません`);
    if (住民種別 !== '' && 住民種別 !== '日本人' && 住民種別 !== '外国人') problems.push(`${line}行目: 住民種別は 日本人・外国人・空欄 のどれかです（「${住民種別}」）`);
    if (!columns.has(集計列)) problems.push(`${line}行目: 集計列「${集計列}」は年報の列ではありません（使える値: ${[...columns].join('、')}）`);
    const key = `${異動事由}|${異動事由詳細}|${住民種別}`;
    const before = seen.get(key);
    if (before !== undefined) problems.push(`${line}行目: ${before}行目と同じ条件（${異動事由}, ${異動事由詳細 || '空欄'}, ${住民種別 || '空欄'}）です`);
    seen.set(key, line);
    return { line, 異動事由, 異動事由詳細, 住民種別, 集計列, 説明 };
  });
  if (problems.length > 0) throw new Error(`${file} に誤りがあります:\n  ${problems.join('\n  ')}`);
  return rules;
}
