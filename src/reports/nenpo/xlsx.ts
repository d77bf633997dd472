// Writes the 年報 workbook by filling templates/nenpo.xlsx (or a municipality's own copy): the
// tables under their defined names, the titles' {{placeholders}} with 和暦 dates and provenance.
import { fillTemplate, type XlsxCell } from '../common/xlsx-template.ts';
import { provenanceEntries, type Provenance } from '../common/provenance.ts';
import { toWareki, warekiYear } from '../../util/wareki.ts';
import { NENPO_BLOCKS } from '../templates/build-nenpo-template.ts';
import { SEGMENTS } from './columns.ts';
import type { Table } from './tables.ts';

/** Cells as the workbook wants them: rates become numbers (shown as 0.000 by the template). */
function cells(table: Table): XlsxCell[][] {
  return table.rows.map((row) => row.map((v, j) => (table.columns[j]!.format === 'rate' ? (v === '' || v === null ? null : Number(v)) : v)));
}

export interface NenpoWorkbookInput {
  template: string;
  out: string;
  year: number;
  table1: Table[];
  bands: Table[];
  single: Table[];
  checkRows: XlsxCell[][];
  checksOk: boolean;
  checkSummary: string;
  provenance: Provenance;
  prefectureName: string;
}

/**
 * Fills the template and writes the workbook atomically.
 * @example await writeNenpoWorkbook({ template: NENPO_TEMPLATE, out: 'out/年報_2022.xlsx', year: 2022, ... });
 */
export async function writeNenpoWorkbook(input: NenpoWorkbookInput): Promise<void> {
  const p = input.provenance;
  const blocks: Record<string, XlsxCell[][]> = {
    [NENPO_BLOCKS.checks]: input.checkRows,
    [NENPO_BLOCKS.provenance]: provenanceEntries(p),
  };
  SEGMENTS.forEach((seg, i) => {
    blocks[NENPO_BLOCKS.table1(seg.label)] = cells(input.table1[i]!);
    blocks[NENPO_BLOCKS.bands(seg.label)] = cells(input.bands[i]!);
    blocks[NENPO_BLOCKS.single(seg.label)] = cells(input.single[i]!);
  });
  await fillTemplate(input.template, input.out, {
    blocks,
    placeholders: {
      団体コード: p.municipalityCode,
      団体名: p.municipalityName,
      都道府県名: input.prefectureName,
      基準日: toWareki(`${input.year}-01-01`),
      動態年: warekiYear(input.year - 1),
      報告年: String(input.year),
      処理済み日: p.processedThrough,
      クエリ版: p.queryVersion.slice(0, 12),
      作成日時: p.createdAt,
      チェック結果: input.checksOk ? input.checkSummary : `※${input.checkSummary}。「整合性チェック」シートの NG の行と該当者を確認してください`,
      報告名: p.report,
    },
    alert: { placeholder: 'チェック結果', on: !input.checksOk },
    removeSheets: ['使い方'],
  });
}
