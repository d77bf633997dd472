// Characters outside CP932 and 外字 (private-use area) in a staged file's text columns, for the load report.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec } from '../store/db.ts';
import { ident } from './columns.ts';

const TEXT_COLUMNS = ['氏名', '氏名カナ', '氏名英字', '通称', '続柄', '住所', '方書', '転入前住所', '転出先住所', '異動事由詳細'] as const;

let cp932Class: string | undefined;

/**
 * An RE2 character class matching one character that CP932 (Windows-31J) cannot hold, built from
 * the decoder's own table. The user-defined area (→ U+E000–U+E757) counts as CP932 here; 外字 are
 * counted separately.
 */
export function outsideCp932Class(): string {
  if (cp932Class) return cp932Class;
  const decoder = new TextDecoder('shift_jis');
  const codes = new Set<number>();
  for (let b = 0x00; b <= 0xdf; b++) {
    if (b >= 0x80 && b < 0xa1) continue;
    const s = decoder.decode(Uint8Array.of(b));
    if (s !== '\uFFFD') codes.add(s.codePointAt(0)!);
  }
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead > 0x9f && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      const s = decoder.decode(Uint8Array.of(lead, trail));
      if (s.length === 1 && s !== '\uFFFD') codes.add(s.codePointAt(0)!);
    }
  }
  const sorted = [...codes].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const hex = (n: number) => `\\x{${n.toString(16)}}`;
    ranges.push(i === j ? hex(sorted[i]!) : `${hex(sorted[i]!)}-${hex(sorted[j]!)}`);
    i = j + 1;
  }
  cp932Class = `[^${ranges.join('')}]`;
  return cp932Class;
}

export interface CharsetFinding {
  file: string;
  column: string;
  /** Rows with at least one 外字 (private-use character). */
  gaijiRows: number;
  /** Rows with at least one character CP932 cannot hold (not counting 外字). */
  outsideCp932Rows: number;
  /** Those characters as U+XXXX (at most 20). */
  outsideChars: string[];
}

const GAIJI = `'[\\x{E000}-\\x{F8FF}]'`;

/** The text columns of 住民.csv that are counted. */
export const RESIDENT_TEXT_COLUMNS: readonly string[] = TEXT_COLUMNS.filter((c) => c !== '異動事由詳細');

/**
 * Per-row charset flags for resident_rows (gaiji_cols, outside_cols, outside_chars), from the text
 * columns as `ref(column)`. The regex over all columns together is the cheap filter (rows with
 * anything to report are few); per-column work happens only inside the CASE.
 */
export function residentCharsetSelects(ref: (column: string) => string): string[] {
  const cls = `'${outsideCp932Class()}'`;
  const columns = RESIDENT_TEXT_COLUMNS;
  const joined = `concat_ws(' ', ${columns.map(ref).join(', ')})`;
  const q = (c: string) => `'${c.replace(/'/g, "''")}'`;
  const which = (re: string) => `list_filter([${columns.map((c) => `CASE WHEN regexp_matches(${ref(c)}, ${re}) THEN ${q(c)} END`).join(', ')}], x -> x IS NOT NULL)`;
  const chars = `flatten([${columns.map((c) => `coalesce(list_transform(regexp_extract_all(${ref(c)}, ${cls}), ch -> ${q(`${c}:`)} || ch), [])`).join(', ')}])`;
  return [
    `CASE WHEN regexp_matches(${joined}, ${GAIJI}) THEN ${which(GAIJI)} END AS gaiji_cols`,
    `CASE WHEN regexp_matches(${joined}, ${cls}) THEN ${which(cls)} END AS outside_cols`,
    `CASE WHEN regexp_matches(${joined}, ${cls}) THEN list_distinct(${chars}) END AS outside_chars`,
  ];
}

/** 住民.csv's charset counts, from resident_rows (the whole file as last loaded). */
export async function residentCharsetFindings(conn: DuckDBConnection, fileName: string): Promise<CharsetFinding[]> {
  const columns = RESIDENT_TEXT_COLUMNS;
  const q = (c: string) => `'${c.replace(/'/g, "''")}'`;
  const counts = columns
    .map((c) => `count(*) FILTER (WHERE list_contains(gaiji_cols, ${q(c)})) AS "g:${c}",
      count(*) FILTER (WHERE list_contains(outside_cols, ${q(c)})) AS "o:${c}"`)
    .join(',\n');
  const row = (await all<Record<string, number>>(conn, `SELECT ${counts} FROM resident_rows WHERE gaiji_cols IS NOT NULL OR outside_cols IS NOT NULL`))[0] ?? {};
  return perColumn(fileName, columns, row, (c) => all<{ ch: string }>(conn, `
    SELECT DISTINCT substr(x, ${[...c].length + 2}) AS ch FROM (SELECT unnest(outside_chars) AS x FROM resident_rows WHERE outside_chars IS NOT NULL)
    WHERE starts_with(x, ${q(`${c}:`)}) ORDER BY ch LIMIT 20`));
}

/** One finding per column with anything to report; `chars` lists a column's non-CP932 characters. */
async function perColumn(fileName: string, columns: readonly string[], row: Record<string, number>,
  chars: (column: string) => Promise<{ ch: string }[]>): Promise<CharsetFinding[]> {
  const findings: CharsetFinding[] = [];
  for (const c of columns) {
    const gaijiRows = row[`g:${c}`] ?? 0;
    const outsideCp932Rows = row[`o:${c}`] ?? 0;
    if (!gaijiRows && !outsideCp932Rows) continue;
    const outsideChars = outsideCp932Rows
      ? (await chars(c)).map((r) => `U+${r.ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
      : [];
    findings.push({ file: fileName, column: c, gaijiRows, outsideCp932Rows, outsideChars });
  }
  return findings;
}

/** Counts 外字 and non-CP932 characters per text column of a staged table. */
export async function charsetFindings(conn: DuckDBConnection, table: string, fileName: string): Promise<CharsetFinding[]> {
  const cls = outsideCp932Class();
  const present = new Set((await all<{ column_name: string }>(conn, `SELECT column_name FROM (DESCRIBE ${table})`)).map((r) => r.column_name));
  const columns = TEXT_COLUMNS.filter((c) => present.has(c));
  if (columns.length === 0) return [];
  // One regex pass over all text columns together keeps the rows with anything to report (few);
  // per-column counts are taken on those only. The class is a constant built from the decoder table
  // (never input); as a literal DuckDB compiles it once.
  const joined = `concat_ws(' ', ${columns.map(ident).join(', ')})`;
  const gaiji = `'[\\x{E000}-\\x{F8FF}]'`;
  await exec(conn, `CREATE OR REPLACE TEMP TABLE charset_hits AS SELECT ${columns.map(ident).join(', ')} FROM ${table}
    WHERE regexp_matches(${joined}, ${gaiji}) OR regexp_matches(${joined}, '${cls}')`);
  const counts = columns
    .map((c) => `count(*) FILTER (WHERE regexp_matches(${ident(c)}, ${gaiji})) AS "g:${c}",
      count(*) FILTER (WHERE regexp_matches(${ident(c)}, '${cls}')) AS "o:${c}"`)
    .join(',\n');
  const row = (await all<Record<string, number>>(conn, `SELECT ${counts} FROM charset_hits`))[0] ?? {};
  return perColumn(fileName, columns, row, (c) => all<{ ch: string }>(conn, `
    SELECT DISTINCT ch FROM (
      SELECT unnest(regexp_extract_all(${ident(c)}, '${cls}')) AS ch FROM charset_hits WHERE regexp_matches(${ident(c)}, '${cls}')
    ) ORDER BY ch LIMIT 20`));
}
