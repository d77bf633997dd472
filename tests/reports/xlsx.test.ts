// The workbooks: filled from the editable templates in templates/, read back with exceljs (named
// cells, number formats, print setup) and opened headless by LibreOffice, whose cells must equal the
// CSV files cell for cell (thousands separators removed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNenpo, type NenpoResult } from '../../src/reports/nenpo/index.ts';
import { runZairyu, type ZairyuResult } from '../../src/reports/zairyu/index.ts';
import { definedAnchors } from '../../src/reports/common/xlsx-template.ts';
import { NENPO_BLOCKS, NENPO_TEMPLATE, buildNenpoTemplate } from '../../src/reports/templates/build-nenpo-template.ts';
import { ZAIRYU_BLOCKS, ZAIRYU_TEMPLATE } from '../../src/reports/templates/build-zairyu-template.ts';
import { SEGMENTS } from '../../src/reports/nenpo/columns.ts';
import { fixturePackage } from './helpers/fixtures.ts';
import { libreOfficeSheets } from './helpers/libreoffice.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const tmp = tempDir('xlsx');
afterAll(() => tmp.cleanup());

function csvRows(file: string): string[][] {
  return Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
}

async function anchorsOf(file: string): Promise<Map<string, { sheet: string; row: number; col: number }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return definedAnchors(wb);
}

/** The block at a named cell in LibreOffice's rendering must equal the CSV's data rows. */
function expectBlockEquals(sheets: Map<string, string[][]>, anchor: { sheet: string; row: number; col: number }, expected: string[][]): void {
  const rows = sheets.get(anchor.sheet);
  expect(rows, `sheet ${anchor.sheet}`).toBeDefined();
  const got = rows!.slice(anchor.row - 1, anchor.row - 1 + expected.length)
    .map((r) => r.slice(anchor.col - 1, anchor.col - 1 + expected[0]!.length).map((v) => v.replace(/,/g, '')));
  expect(got).toEqual(expected);
}

describe('年報 workbook (designated city: several area rows)', () => {
  let r: NenpoResult;
  let xlsx: string;
  beforeAll(async () => {
    const { db } = await loadedStore(tmp.dir, 'dc', fixturePackage('designated-city'));
    r = await runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, 'dc-out') });
    xlsx = r.files.find((f) => f.endsWith('.xlsx'))!;
  });

  it('is laid out from the template: title with 和暦 dates, two header rows, formats, A4 landscape', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet('使い方')).toBeUndefined();
    const ws = wb.getWorksheet('人口動態_日本人住民')!;
    expect(ws.getCell('A1').value).toBe('【日本人住民】令和6年1月1日住民基本台帳人口・世帯数、令和5年（1月1日から同年12月31日まで）人口動態');
    expect(String(ws.getCell('A2').value)).toContain('471003');
    expect(String(ws.getCell('A2').value)).toContain(r.provenance.queryVersion.slice(0, 12));
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.printTitlesRow).toBe('1:5');
    const anchor = (await anchorsOf(xlsx)).get(NENPO_BLOCKS.table1('日本人住民'))!;
    const first = ws.getRow(anchor.row);
    expect(first.getCell(4).numFmt).toBe('#,##0');
    expect(ws.getRow(anchor.row + 3).getCell(4).numFmt, 'style copied to later rows').toBe('#,##0');
    const rateCol = 27;
    expect(ws.getRow(anchor.row).getCell(rateCol).numFmt).toBe('0.000');
    expect(ws.getRow(anchor.row).getCell(rateCol).value).toBe(-14.286);
    expect(ws.getRow(anchor.row - 2).getCell(4).value).toBe('人口');
    expect(ws.getRow(anchor.row - 1).getCell(4).value).toBe('男');
    const prov = wb.getWorksheet('出力情報')!;
    const text: string[] = [];
    prov.eachRow((row) => text.push(row.values.toString()));
    expect(text.join('\n')).toContain(r.provenance.resultKey);
  });

  it('opens in LibreOffice with every table equal to its CSV', async () => {
    const sheets = libreOfficeSheets(xlsx);
    const anchors = await anchorsOf(xlsx);
    for (const seg of SEGMENTS) {
      for (const [block, file] of [
        [NENPO_BLOCKS.table1(seg.label), `人口世帯数人口動態_${seg.label}.csv`],
        [NENPO_BLOCKS.bands(seg.label), `年齢階級別人口_${seg.label}.csv`],
        [NENPO_BLOCKS.single(seg.label), `年齢各歳別人口_${seg.label}.csv`],
      ] as const) {
        const rows = csvRows(path.join(r.outDir, file)).slice(1);
        expectBlockEquals(sheets, anchors.get(block)!, rows);
      }
    }
    const checkRows = csvRows(path.join(r.outDir, '整合性チェック.csv')).slice(1);
    expectBlockEquals(sheets, anchors.get(NENPO_BLOCKS.checks)!, checkRows.map((row) => row.map((v) => v.replace(/,/g, ''))));
  });
});

describe('定期報告 workbook', () => {
  let r: ZairyuResult;
  beforeAll(async () => {
    const { db } = await loadedStore(tmp.dir, 'nc', fixturePackage('naturalisation-cancellation'));
    r = await runZairyu({ db, from: '2023-01', to: '2023-12', outDir: path.join(tmp.dir, 'z-out') });
  });

  it('writes the month headers and both tables where the template names them; LibreOffice agrees with the CSV', async () => {
    const xlsx = r.files.find((f) => f.endsWith('.xlsx'))!;
    const anchors = await anchorsOf(xlsx);
    const sheets = libreOfficeSheets(xlsx);
    const byMonth = csvRows(path.join(r.outDir, '定期報告_住居地届出.csv'));
    expectBlockEquals(sheets, anchors.get(ZAIRYU_BLOCKS.monthHeader)!, [byMonth[0]!]);
    expectBlockEquals(sheets, anchors.get(ZAIRYU_BLOCKS.byMonth)!, byMonth.slice(1));
    expectBlockEquals(sheets, anchors.get(ZAIRYU_BLOCKS.byNationality)!, csvRows(path.join(r.outDir, '定期報告_国籍在留資格別.csv')).slice(1));
    const header = sheets.get('住居地届出')!.slice(0, 3).flat().join(' ');
    expect(header).toContain('013889');
    expect(header).toContain('令和5年1月～令和5年12月');
    expect(header).toContain('2024-01-31');
  });
});

describe('templates', () => {
  it('templates/nenpo.xlsx is what the build script makes (names and sheets)', async () => {
    const rebuilt = path.join(tmp.dir, 'nenpo-template.xlsx');
    await buildNenpoTemplate(rebuilt);
    const [committed, fresh] = await Promise.all([anchorsOf(NENPO_TEMPLATE), anchorsOf(rebuilt)]);
    expect([...committed.entries()].sort()).toEqual([...fresh.entries()].sort());
  });

  it('templates/zairyu.xlsx defines every block the filler writes', async () => {
    const names = await anchorsOf(ZAIRYU_TEMPLATE);
    for (const n of Object.values(ZAIRYU_BLOCKS)) expect(names.has(n), n).toBe(true);
  });

  it('a restyled template with a moved table is filled where its names point, and a missing name is reported', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(NENPO_TEMPLATE);
    // A staff member inserts two rows above the table on one sheet: Excel moves the name with it.
    const ws = wb.getWorksheet('人口動態_総計')!;
    ws.spliceRows(1, 0, ['みほん市 統計係 作成'], []);
    const model = (wb.definedNames as unknown as { model: { name: string; ranges: string[] }[] }).model;
    const moved = model.map((m) => (m.name === NENPO_BLOCKS.table1('総計') ? { ...m, ranges: ["'人口動態_総計'!$A$8"] } : m));
    (wb.definedNames as unknown as { model: unknown }).model = moved;
    const custom = path.join(tmp.dir, 'custom.xlsx');
    await wb.xlsx.writeFile(custom);
    const { db } = await loadedStore(tmp.dir, 'custom', fixturePackage('year-boundary'));
    const r = await runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, 'custom-out'), formats: ['xlsx'], template: custom });
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(r.files.find((f) => f.endsWith('.xlsx'))!);
    expect(out.getWorksheet('人口動態_総計')!.getCell('A8').value).toBe('013862');
    expect(out.getWorksheet('人口動態_総計')!.getCell('A1').value).toBe('みほん市 統計係 作成');

    const broken = new ExcelJS.Workbook();
    await broken.xlsx.readFile(NENPO_TEMPLATE);
    (broken.definedNames as unknown as { model: unknown }).model = model.filter((m) => m.name !== NENPO_BLOCKS.checks);
    const brokenFile = path.join(tmp.dir, 'broken.xlsx');
    await broken.xlsx.writeFile(brokenFile);
    await expect(runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, 'broken-out'), formats: ['xlsx'], template: brokenFile }))
      .rejects.toThrow(NENPO_BLOCKS.checks);
  });
});
