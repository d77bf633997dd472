// Opens the store for a report: read-only (several reports and the web server may read at once),
// with a clear message when the file does not exist yet.
import { existsSync } from 'node:fs';
import { openStore, type Store } from '../../store/db.ts';

/**
 * The store opened read-only; throws a message a statistician can act on when it is missing.
 * @example const store = await openReportStore('juki.duckdb'); try { … } finally { store.close(); }
 */
export async function openReportStore(db: string): Promise<Store> {
  if (!existsSync(db)) throw new Error(`ストア ${db} がありません。先に juki load でスナップショットを取り込んでください。`);
  return openStore(db, { readOnly: true });
}
