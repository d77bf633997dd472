// Shared building blocks of the report templates (templates/*.xlsx): title rows with
// placeholders, one- or two-level headers, a styled data row carrying a defined name, A4 landscape
// print setup, and the 出力情報 / 使い方 sheets. Used only by the template build scripts.
import type ExcelJS from 'exceljs';

export const FONT = 'ＭＳ Ｐゴシック';
const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
export const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

export type Format = 'code' | 'text' | 'count' | 'rate';

export interface HeaderColumn {
  header: string;
  group?: string;
  sub?: string;
  format: Format;
  width?: number;
}

export const NUM_FMT: Record<Format, string> = { code: '@', text: '@', count: '#,##0', rate: '0.000' };

/**
 * Title (row 1), provenance (row 2), check/summary line (row 3) and a unit note at the right of row 3.
 * @example titleRows(ws, '【総計】{{基準日}}…', LINE2, LINE3, '（単位：人）', 25)
 */
export function titleRows(ws: ExcelJS.Worksheet, title: string, line2: string, line3: string, unit: string, lastCol: number): void {
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { name: FONT, size: 14, bold: true };
  const p = ws.getCell(2, 1);
  p.value = line2;
  p.font = { name: FONT, size: 9, color: { argb: 'FF404040' } };
  const c = ws.getCell(3, 1);
  c.value = line3;
  c.font = { name: FONT, size: 10 };
  if (unit) {
    const u = ws.getCell(3, lastCol);
    u.value = unit;
    u.font = { name: FONT, size: 9 };
    u.alignment = { horizontal: 'right' };
  }
}

function headerCell(cell: ExcelJS.Cell, value: string): void {
  cell.value = value;
  cell.font = { name: FONT, size: 9, bold: true };
  cell.fill = HEADER_FILL;
  cell.border = BORDER;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

/**
 * Headers on rows `row` and `row + 1`: a column with a group shows the group above (merged over
 * the neighbouring columns of the same group) and its sub header below; others span both rows.
 * @example twoLevelHeader(ws, 4, TABLE1_COLUMNS.jp) // 人口 over 男・女・計 on rows 4–5
 */
export function twoLevelHeader(ws: ExcelJS.Worksheet, row: number, columns: readonly HeaderColumn[]): void {
  let j = 0;
  while (j < columns.length) {
    const col = columns[j]!;
    if (!col.group) {
      headerCell(ws.getCell(row, j + 1), col.header);
      headerCell(ws.getCell(row + 1, j + 1), col.header);
      ws.mergeCells(row, j + 1, row + 1, j + 1);
      j++;
      continue;
    }
    let k = j;
    while (k + 1 < columns.length && columns[k + 1]!.group === col.group) k++;
    for (let x = j; x <= k; x++) {
      headerCell(ws.getCell(row, x + 1), col.group);
      headerCell(ws.getCell(row + 1, x + 1), columns[x]!.sub ?? columns[x]!.header);
    }
    if (k > j) ws.mergeCells(row, j + 1, row, k + 1);
    j = k + 1;
  }
  ws.getRow(row).height = 18;
  ws.getRow(row + 1).height = 40;
}

/**
 * One header row.
 * @example oneLevelHeader(ws, 4, [{ header: '項目', format: 'text' }])
 */
export function oneLevelHeader(ws: ExcelJS.Worksheet, row: number, columns: readonly HeaderColumn[]): void {
  columns.forEach((c, j) => headerCell(ws.getCell(row, j + 1), c.header));
  ws.getRow(row).height = 30;
}

/**
 * The styled data row the filler copies for every row; its first cell carries the defined name.
 * @example dataRow(wb, ws, 6, cols, '表_人口動態_総計')
 */
export function dataRow(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, row: number, columns: readonly HeaderColumn[], name: string, wrapLast = false): void {
  columns.forEach((c, j) => {
    const cell = ws.getCell(row, j + 1);
    cell.numFmt = NUM_FMT[c.format];
    cell.font = { name: FONT, size: 10 };
    cell.border = BORDER;
    cell.alignment = c.format === 'count' || c.format === 'rate'
      ? { horizontal: 'right', vertical: 'top' }
      : { horizontal: c.format === 'code' ? 'center' : 'left', vertical: 'top', wrapText: wrapLast && j === columns.length - 1 };
    ws.getColumn(j + 1).width = c.width ?? (c.format === 'count' || c.format === 'rate' ? 10 : 12);
  });
  wb.definedNames.add(`'${ws.name}'!$A$${row}`, name);
}

/**
 * A4 landscape, fit to `pagesWide` pages across, repeat the title and header rows, freeze panes.
 * @example printSetup(ws, { headerRows: '1:5', freezeCols: 3, freezeRows: 5 })
 */
export function printSetup(ws: ExcelJS.Worksheet, opts: { headerRows: string; freezeCols: number; freezeRows: number; pagesWide?: number; repeatCols?: string }): void {
  ws.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: opts.pagesWide ?? 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: opts.headerRows,
    ...(opts.repeatCols ? { printTitlesColumn: opts.repeatCols } : {}),
  };
  ws.headerFooter = { oddFooter: '&L{{団体コード}} {{団体名}}&C&P / &N&R{{作成日時}}' };
  ws.views = [{ state: 'frozen', xSplit: opts.freezeCols, ySplit: opts.freezeRows }];
}

/**
 * The 出力情報 sheet: 項目 / 内容, filled from the defined name `name`.
 * @example provenanceSheet(wb, '表_出力情報')
 */
export function provenanceSheet(wb: ExcelJS.Workbook, name: string): void {
  const ws = wb.addWorksheet('出力情報');
  titleRows(ws, '出力情報（この帳票の作成元）', '{{報告名}}', '', '', 2);
  const cols: HeaderColumn[] = [{ header: '項目', format: 'text', width: 36 }, { header: '内容', format: 'text', width: 90 }];
  oneLevelHeader(ws, 4, cols);
  dataRow(wb, ws, 5, cols, name, true);
  printSetup(ws, { headerRows: '4:4', freezeCols: 0, freezeRows: 4 });
}

/**
 * The 使い方 sheet (removed from every output): how to restyle the template safely.
 * @example usageSheet(wb, ['使い方', ...USAGE_COMMON])
 */
export function usageSheet(wb: ExcelJS.Workbook, lines: readonly string[]): void {
  const ws = wb.addWorksheet('使い方');
  ws.getColumn(1).width = 120;
  lines.forEach((line, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = line;
    cell.font = { name: FONT, size: i === 0 ? 14 : 10, bold: i === 0 };
    cell.alignment = { wrapText: true, vertical: 'top' };
  });
}

/**
 * Fixed metadata so the template does not change with the day it was built.
 * @example stableWorkbook(new ExcelJS.Workbook())
 */
export function stableWorkbook(wb: ExcelJS.Workbook): void {
  const fixed = new Date('2024-01-01T00:00:00Z');
  wb.creator = 'juki-stats';
  wb.lastModifiedBy = 'juki-stats';
  wb.created = fixed;
  wb.modified = fixed;
}

export const USAGE_COMMON = [
  '色・罫線・フォント・列幅・見出しの文言・タイトルの文言は自由に変えてかまいません。',
  'データは「名前の定義」（数式 → 名前の管理）で「表_」で始まる名前の付いたセルから右・下へ書き込みます。表を移すときは名前の付いたセルごと移してください（名前が参照先を追いかけます）。名前は消したり変えたりしないでください。',
  '名前の付いた行の書式（表示形式・罫線・フォント）が全データ行に写されます。',
  'データの行数は毎回変わります。表の下に注記などを置くと、データの行数分だけ下へずらします。',
  '{{ }} で囲んだ文字は出力時に置き換えます（タイトルの和暦の日付、団体名、作成元の情報など）。使える名前はこのシートの下にあります。',
  '「使い方」シートは出力には含まれません。',
  '変更したテンプレートは --template オプションで指定するか、templates/ のファイルを置き換えてください。',
];
