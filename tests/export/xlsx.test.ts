// XLSX writer: read back with exceljs (values, formats, frozen bold header, widths, 条件 sheet, hidden
// column, neutralised text), opened by LibreOffice headless (和暦 shown as 令和6年1月1日), and the
// ExportTooLarge refusal before and while writing (no file, no temp file left).
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportTooLarge, sanitiseSheetName, writeXlsx, INT_FORMAT, RATE_FORMAT, SEIREKI_FORMAT, WAREKI_FORMAT } from '../../src/export/xlsx.ts';
import type { CellValue, ExportColumn, ExportMeta } from '../../src/export/types.ts';
import { libreOfficeSheets } from '../reports/helpers/libreoffice.ts';
import { chunked, exportDir, files, removeDirs } from './helpers.ts';

afterAll(removeDirs);

const columns: ExportColumn[] = [
  { name: '宛名番号', kind: 'text' },
  { name: '住民種別', kind: 'text' }, // hidden: foreignFlagIndex 1
  { name: '氏名', kind: 'text' },
  { name: '生年月日', kind: 'date', dateStyle: 'seireki-if-foreign' },
  { name: '異動日', kind: 'date' },
  { name: '人数', kind: 'int' },
  { name: '高齢化率', kind: 'rate' },
  { name: '備考', kind: 'text' },
];
const rows: CellValue[][] = [
  ['000001', '日本人', '山田 太郎', '1990-04-01', '2024-01-01', 1234567n, 28.46, '=1+2'],
  ['000002', '外国人', 'SMITH JOHN', '1985-07-15', '2019-05-01', -5, null, '-5'],
  ['000003', '日本人', '髙橋 花子', null, '1989-01-08', 0, 100, '@x'],
  ['000004', '日本人', '明治の人', '1899-12-31', '2024-02-29', 3, 0.05, 'ふつうの文字'],
];
const meta: ExportMeta = {
  title: '条件指定 該当者一覧',
  conditions: [['基準日', '令和6年1月1日'], ['地区', '=cmd'], ['作成者', 'suzuki'], ['作成日時', '2024-01-05 10:00']],
};
const opts = { sheetName: '該当者一覧 [2024/01]', meta, foreignFlagIndex: 1 };

describe('writeXlsx', () => {
  let file: string;
  let dir: string;
  let result: { rows: number; bytes: number };
  beforeAll(async () => {
    dir = await exportDir();
    file = path.join(dir, 'out.xlsx');
    result = await writeXlsx(file, columns, chunked(rows, 3), opts);
  });

  it('reports rows and the file size and leaves only the file', async () => {
    expect(result.rows).toBe(4);
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(file));
    expect(result.bytes).toBe(size);
    expect(await files(dir)).toEqual(['out.xlsx']);
  });

  it('reads back with exceljs: sheets, frozen bold header, widths, values and formats', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['該当者一覧 _2024_01_', '条件']);
    const ws = wb.worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(5); // header + 4 rows, nothing after

    const header = ws.getRow(1);
    expect(header.values).toEqual([undefined, '宛名番号', '氏名', '生年月日', '異動日', '人数', '高齢化率', '備考']); // no 住民種別
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(header.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(ws.columnCount).toBe(7);

    // Widths: CJK counts 2, so 氏名 (「髙橋 花子」 = 9) is wider than 宛名番号's digits would need.
    const widths = ws.columns.map((c) => c.width ?? 0);
    expect(widths[0]).toBeGreaterThanOrEqual(10); // 宛名番号 header = 8 columns × 1.1
    expect(widths[1]).toBeGreaterThanOrEqual(11);
    expect(widths[2]).toBeGreaterThanOrEqual(16); // 和暦 date
    expect(widths.every((w) => w >= 6 && w <= 80)).toBe(true);

    const r2 = ws.getRow(2);
    expect(r2.getCell(1).value).toBe('000001');
    expect(r2.getCell(2).value).toBe('山田 太郎');
    expect(r2.getCell(3).value).toEqual(new Date('1990-04-01T00:00:00Z'));
    expect(r2.getCell(3).numFmt).toBe(WAREKI_FORMAT);
    expect(r2.getCell(4).value).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(r2.getCell(4).numFmt).toBe(WAREKI_FORMAT);
    expect(r2.getCell(5).value).toBe(1234567); // bigint → number
    expect(r2.getCell(5).numFmt).toBe(INT_FORMAT);
    expect(r2.getCell(6).value).toBe(28.46);
    expect(r2.getCell(6).numFmt).toBe(RATE_FORMAT);
    expect(r2.getCell(7).value).toBe("'=1+2");

    const r3 = ws.getRow(3); // 外国人: 生年月日 in 西暦, 異動日 (plain 'wareki') stays 和暦
    expect(r3.getCell(3).numFmt).toBe(SEIREKI_FORMAT);
    expect(r3.getCell(4).numFmt).toBe(WAREKI_FORMAT);
    expect(r3.getCell(5).value).toBe(-5); // a negative number stays a number
    expect(r3.getCell(6).value).toBe(null);
    expect(r3.getCell(7).value).toBe("'-5"); // the text '-5' is neutralised

    const r4 = ws.getRow(4);
    expect(r4.getCell(3).value).toBe(null);
    expect(r4.getCell(7).value).toBe("'@x");

    // Before 1900-03-01 Excel serials are wrong: written as 和暦 text.
    expect(ws.getRow(5).getCell(3).value).toBe('明治32年12月31日');

    const cond = wb.worksheets[1]!;
    expect(cond.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([
      ['項目', '内容'],
      ['表題', '条件指定 該当者一覧'],
      ['基準日', '令和6年1月1日'],
      ['地区', "'=cmd"],
      ['作成者', 'suzuki'],
      ['作成日時', '2024-01-05 10:00'],
    ]);
  });

  it('opens in LibreOffice, which shows 和暦, 西暦 for foreigners, thousands separators and the 条件 sheet', () => {
    const sheets = libreOfficeSheets(file);
    expect([...sheets.keys()].sort()).toEqual(['条件', '該当者一覧 _2024_01_'].sort());
    const data = sheets.get('該当者一覧 _2024_01_')!.filter((r) => r.some((c) => c !== ''));
    expect(data).toEqual([
      ['宛名番号', '氏名', '生年月日', '異動日', '人数', '高齢化率', '備考'],
      ['000001', '山田 太郎', '平成2年4月1日', '令和6年1月1日', '1,234,567', '28.5', "'=1+2"],
      // [$-411]ggge shows the first year of an era as 1年 (LibreOffice has no 元年 format).
      ['000002', 'SMITH JOHN', '1985年7月15日', '令和1年5月1日', '-5', '', "'-5"],
      ['000003', '髙橋 花子', '', '平成1年1月8日', '0', '100.0', "'@x"],
      ['000004', '明治の人', '明治32年12月31日', '令和6年2月29日', '3', '0.1', 'ふつうの文字'],
    ]);
    const cond = sheets.get('条件')!.filter((r) => r.some((c) => c !== ''));
    expect(cond[1]).toEqual(['表題', '条件指定 該当者一覧']);
    expect(cond).toHaveLength(6);
  });
});

describe('writeXlsx refuses more rows than Excel holds', () => {
  it('refuses before reading any row or writing any file when totalRows says so', async () => {
    const dir = await exportDir();
    let started = false;
    async function* never(): AsyncGenerator<CellValue[][]> {
      started = true;
      yield [];
    }
    const err = await writeXlsx(path.join(dir, 'big.xlsx'), columns.slice(0, 1), never(), { ...opts, foreignFlagIndex: undefined, totalRows: 2_000_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportTooLarge);
    expect((err as ExportTooLarge).message).toBe('Excel の行数上限 1,048,575 行を超えます（2,000,000 行）。CSV でダウンロードしてください。');
    expect(started).toBe(false);
    expect(await files(dir)).toEqual([]);
  });

  it('accepts exactly the limit', async () => {
    const dir = await exportDir();
    const many = Array.from({ length: 5 }, (_, i): CellValue[] => [String(i)]);
    const r = await writeXlsx(path.join(dir, 'ok.xlsx'), columns.slice(0, 1), chunked(many, 2), { sheetName: 'x', meta, maxRows: 5, totalRows: 5 });
    expect(r.rows).toBe(5);
  });

  for (const { what, limit } of [{ what: 'while reading ahead for the widths', limit: 5 }, { what: 'while streaming', limit: 1500 }]) {
    it(`stops ${what}, closes the source and removes the temp file`, async () => {
      const dir = await exportDir();
      let closed = false;
      let served = 0;
      async function* source(): AsyncGenerator<CellValue[][]> {
        try {
          for (let i = 0; i < 30; i++) {
            served += 100;
            yield Array.from({ length: 100 }, (_, j): CellValue[] => [`${i}-${j}`]);
          }
        } finally {
          closed = true;
        }
      }
      const err = await writeXlsx(path.join(dir, 'big.xlsx'), columns.slice(0, 1), source(), { sheetName: 'x', meta, maxRows: limit }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExportTooLarge);
      expect((err as ExportTooLarge).message).toMatch(new RegExp(`^Excel の行数上限 ${limit.toLocaleString('en-US')} 行を超えます（[\\d,]+ 行以上）。CSV でダウンロードしてください。$`));
      expect(closed).toBe(true);
      expect(served).toBeLessThan(3000);
      expect(await files(dir)).toEqual([]);
    });
  }
});

describe('writeXlsx failures', () => {
  it('leaves no file and no temp file when the rows fail halfway, and rethrows', async () => {
    const dir = await exportDir();
    async function* failing(): AsyncGenerator<CellValue[][]> {
      for (let i = 0; i < 20; i++) yield Array.from({ length: 100 }, (_, j): CellValue[] => [`${i}-${j}`]);
      throw new Error('query interrupted');
    }
    await expect(writeXlsx(path.join(dir, 'fail.xlsx'), columns.slice(0, 1), failing(), { sheetName: 'x', meta })).rejects.toThrow('query interrupted');
    expect(await files(dir)).toEqual([]);
  });

  it('rejects a missing folder without leaving anything behind', async () => {
    const dir = await exportDir();
    await expect(writeXlsx(path.join(dir, 'no', 'such.xlsx'), columns.slice(0, 1), chunked([['a']]), { sheetName: 'x', meta })).rejects.toThrow(/ENOENT/);
    expect(await files(dir)).toEqual([]);
  });
});

describe('sanitiseSheetName', () => {
  it('makes names Excel accepts', () => {
    expect(sanitiseSheetName('a[b]c:d*e?f/g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(sanitiseSheetName('あ'.repeat(40))).toBe('あ'.repeat(31));
    expect(sanitiseSheetName('𠮷'.repeat(20))).toBe('𠮷'.repeat(15)); // a surrogate pair is not split
    expect(sanitiseSheetName("'引用'")).toBe('引用');
    expect(sanitiseSheetName('')).toBe('データ');
    expect(sanitiseSheetName('条件')).toBe('データ');
    expect(sanitiseSheetName('History')).toBe('History_');
  });
});
