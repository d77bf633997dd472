// Builds templates/zairyu.xlsx, the editable template of the 定期報告 (zairyu-report.md): the
// official form's layout is not public, so a municipality restyles this one to match the form it
// receives. Run once after a layout change: `npx tsx src/reports/templates/build-zairyu-template.ts`.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { repoRoot } from '../../store/db.ts';
import { KUBUN_ROWS } from '../zairyu/tables.ts';
import { USAGE_COMMON, dataRow, oneLevelHeader, printSetup, provenanceSheet, stableWorkbook, titleRows, type HeaderColumn } from './style.ts';
import { usageSheet } from './style.ts';

export const ZAIRYU_TEMPLATE = path.join(repoRoot, 'templates', 'zairyu.xlsx');

export const ZAIRYU_BLOCKS = {
  monthHeader: '表_住居地届出_見出し',
  byMonth: '表_住居地届出',
  byNationality: '表_国籍在留資格別',
  provenance: '表_出力情報',
} as const;

export const ZAIRYU_PLACEHOLDERS = {
  団体コード: '6桁の団体コード',
  団体名: '団体名',
  都道府県名: '都道府県名',
  期間: '対象期間（例 令和3年4月～令和4年3月）',
  処理済み日: 'スナップショットの処理済み日（processedThrough）',
  クエリ版: 'クエリ版（queries のハッシュの先頭12桁）',
  作成日時: '作成日時（日本時間）',
  報告名: '報告の名前',
} as const;

const TITLE = '中長期在留者住居地届出等事務に関する定期報告';
const LINE2 = '団体コード {{団体コード}}　団体名 {{都道府県名}}{{団体名}}　／　対象期間 {{期間}}（効力発生日による）';
const LINE3 = 'スナップショット {{処理済み日}} 処理分まで　／　クエリ版 {{クエリ版}}　／　作成 {{作成日時}}';

/**
 * Writes the 定期報告 template.
 * @example await buildZairyuTemplate('/tmp/zairyu.xlsx');
 */
export async function buildZairyuTemplate(out = ZAIRYU_TEMPLATE): Promise<void> {
  const wb = new ExcelJS.Workbook();
  stableWorkbook(wb);
  const ws = wb.addWorksheet('住居地届出');
  titleRows(ws, TITLE, LINE2, LINE3, '（単位：件）', 14);
  // Month columns vary with the period: the header row is written by the filler, styled like this row.
  const monthCols: HeaderColumn[] = [{ header: '区分', format: 'text', width: 18 }, ...Array.from({ length: 13 }, () => ({ header: '', format: 'count' as const, width: 9 }))];
  oneLevelHeader(ws, 5, monthCols);
  ws.getCell(5, 1).value = null;
  for (let j = 2; j <= 14; j++) ws.getCell(5, j).value = null;
  wb.definedNames.add(`'${ws.name}'!$A$5`, ZAIRYU_BLOCKS.monthHeader);
  dataRow(wb, ws, 6, monthCols, ZAIRYU_BLOCKS.byMonth);
  printSetup(ws, { headerRows: '1:5', freezeCols: 1, freezeRows: 5 });

  const nat = wb.addWorksheet('国籍在留資格別');
  titleRows(nat, `${TITLE}（国籍・地域別、在留資格別）`, LINE2, LINE3, '（単位：件）', 10);
  const natCols: HeaderColumn[] = [
    { header: '表', format: 'text', width: 12 }, { header: '国籍・地域／在留資格', format: 'text', width: 28 },
    ...KUBUN_ROWS.map((k) => ({ header: k.label, format: 'count' as const, width: 11 })),
  ];
  oneLevelHeader(nat, 5, natCols);
  dataRow(wb, nat, 6, natCols, ZAIRYU_BLOCKS.byNationality);
  printSetup(nat, { headerRows: '1:5', freezeCols: 2, freezeRows: 5 });

  provenanceSheet(wb, ZAIRYU_BLOCKS.provenance);
  usageSheet(wb, [
    '定期報告テンプレートの使い方',
    ...USAGE_COMMON,
    '「表_住居地届出_見出し」の行には 区分・各月（YYYY-MM）・計 の見出しを書き込みます（月の数は期間で変わります）。',
    '',
    'データを書き込む名前: ' + Object.values(ZAIRYU_BLOCKS).join('、'),
    '置き換える文字: ' + Object.entries(ZAIRYU_PLACEHOLDERS).map(([k, v]) => `{{${k}}} = ${v}`).join('、'),
  ]);
  await wb.xlsx.writeFile(out);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await buildZairyuTemplate();
  console.log(`テンプレートを書きました: ${ZAIRYU_TEMPLATE}`);
}
