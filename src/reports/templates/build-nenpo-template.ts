// Builds templates/nenpo.xlsx, the editable Excel template of the 年報 (nenpo.md §6): one sheet per
// table and segment laid out like 総務省's published workbook (title with 和暦 dates, two-level
// headers, thousands separators, A4 landscape), plus 整合性チェック and 出力情報. Run once after a
// layout change: `npx tsx src/reports/templates/build-nenpo-template.ts`; the .xlsx is committed
// and staff may restyle it in Excel.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { repoRoot } from '../../store/db.ts';
import { SEGMENTS, TABLE1_COLUMNS, ageTableColumns, type TableColumn } from '../nenpo/columns.ts';
import { CHECK_HEADER } from '../nenpo/checks.ts';
import { USAGE_COMMON, dataRow, oneLevelHeader, printSetup, provenanceSheet, stableWorkbook, titleRows, twoLevelHeader, usageSheet, type HeaderColumn } from './style.ts';

export const NENPO_TEMPLATE = path.join(repoRoot, 'templates', 'nenpo.xlsx');

/** Defined names of the data blocks (the filler writes there). */
export const NENPO_BLOCKS = {
  table1: (label: string) => `表_人口動態_${label}`,
  bands: (label: string) => `表_年齢階級_${label}`,
  single: (label: string) => `表_各歳_${label}`,
  checks: '表_整合性チェック',
  provenance: '表_出力情報',
} as const;

/** Placeholders the filler replaces (listed on the 使い方 sheet). */
export const NENPO_PLACEHOLDERS = {
  団体コード: '6桁の団体コード（例 013854）',
  団体名: '市区町村名（例 みほん町）',
  都道府県名: '都道府県名',
  基準日: '基準日の和暦（例 令和4年1月1日）',
  動態年: '人口動態の年の和暦（例 令和3年）',
  報告年: '報告の年（西暦、例 2022）',
  処理済み日: 'スナップショットの処理済み日（processedThrough、例 2022-01-31）',
  クエリ版: 'クエリ版（queries のハッシュの先頭12桁）',
  作成日時: '作成日時（日本時間）',
  チェック結果: '整合性チェックの結果（不合格なら赤字）',
  報告名: '報告の名前',
} as const;

const TITLE = '{{基準日}}住民基本台帳人口・世帯数、{{動態年}}（1月1日から同年12月31日まで）人口動態';
const LINE2 = '団体コード {{団体コード}}　{{都道府県名}}{{団体名}}　／　スナップショット {{処理済み日}} 処理分まで　／　クエリ版 {{クエリ版}}　／　作成 {{作成日時}}';
const LINE3 = '整合性チェック：{{チェック結果}}';

function widths(cols: readonly TableColumn[], countWidth: number): HeaderColumn[] {
  return cols.map((c) => ({ ...c, width: c.header === '市区町村名' ? 18 : c.header === '団体コード' ? 9 : c.header === '都道府県名' ? 9 : c.header === '性別' ? 6 : countWidth }));
}

function tableSheet(wb: ExcelJS.Workbook, sheet: string, title: string, cols: HeaderColumn[], name: string, opts: { freezeCols: number; pagesWide: number }): void {
  const ws = wb.addWorksheet(sheet);
  titleRows(ws, title, LINE2, LINE3, '（単位：人、世帯、％）', Math.min(cols.length, 30));
  twoLevelHeader(ws, 4, cols);
  dataRow(wb, ws, 6, cols, name);
  printSetup(ws, { headerRows: '1:5', freezeCols: opts.freezeCols, freezeRows: 5, pagesWide: opts.pagesWide, repeatCols: opts.pagesWide > 1 ? `A:${String.fromCharCode(64 + opts.freezeCols)}` : undefined });
}

/**
 * Writes the 年報 template.
 * @example await buildNenpoTemplate('/tmp/nenpo.xlsx');
 */
export async function buildNenpoTemplate(out = NENPO_TEMPLATE): Promise<void> {
  const wb = new ExcelJS.Workbook();
  stableWorkbook(wb);
  for (const seg of SEGMENTS) {
    tableSheet(wb, `人口動態_${seg.label}`, `【${seg.label}】${TITLE}`, widths(TABLE1_COLUMNS[seg.key], 9), NENPO_BLOCKS.table1(seg.label), { freezeCols: 3, pagesWide: 1 });
  }
  for (const seg of SEGMENTS) {
    tableSheet(wb, `年齢階級_${seg.label}`, `【${seg.label}】{{基準日}}住民基本台帳 年齢階級別人口`, widths(ageTableColumns('bands'), 8), NENPO_BLOCKS.bands(seg.label), { freezeCols: 4, pagesWide: 1 });
  }
  for (const seg of SEGMENTS) {
    tableSheet(wb, `各歳_${seg.label}`, `【${seg.label}】{{基準日}}住民基本台帳 年齢各歳別人口`, widths(ageTableColumns('single'), 6), NENPO_BLOCKS.single(seg.label), { freezeCols: 4, pagesWide: 4 });
  }
  const checks = wb.addWorksheet('整合性チェック');
  titleRows(checks, `整合性チェック（${TITLE}）`, LINE2, LINE3, '', 12);
  const checkCols: HeaderColumn[] = CHECK_HEADER.map((h, j) => ({
    header: h,
    format: ['左辺', '右辺', '差'].includes(h) ? 'count' : h === '番号' ? 'code' : 'text',
    width: [5, 44, 9, 16, 10, 5, 30, 9, 9, 8, 6, 90][j],
  }));
  oneLevelHeader(checks, 4, checkCols);
  dataRow(wb, checks, 5, checkCols, NENPO_BLOCKS.checks, true);
  printSetup(checks, { headerRows: '1:4', freezeCols: 0, freezeRows: 4 });
  provenanceSheet(wb, NENPO_BLOCKS.provenance);
  usageSheet(wb, [
    '年報テンプレートの使い方',
    ...USAGE_COMMON,
    '',
    'データを書き込む名前: ' + [...SEGMENTS.flatMap((s) => [NENPO_BLOCKS.table1(s.label), NENPO_BLOCKS.bands(s.label), NENPO_BLOCKS.single(s.label)]), NENPO_BLOCKS.checks, NENPO_BLOCKS.provenance].join('、'),
    '置き換える文字: ' + Object.entries(NENPO_PLACEHOLDERS).map(([k, v]) => `{{${k}}} = ${v}`).join('、'),
  ]);
  await wb.xlsx.writeFile(out);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await buildNenpoTemplate();
  console.log(`テンプレートを書きました: ${NENPO_TEMPLATE}`);
}
