// Test helper: opens a workbook with LibreOffice headless (the same check CI does) and returns every
// sheet as rows of cells, formatted as shown ("1,234", "-9.524"). Fails clearly when soffice is missing.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';

function soffice(): string {
  for (const candidate of ['soffice', 'libreoffice']) {
    try {
      execFileSync('which', [candidate], { stdio: 'pipe' });
      return candidate;
    } catch {
      // try the next name
    }
  }
  throw new Error('LibreOffice（soffice）がありません: apt-get install -y libreoffice-calc-nogui（CI は .ci/run で入れます）');
}

/**
 * Every sheet of `xlsx` as LibreOffice reads it: sheet name → rows of cells as displayed.
 * @example const sheets = libreOfficeSheets('out/年報.xlsx'); sheets.get('人口動態_総計')
 */
export function libreOfficeSheets(xlsx: string): Map<string, string[][]> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'juki-lo-'));
  try {
    copyFileSync(xlsx, path.join(work, 'book.xlsx'));
    // Options: comma, double quote, UTF-8, from line 1, …, cells as shown, every sheet to its own file (-1).
    execFileSync(soffice(), [
      `-env:UserInstallation=file://${path.join(work, 'profile')}`, '--headless', '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', work, path.join(work, 'book.xlsx'),
    ], { stdio: 'pipe', timeout: 120_000 });
    const sheets = new Map<string, string[][]>();
    for (const name of readdirSync(work)) {
      const m = /^book-(.+)\.csv$/.exec(name);
      if (!m) continue;
      const parsed = Papa.parse<string[]>(readFileSync(path.join(work, name), 'utf8'), { skipEmptyLines: false });
      sheets.set(m[1]!, parsed.data);
    }
    if (sheets.size === 0) throw new Error(`LibreOffice が ${xlsx} を CSV にできませんでした`);
    return sheets;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
