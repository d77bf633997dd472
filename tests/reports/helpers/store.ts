// Test helper: a temp folder per test file, and a store loaded from a package (fixture or mihon).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPackage, type LoadReport } from '../../../src/ingest/load.ts';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `juki-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads `source` into a new store `<dir>/<name>.duckdb`. */
export async function loadedStore(dir: string, name: string, source: string): Promise<{ db: string; report: LoadReport }> {
  const db = path.join(dir, `${name}.duckdb`);
  const report = await loadPackage({ source, db });
  return { db, report };
}
