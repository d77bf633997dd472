// Fills an Excel template (templates/*.xlsx) that a staff member may restyle in Excel: data goes
// where the template's named cells (名前の定義) say, each row styled like the named row; text cells
// may hold {{プレースホルダ}} that are replaced (titles with 和暦 dates, provenance). No coordinates
// are hard-coded here, so moving a table or rewording a title in Excel needs no code change.
import ExcelJS from 'exceljs';
import { writeFileAtomic } from './csv.ts';

export type XlsxCell = string | number | null;

export interface TemplateFill {
  /** {{name}} → text, in every text cell and in page headers/footers */
  placeholders: Record<string, string>;
  /** defined name → rows written from that cell rightwards and downwards */
  blocks: Record<string, XlsxCell[][]>;
  /** cells whose template text holds this placeholder get a red bold font (e.g. a failed check) */
  alert?: { placeholder: string; on: boolean };
  /** sheets removed from the output (the template's 使い方 sheet) */
  removeSheets?: string[];
}

interface Anchor {
  sheet: string;
  row: number;
  col: number;
}

/**
 * "'人口動態_総計'!$A$6" → sheet, row, col.
 * @example parseAnchor("'人口動態_総計'!$A$6") // { sheet: '人口動態_総計', row: 6, col: 1 }
 */
export function parseAnchor(range: string): Anchor | undefined {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::.*)?$/.exec(range);
  if (!m) return undefined;
  const sheet = (m[1] ?? m[2]!).replace(/''/g, "'");
  const col = [...m[3]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { sheet, row: Number(m[4]), col };
}

/**
 * The defined names of a workbook with their first cell.
 * @example definedAnchors(wb).get('表_出力情報') // { sheet: '出力情報', row: 5, col: 1 }
 */
export function definedAnchors(wb: ExcelJS.Workbook): Map<string, Anchor> {
  const out = new Map<string, Anchor>();
  const model = (wb.definedNames as unknown as { model: { name: string; ranges: string[] }[] }).model;
  for (const { name, ranges } of model) {
    const a = ranges[0] ? parseAnchor(ranges[0]) : undefined;
    if (a) out.set(name, a);
  }
  return out;
}

function replaceAll(text: string, placeholders: Record<string, string>): string {
  return text.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => placeholders[name.trim()] ?? whole);
}

function hasContentBelow(ws: ExcelJS.Worksheet, row: number): boolean {
  for (let r = row + 1; r <= ws.rowCount; r++) {
    let found = false;
    ws.getRow(r).eachCell({ includeEmpty: false }, (c) => {
      if (c.value !== null && c.value !== undefined && c.value !== '') found = true;
    });
    if (found) return true;
  }
  return false;
}

function writeBlock(ws: ExcelJS.Worksheet, at: Anchor, rows: XlsxCell[][]): void {
  if (rows.length > 1 && hasContentBelow(ws, at.row)) {
    // Keep whatever the template has under the table (notes, signatures) below the data.
    ws.spliceRows(at.row + 1, 0, ...rows.slice(1).map(() => []));
  }
  const styleRow = ws.getRow(at.row);
  const width = Math.max(0, ...rows.map((r) => r.length));
  let lastStyled = at.col;
  const styles: Partial<ExcelJS.Style>[] = [];
  for (let j = 0; j < width; j++) {
    const cell = styleRow.getCell(at.col + j);
    if (cell.style && Object.keys(cell.style).length > 0 && (cell.style.numFmt || cell.style.border || cell.style.font)) lastStyled = at.col + j;
    styles.push(structuredClone(styleRow.getCell(lastStyled).style ?? {}));
  }
  rows.forEach((values, i) => {
    const row = ws.getRow(at.row + i);
    if (i > 0 && styleRow.height) row.height = styleRow.height;
    values.forEach((v, j) => {
      const cell = row.getCell(at.col + j);
      cell.style = structuredClone(styles[j]!);
      cell.value = v === null ? null : v;
    });
  });
}

/**
 * Fills a template and writes the workbook atomically. Throws when a block's name is not defined
 * in the template (the message names it, so a renamed 名前 is found quickly).
 * @example await fillTemplate('templates/nenpo.xlsx', 'out/年報.xlsx', { placeholders: { 団体名: 'みほん町' }, blocks: { 人口動態_総計: rows } });
 */
export async function fillTemplate(template: string, out: string, fill: TemplateFill): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const anchors = definedAnchors(wb);
  const missing = Object.keys(fill.blocks).filter((name) => !anchors.has(name));
  if (missing.length > 0) {
    throw new Error(`テンプレート ${template} に名前（名前の定義）がありません: ${missing.join(', ')}。Excel の「数式 → 名前の管理」で、表の最初のデータのセルにこの名前を付けてください。`);
  }
  for (const [name, rows] of Object.entries(fill.blocks)) {
    const at = anchors.get(name)!;
    const ws = wb.getWorksheet(at.sheet);
    if (!ws) throw new Error(`テンプレート ${template}: 名前 ${name} のシート「${at.sheet}」がありません`);
    writeBlock(ws, at, rows);
  }
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (typeof cell.value !== 'string' || !cell.value.includes('{{')) return;
        const alert = fill.alert && cell.value.includes(`{{${fill.alert.placeholder}}}`) && fill.alert.on;
        cell.value = replaceAll(cell.value, fill.placeholders);
        if (alert) cell.font = { ...(cell.font ?? {}), bold: true, color: { argb: 'FFC00000' } };
      });
    });
    const hf = (ws.headerFooter ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(hf)) if (typeof hf[k] === 'string') hf[k] = replaceAll(hf[k] as string, fill.placeholders);
  }
  for (const name of fill.removeSheets ?? []) {
    const ws = wb.getWorksheet(name);
    if (ws) wb.removeWorksheet(ws.id);
  }
  const buffer = await wb.xlsx.writeBuffer();
  await writeFileAtomic(out, new Uint8Array(buffer as ArrayBuffer));
}
