// The benchmark's baseline: DuckDB's own read_csv of a package's UTF-8 files with explicit types
// into plain tables of a new persisted file — what a load cannot beat, measured in the same run.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { exec, openStore } from '../store/db.ts';
import { columnsOf, type FileKind } from '../ingest/columns.ts';

function explicitTypes(kind: FileKind): string {
  return columnsOf(kind)
    .map((c) => `'${c.name}': '${c.kind.type === 'date' ? 'DATE' : c.kind.type === 'posint' ? 'INTEGER' : 'VARCHAR'}'`)
    .join(', ');
}

/** Reads 住民.csv and 異動履歴.csv of a UTF-8 package dir into tables of a fresh DuckDB file. */
export async function baselineLoad(packageDir: string, db: string): Promise<void> {
  await rm(db, { force: true });
  const store = await openStore(db);
  try {
    for (const kind of ['residents', 'history'] as const) {
      const file = path.join(packageDir, kind === 'history' ? '異動履歴.csv' : '住民.csv');
      // Columns in file order: history files put the history columns first, as the spec's header does.
      await exec(store.conn, `CREATE TABLE ${kind} AS SELECT * FROM read_csv($file, header = true, auto_detect = false,
        delim = ',', quote = '"', escape = '"', columns = {${explicitTypes(kind)}})`, { file });
    }
    await exec(store.conn, 'CHECKPOINT');
  } finally {
    store.close();
  }
}
