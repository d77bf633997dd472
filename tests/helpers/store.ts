// Test helper: looking at a store from the outside — its bytes, the files beside it, read-only
// queries — and catching a rejected load with its problems.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { loadPackage, type LoadReport } from '../../src/ingest/load.ts';
import { LoadRejected, type Problem } from '../../src/ingest/problems.ts';
import { all, openStore, type Params } from '../../src/store/db.ts';
import { sha256OfFile } from './package.ts';

/** sha256 of the store file, or 'absent'. */
export async function storeHash(db: string): Promise<string> {
  try {
    return await sha256OfFile(db);
  } catch {
    return 'absent';
  }
}

/**
 * Files next to the store that a load may leave behind when it goes wrong: work copies
 * (`.loading-*`), the lock, WALs, DuckDB temp folders, transcoded temp files.
 */
export async function leftovers(db: string): Promise<string[]> {
  const base = path.basename(db);
  const names = await readdir(path.dirname(db));
  return names.filter((n) => n.startsWith(`${base}.`)).sort();
}

/** Runs one query on the store opened read-only (as the web server would). */
export async function query<T = Record<string, unknown>>(db: string, sql: string, params?: Params): Promise<T[]> {
  const store = await openStore(db, { readOnly: true });
  try {
    return await all<T>(store.conn, sql, params);
  } finally {
    store.close();
  }
}

export async function load(source: string, db: string): Promise<LoadReport> {
  return loadPackage({ source, db });
}

/** Loads and expects LoadRejected; returns it. */
export async function loadRejected(source: string, db: string): Promise<LoadRejected> {
  try {
    await loadPackage({ source, db });
  } catch (e) {
    if (e instanceof LoadRejected) return e;
    throw e;
  }
  throw new Error(`expected ${source} to be rejected, but it loaded`);
}

/**
 * Expects one problem to match `want` (each given field equal, `message` as a substring or regexp),
 * and the formatted message to show the file, line, column and value. Returns the problem.
 */
export function expectProblem(
  rejected: LoadRejected,
  want: { file: string; line?: number; column?: string; value?: string | RegExp; message: string | RegExp },
): Problem {
  const matches = (p: Problem) =>
    p.file === want.file &&
    (want.line === undefined || p.line === want.line) &&
    (want.column === undefined || p.column === want.column) &&
    (want.value === undefined || (typeof want.value === 'string' ? p.value === want.value : want.value.test(p.value ?? ''))) &&
    (typeof want.message === 'string' ? p.message.includes(want.message) : want.message.test(p.message));
  const found = rejected.problems.find(matches);
  expect(found, `no problem like ${JSON.stringify(want)} in:\n${rejected.message}`).toBeDefined();
  const text = rejected.message;
  expect(text).toContain('ストアは変更していません');
  expect(text).toContain(want.file);
  if (want.line !== undefined) expect(text).toContain(`${want.line}行目`);
  if (want.column !== undefined) expect(text).toContain(`列「${want.column}」`);
  if (found!.value !== undefined) expect(text).toContain(`値「${found!.value}」`);
  return found!;
}
