// Memory stays flat with size: 300k rows to CSV (CP932, the slower path) and 400k rows to XLSX, rows
// generated lazily; RSS is sampled at every chunk and must not grow by more than ~150 MB.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/export/csv.ts';
import { writeXlsx } from '../../src/export/xlsx.ts';
import type { CellValue, ExportColumn } from '../../src/export/types.ts';
import { chunked, exportDir, removeDirs } from './helpers.ts';

afterAll(removeDirs);

const MB = 1024 * 1024;
const columns: ExportColumn[] = [
  { name: '宛名番号', kind: 'text' },
  { name: '氏名', kind: 'text' },
  { name: '生年月日', kind: 'date', dateStyle: 'seireki-if-foreign' },
  { name: '年齢', kind: 'int' },
  { name: '率', kind: 'rate' },
  { name: '住所', kind: 'text' },
  { name: '住民種別', kind: 'text' },
];

/** `total` resident-like rows in chunks of 2,048 (DuckDB's chunk size), recording the peak RSS as they are pulled. */
function lazyRows(total: number, peak: { rss: number }): AsyncGenerator<CellValue[][]> {
  return (async function* () {
    for (let i = 0; i < total; i += 2048) {
      peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
      const chunk: CellValue[][] = [];
      for (let j = i; j < Math.min(total, i + 2048); j++) {
        chunk.push([
          String(100_000_000 + j), `山田 太郎${j}`, `19${String(j % 100).padStart(2, '0')}-0${1 + (j % 9)}-1${j % 10}`,
          BigInt(j % 100), (j % 1000) / 10, `東京都千代田区千代田一丁目${j}番地〜`, j % 7 ? '日本人' : '外国人',
        ]);
      }
      yield chunk;
    }
    peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  })();
}

describe('memory stays flat', () => {
  it('streams 300,000 rows to CSV (CP932) with RSS growth under 150 MB', async () => {
    const dir = await exportDir();
    // Warm up: load iconv-lite's tables and the writer before measuring.
    await writeCsv(path.join(dir, 'warm.csv'), columns, chunked([['1', '山田', '2000-01-01', 1n, 1, '東京', '日本人']]), { encoding: 'cp932', foreignFlagIndex: 6 });
    const before = process.memoryUsage().rss;
    const peak = { rss: before };
    const r = await writeCsv(path.join(dir, 'big.csv'), columns, lazyRows(300_000, peak), { encoding: 'cp932', foreignFlagIndex: 6 });
    expect(r.rows).toBe(300_000);
    expect(r.unmappableTotal).toBe(0); // 〜 is mapped to ～
    expect(r.bytes).toBeGreaterThan(15 * MB);
    expect((peak.rss - before) / MB).toBeLessThan(150);
  });

  it('streams 400,000 rows to XLSX with RSS growth under 150 MB (exceljs is made to wait for zlib)', async () => {
    const dir = await exportDir();
    await writeXlsx(path.join(dir, 'warm.xlsx'), columns, chunked([['1', '山田', '2000-01-01', 1n, 1, '東京', '日本人']]), {
      sheetName: 'warm', meta: { title: 'warm', conditions: [] }, foreignFlagIndex: 6,
    });
    const before = process.memoryUsage().rss;
    const peak = { rss: before };
    const r = await writeXlsx(path.join(dir, 'big.xlsx'), columns, lazyRows(400_000, peak), {
      sheetName: '大量', meta: { title: '大量', conditions: [] }, foreignFlagIndex: 6,
    });
    expect(r.rows).toBe(400_000);
    expect((peak.rss - before) / MB).toBeLessThan(150);
  });
});
