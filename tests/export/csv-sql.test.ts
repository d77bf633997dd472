// The DuckDB-formatted UTF-8 CSV writes the same bytes as the JavaScript writer: quoting, formula
// neutralisation, NULLs, dates, numbers, the hidden column left out — on awkward values and on a real
// person list.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeCsv } from '../../src/export/csv.ts';
import { writeCsvFromSql } from '../../src/export/csv-sql.ts';
import type { CellValue, ExportColumn } from '../../src/export/types.ts';
import { plainCell } from '../../src/euc/run.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';

afterAll(removeTempDirs);

async function* rowsOf(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, sql: string): AsyncIterable<CellValue[][]> {
  const r = await conn.runAndReadAll(sql);
  yield r.getRows().map((row) => row.map(plainCell));
}

describe('writeCsvFromSql', () => {
  it('matches writeCsv byte for byte on awkward values', async () => {
    const dir = await tempDir('csvsql');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const sql = `SELECT * FROM (VALUES
      ('1001', '山田, 太郎', DATE '1990-02-28', 3::BIGINT, '外国人'),
      ('1002', '=HYPERLINK("x")', NULL, -5::BIGINT, '日本人'),
      ('1003', 'say "hi"' || chr(10) || 'next', DATE '2024-02-29', NULL, '日本人'),
      ('1004', '-5', DATE '1900-01-01', 0::BIGINT, NULL),
      ('1005', '', DATE '2000-01-01', 12345678901::BIGINT, '外国人'),
      ('1006', '@x' || chr(9) || 'y', NULL, 1::BIGINT, '日本人'),
      (NULL, '+1', NULL, NULL, NULL)
    ) AS t(宛名番号, 氏名, 生年月日, 件数, 住民種別)`;
    const columns: ExportColumn[] = [
      { name: '宛名番号', kind: 'text' }, { name: '氏名', kind: 'text' }, { name: '生年月日', kind: 'date', dateStyle: 'seireki-if-foreign' },
      { name: '件数', kind: 'int' }, { name: '住民種別', kind: 'text' },
    ];
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    await writeCsv(a, columns, rowsOf(conn, sql), { encoding: 'utf8', foreignFlagIndex: 4 });
    const r = await writeCsvFromSql(conn, b, sql, {}, columns, ['住民種別']);
    expect(r.rows).toBe(7);
    expect((await readFile(b)).toString('utf8')).toBe((await readFile(a)).toString('utf8'));
    conn.closeSync();
    inst.closeSync();
  });
});
