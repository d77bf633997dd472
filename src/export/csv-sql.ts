// UTF-8 CSV with the lines formatted by DuckDB: one VARCHAR per row (quoting, formula-injection
// neutralisation, ISO dates, numbers as text) so a million-row list is not taken apart value by value
// in JavaScript (stack-notes.md: getting values out is the bottleneck). The same rules as writeCsv;
// CP932 stays on writeCsv, which must see each character to report what CP932 cannot hold.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { TempFile } from './file.ts';
import { neutralise } from './cells.ts';
import type { ExportColumn } from './types.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const FLUSH_AT = 256 * 1024;

/** A column name as a SQL identifier (names come from our own metadata, never from a request). */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** RFC 4180 quoting, as writeCsv's quote(). */
function quoteSql(expr: string): string {
  return `CASE WHEN regexp_matches(${expr}, '[",\\r\\n]') THEN '"' || replace(${expr}, '"', '""') || '"' ELSE ${expr} END`;
}

/** One cell of the line: text neutralised and quoted, other types as text; NULL → empty. */
function cellSql(col: ExportColumn): string {
  const v = `r.${ident(col.name)}`;
  const s = `CAST(${v} AS VARCHAR)`;
  const neutralised = `CASE WHEN typeof(${v}) = 'VARCHAR' AND regexp_matches(${s}, '^[=+\\-@\\t\\r]') THEN '''' || ${s} ELSE ${s} END`;
  const text = col.kind === 'text' ? quoteSql(neutralised) : quoteSql(s);
  return `coalesce(${text}, '')`;
}

/**
 * The SELECT that formats `sql`'s rows as CSV lines (hidden columns left out).
 * @example csvLineSql('SELECT 1 AS n', [{ name: 'n', kind: 'int' }]) // SELECT concat_ws(',', …) AS line FROM (…)
 */
export function csvLineSql(sql: string, columns: ExportColumn[], hidden: readonly string[] = []): string {
  const written = columns.filter((c) => !hidden.includes(c.name));
  return `SELECT concat_ws(',', ${written.map(cellSql).join(', ')}) AS line FROM (\n${sql}\n) AS r`;
}

/**
 * Writes `sql`'s result as a UTF-8 CSV with BOM and CRLF, the lines formatted by DuckDB; the file
 * appears only when complete.
 * @example const { rows, bytes } = await writeCsvFromSql(conn, '/tmp/x.csv', compiled.sql, compiled.params, compiled.columns, ['住民種別']);
 */
export async function writeCsvFromSql(
  conn: DuckDBConnection, file: string, sql: string, params: Record<string, DuckDBValue>, columns: ExportColumn[], hidden: readonly string[] = [],
): Promise<{ rows: number; bytes: number }> {
  const out = TempFile.open(file);
  let count = 0;
  try {
    await out.write(BOM);
    const header = columns.filter((c) => !hidden.includes(c.name)).map((c) => {
      const t = neutralise(c.name);
      return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    });
    let pending = header.join(',') + '\r\n';
    const result = await conn.stream(csvLineSql(sql, columns, hidden), params);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const line of chunk.getColumnValues(0)) {
        pending += `${line as string}\r\n`;
        count++;
      }
      if (pending.length >= FLUSH_AT) {
        await out.write(Buffer.from(pending, 'utf8'));
        pending = '';
      }
    }
    await out.write(Buffer.from(pending, 'utf8'));
    const bytes = await out.commit();
    return { rows: count, bytes };
  } catch (e) {
    await out.abort();
    throw e;
  }
}
