// 公表用 variants of the statutory tables (euc.md §5): for each report CSV that is a count table of
// one population — the 年報's age tables, the 定期報告's tables — a `<name>_公表用.csv` beside it with
// 秘匿処理 (src/euc/suppress.ts via src/euc/publish.ts). The 年報's table 1 (人口・世帯数・人口動態) mixes
// measures (persons, households, each movement) that no single cross table holds, so it has none.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { publish, type PublishShape, type Published } from '../euc/publish.ts';
import type { CellValue } from '../export/types.ts';
import { toCsv, writeFileAtomic, type CsvOptions } from './common/csv.ts';

interface StatutoryShape {
  /** the rows of the CSV that form the table (totals and duplicated area rows left out) */
  keep: (row: Record<string, string>, all: Record<string, string>[]) => boolean;
  shape: PublishShape;
  /** one published table per value of this column (two tables in one file) */
  splitBy?: string;
}

const SEXES = new Set(['男', '女']);
const KUBUN = ['19条の7', '19条の8', '19条の9', '特例法10条1項', '特例法10条2項'];

/** How a statutory table forms a count table, from its file name and header; undefined when it does not. */
export function statutoryShape(name: string, header: string[]): StatutoryShape | undefined {
  if (/^年齢(階級|各歳)別人口_/.test(name)) {
    const ages = header.slice(header.indexOf('総数') + 1);
    return {
      // a designated city's first rows are the city (the sum of its wards): the wards are published,
      // the city appears as the column totals
      keep: (r, all) => SEXES.has(r.性別 ?? '') && (new Set(all.map((x) => x.団体コード)).size === 1 || r.団体コード !== all[0]!.団体コード),
      shape: { rowItems: ['団体コード', '市区町村名', '性別'], valueColumns: ages },
    };
  }
  if (name === '定期報告_住居地届出') {
    return { keep: (r) => KUBUN.includes(r.区分 ?? ''), shape: { rowItems: ['区分'], valueColumns: header.filter((h) => /^\d{4}-\d{2}$/.test(h)) } };
  }
  if (name === '定期報告_国籍在留資格別') {
    const item = '国籍・地域／在留資格';
    return { keep: (r) => r[item] !== '計', shape: { rowItems: [item], valueColumns: KUBUN.filter((k) => header.includes(k)) }, splitBy: '表' };
  }
  return undefined;
}

/**
 * Writes `<name>_公表用.csv` beside every statutory CSV that has a 公表用 form; returns the files written
 * and a note per file (k and how many figures were hidden).
 * @example const r = await writePublicVariants(result.files, { k: 3, bom: true });
 */
export async function writePublicVariants(files: string[], opts: { k: number } & CsvOptions): Promise<{ files: string[]; notes: Record<string, string> }> {
  const written: string[] = [];
  const notes: Record<string, string> = {};
  for (const file of files.filter((f) => f.endsWith('.csv'))) {
    const name = path.basename(file, '.csv');
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    const parsed = Papa.parse<Record<string, string>>(text.trimEnd(), { header: true, skipEmptyLines: true });
    const header = parsed.meta.fields ?? [];
    const spec = statutoryShape(name, header);
    if (!spec) continue;
    const all = parsed.data;
    const groups = spec.splitBy ? [...new Set(all.map((r) => r[spec.splitBy!]!))] : [undefined];
    const parts: { label?: string; table: Published }[] = [];
    for (const g of groups) {
      const rows = all.filter((r) => (g === undefined || r[spec.splitBy!] === g) && spec.keep(r, all));
      const cols = [...spec.shape.rowItems, ...(spec.shape.valueColumns ?? [])];
      const cells: CellValue[][] = rows.map((r) => cols.map((c, i) => (i < spec.shape.rowItems.length ? r[c] ?? '' : Number(r[c] ?? 0))));
      parts.push({ label: g, table: publish(cols, cells, spec.shape, opts.k) });
    }
    const first = parts[0]!.table;
    const outHeader = [...(spec.splitBy ? [spec.splitBy] : []), ...first.columns.map((c) => c.name)];
    const outRows = parts.flatMap((p) => p.table.rows.map((r) => [...(spec.splitBy ? [p.label ?? ''] : []), ...r.map((v) => (v === null || typeof v === 'boolean' || typeof v === 'bigint' ? (v === null ? null : String(v)) : v))]));
    const out = path.join(path.dirname(file), `${name}_公表用.csv`);
    await writeFileAtomic(out, toCsv(outHeader, outRows, opts));
    written.push(out);
    notes[path.basename(out)] = parts.map((p) => (p.label ? `${p.label}: ` : '') + p.table.note).join(' / ');
  }
  return { files: written, notes };
}
