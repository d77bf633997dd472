// Test helpers for the export writers: lazy row chunks, a temp folder per test file, CSV reading.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { CellValue } from '../../src/export/types.ts';

const made: string[] = [];

/** A fresh folder under os.tmpdir(); `removeDirs()` deletes every one made. */
export async function exportDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'juki-export-'));
  made.push(dir);
  return dir;
}

export async function removeDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** The file names in `dir` (to check that no temp file was left behind). */
export function files(dir: string): Promise<string[]> {
  return readdir(dir);
}

/** Rows as async chunks of `size` rows. */
export async function* chunked(rows: CellValue[][], size = 2): AsyncGenerator<CellValue[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** CSV text (no BOM) parsed with RFC 4180 rules. */
export function parseCsv(text: string): string[][] {
  return Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: true }).data;
}
