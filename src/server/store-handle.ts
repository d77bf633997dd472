// The web server's view of the store: opened read-only, reopened when a load has renamed a new
// store file into place (src/store/swap.ts), each query on its own connection with a time limit.
// Requests already running finish on the snapshot they started with; the old file is closed after.
import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openStore, type Store } from '../store/db.ts';
import { settings } from '../settings.ts';
import { cacheHelperNames } from '../euc/helpers.ts';

/** A query that ran past its time limit and was interrupted. */
export class QueryTimeout extends Error {
  constructor(ms: number) {
    super(`処理が制限時間（${Math.round(ms / 1000)} 秒）を超えたため中止しました。条件を絞って実行してください。`);
  }
}

/** The store file does not exist yet (nothing loaded). */
export class StoreMissing extends Error {
  constructor(db: string) {
    super(`ストア ${db} がまだありません。juki load でスナップショットを取り込んでください。`);
  }
}

interface Opened {
  store: Store;
  /** inode + mtime of the file when opened: a load's rename changes the inode */
  identity: string;
  users: number;
  retired: boolean;
}

function identityOf(file: string): string | undefined {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The name the store file is attached under. */
export const STORE_ALIAS = 'juki';

export class StoreHandle {
  private current: Opened | undefined;
  private opening: Promise<Opened> | undefined;

  constructor(readonly db: string, private readonly defaultTimeoutMs = settings.queryTimeoutMs) {}

  /**
   * Runs `fn` on a fresh read-only connection to the newest store file; interrupts it after `timeoutMs`.
   * @example const n = await handle.use((conn) => one(conn, 'SELECT count(*) AS n FROM history'));
   */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    const opened = await this.acquire();
    opened.users++;
    let conn: DuckDBConnection | undefined;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    try {
      conn = await opened.store.instance.connect();
      await conn.run(`USE ${STORE_ALIAS}`);
      const c = conn;
      timer = setTimeout(() => {
        timedOut = true;
        c.interrupt();
      }, timeoutMs);
      return await fn(c);
    } catch (err) {
      if (timedOut) throw new QueryTimeout(timeoutMs);
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      conn?.closeSync();
      opened.users--;
      this.closeIfRetired(opened);
    }
  }

  /** The identity (inode) of the snapshot file currently served, for tests and the home page. */
  get openedIdentity(): string | undefined {
    return this.current?.identity;
  }

  private async acquire(): Promise<Opened> {
    const identity = identityOf(this.db);
    if (identity === undefined) throw new StoreMissing(this.db);
    if (this.current && this.current.identity === identity) return this.current;
    if (!this.opening) {
      this.opening = (async () => {
        // An in-memory instance with the store attached read-only: the store cannot change, while the
        // instance's own memory database holds what is derived once per snapshot (src/euc/helpers.ts).
        const store = await openStore(':memory:');
        try {
          await store.conn.run(`ATTACH '${this.db.replace(/'/g, "''")}' AS ${STORE_ALIAS} (READ_ONLY)`);
          await store.conn.run(`USE ${STORE_ALIAS}`);
          // every connection of this instance: Japan's calendar days; the server never reads files or
          // the network through DuckDB (raw SQL included), and nobody can change that afterwards
          await store.conn.run("SET GLOBAL TimeZone = 'Asia/Tokyo'");
          await cacheHelperNames(store.conn);
          await store.conn.run('SET enable_external_access = false');
          await store.conn.run('SET lock_configuration = true');
        } catch (err) {
          store.close();
          throw err;
        }
        const next: Opened = { store, identity, users: 0, retired: false };
        const previous = this.current;
        this.current = next;
        if (previous) {
          previous.retired = true;
          this.closeIfRetired(previous);
        }
        return next;
      })().finally(() => {
        this.opening = undefined;
      });
      // a failure is reported to the requests waiting for it (below), never left unhandled
      this.opening.catch(() => {});
    }
    // While a new snapshot is being prepared (its derived names take seconds at a city's scale),
    // requests keep being answered from the old one; only the very first open is waited for.
    if (this.current) return this.current;
    return this.opening;
  }

  private closeIfRetired(opened: Opened): void {
    if (opened.retired && opened.users === 0) {
      opened.retired = false;
      opened.store.close();
    }
  }

  /** Closes the store (server shutdown). */
  close(): void {
    if (this.current) {
      if (this.current.users === 0) this.current.store.close();
      else this.current.retired = true;
      this.current = undefined;
    }
  }
}
