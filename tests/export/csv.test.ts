// CSV writer: UTF-8 BOM, CRLF, RFC 4180 quoting, formula neutralisation, numbers, the hidden column,
// CP932 with the look-alike mapping and the unmappable report (never a '?'), temp file + rename.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsv } from '../../src/export/csv.ts';
import type { CellValue, ExportColumn } from '../../src/export/types.ts';
import { chunked, exportDir, files, parseCsv, removeDirs } from './helpers.ts';

afterAll(removeDirs);

const columns: ExportColumn[] = [
  { name: '宛名番号', kind: 'text' },
  { name: '氏名', kind: 'text' },
  { name: '生年月日', kind: 'date', dateStyle: 'seireki-if-foreign' },
  { name: '人数', kind: 'int' },
  { name: '率', kind: 'rate' },
  { name: '住民種別', kind: 'text' },
];

describe('writeCsv UTF-8', () => {
  it('writes a BOM, CRLF line ends, quotes only where needed, neutralises text and keeps numbers', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'out.csv');
    const rows: CellValue[][] = [
      ['000001', '山田 太郎', '1990-04-01', 1234n, 12.5, '日本人'],
      ['000002', 'a,b', '2001-12-31', -5, -0.5, '外国人'],
      ['000003', 'say "hi"', null, 0, null, '日本人'],
      ['000004', 'line1\nline2', '2024-01-01', 7, 1, '日本人'],
      ['000005', '=1+2', '2024-01-01', 1, 1, '日本人'],
      ['000006', '+81', '2024-01-01', 1, 1, '日本人'],
      ['000007', '-5', '2024-01-01', 1, 1, '日本人'],
      ['000008', '@SUM(A1)', '2024-01-01', 1, 1, '日本人'],
      ['000009', '\tx', '2024-01-01', 1, 1, '日本人'],
      ['000010', '\rx', '2024-01-01', 1, 1, '日本人'],
      ['000011', '=HYPERLINK("http://x","y")', '2024-01-01', 1, 1, '日本人'],
    ];
    const r = await writeCsv(file, columns, chunked(rows, 3), { encoding: 'utf8', foreignFlagIndex: 5 });
    expect(r.rows).toBe(rows.length);
    expect(r.unmappable).toEqual([]);
    expect(r.unmappableTotal).toBe(0);

    const bytes = await readFile(file);
    expect(r.bytes).toBe(bytes.length);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    // Every line ends with CRLF; the only bare LF is the one inside the quoted field.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').split('\n')).toHaveLength(2);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('宛名番号,氏名,生年月日,人数,率'); // 住民種別 (hidden) not written
    expect(lines[1]).toBe('000001,山田 太郎,1990-04-01,1234,12.5');
    expect(lines[2]).toBe('000002,"a,b",2001-12-31,-5,-0.5'); // negative numbers stay numbers
    expect(lines[3]).toBe('000003,"say ""hi""",,0,');
    expect(lines[4]).toBe('000004,"line1\nline2",2024-01-01,7,1');

    const parsed = parseCsv(text);
    expect(parsed.map((row) => row[1])).toEqual([
      '氏名', '山田 太郎', 'a,b', 'say "hi"', 'line1\nline2',
      "'=1+2", "'+81", "'-5", "'@SUM(A1)", "'\tx", "'\rx", `'=HYPERLINK("http://x","y")`,
    ]);
    expect(await files(dir)).toEqual(['out.csv']);
  });

  it('writes only the header for no rows', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'empty.csv');
    const r = await writeCsv(file, columns.slice(0, 2), chunked([]), { encoding: 'utf8' });
    expect(r.rows).toBe(0);
    expect((await readFile(file)).toString('utf8')).toBe('\uFEFF宛名番号,氏名\r\n');
  });

  it('leaves no file and no temp file when the rows fail halfway, and rethrows', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'fail.csv');
    async function* failing(): AsyncGenerator<CellValue[][]> {
      yield [['1', 'a', null, 1, 1, '日本人']];
      throw new Error('query interrupted');
    }
    await expect(writeCsv(file, columns, failing(), { encoding: 'utf8' })).rejects.toThrow('query interrupted');
    expect(await files(dir)).toEqual([]);
  });

  it('rejects a missing folder without leaving anything behind', async () => {
    const dir = await exportDir();
    await expect(writeCsv(path.join(dir, 'no', 'such.csv'), columns.slice(0, 1), chunked([['a']]), { encoding: 'utf8' })).rejects.toThrow(/ENOENT/);
    expect(await files(dir)).toEqual([]);
  });

  it('refuses a row whose cell count does not match the columns', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'bad.csv');
    await expect(writeCsv(file, columns, chunked([['1', 'a']]), { encoding: 'utf8' })).rejects.toThrow('1 行目のセル数（2）が列定義（6 列）と一致しません。');
    expect(await files(dir)).toEqual([]);
  });

  it('replaces an existing file only when the new one is complete', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'same.csv');
    await writeCsv(file, columns.slice(0, 1), chunked([['old']]), { encoding: 'utf8' });
    async function* failing(): AsyncGenerator<CellValue[][]> {
      yield [['new']];
      throw new Error('boom');
    }
    await expect(writeCsv(file, columns.slice(0, 1), failing(), { encoding: 'utf8' })).rejects.toThrow('boom');
    expect((await readFile(file, 'utf8')).endsWith('old\r\n')).toBe(true);
    expect(await files(dir)).toEqual(['same.csv']);
  });
});

describe('writeCsv CP932', () => {
  const decode = (b: Uint8Array): string => new TextDecoder('shift_jis', { fatal: true }).decode(b);

  it('maps look-alikes, keeps IBM extension kanji, ① and 外字, writes 〓 for the rest and reports them — never a ?', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'sjis.csv');
    const cols: ExportColumn[] = [{ name: '氏名', kind: 'text' }, { name: '備考', kind: 'text' }, { name: '人数', kind: 'int' }];
    const name = 'A〜B−C𠮷D髙E①F\uE000G\uE757H\uE758';
    const rows: CellValue[][] = [
      ['高橋 一郎', '‖—¢£¬¥‾', 1],
      [name, '葛\u{E0100}飾', -2],
    ];
    const r = await writeCsv(file, cols, chunked(rows, 1), { encoding: 'cp932' });
    const bytes = await readFile(file);
    expect(r.bytes).toBe(bytes.length);
    // No BOM in CP932, and not a single '?' byte although no '?' was in the data.
    expect(bytes[0]).not.toBe(0xef);
    expect(bytes.includes(0x3f)).toBe(false);
    // 外字: U+E000 → F0 40, U+E757 → F9 FC (CP932's user-defined area).
    expect(bytes.includes(Buffer.from([0xf0, 0x40]))).toBe(true);
    expect(bytes.includes(Buffer.from([0xf9, 0xfc]))).toBe(true);

    const lines = decode(bytes).split('\r\n');
    expect(lines[0]).toBe('氏名,備考,人数');
    expect(lines[1]).toBe('高橋 一郎,∥―￠￡￢￥￣,1');
    expect(lines[2]).toBe('A～B－C〓D髙E①F\uE000G\uE757H〓,葛飾,-2');
    expect(r.unmappableTotal).toBe(3);
    expect(r.unmappable).toEqual([
      { row: 2, column: '氏名', char: '𠮷', codePoint: 'U+20BB7' },
      { row: 2, column: '氏名', char: '\uE758', codePoint: 'U+E758' },
      // A variation selector is reported but dropped: the base character 葛 is kept.
      { row: 2, column: '備考', char: '\u{E0100}', codePoint: 'U+E0100' },
    ]);
  });

  it('caps the list at 1,000 characters but counts them all', async () => {
    const dir = await exportDir();
    const file = path.join(dir, 'many.csv');
    const rows: CellValue[][] = Array.from({ length: 600 }, (_, i) => [`𠮷${i}😀`]);
    const r = await writeCsv(file, [{ name: '氏名', kind: 'text' }], chunked(rows, 100), { encoding: 'cp932' });
    expect(r.unmappableTotal).toBe(1200);
    expect(r.unmappable).toHaveLength(1000);
    expect(r.unmappable[999]).toEqual({ row: 500, column: '氏名', char: '😀', codePoint: 'U+1F600' });
    const text = decode(await readFile(file));
    expect(text.split('\r\n')[600]).toBe('〓599〓');
  });
});
