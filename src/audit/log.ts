// The audit log (euc.md §6, style.md §9): a closed set of typed events, appended as JSON lines to
// <state>/audit.jsonl, each entry hash-chained to the one before, with <state>/audit.head holding the
// last seq and hash so that a deleted tail is detected too. The web server and the CLI append to
// the same chain (a lock file serialises them). Search and the standard analyses read it back.
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { nowJst } from '../reports/common/provenance.ts';
import { syncDir, withFileLock, writeFileAtomic } from './files.ts';
import { isRestDay } from './holidays.ts';
import { entryHash, readEntries, readHead, readLastEntry, ZERO_HASH } from './chain.ts';
import { statePaths } from './state-dir.ts';

export { canonicalJson, entryHash, verifyAudit, type VerifyResult } from './chain.ts';

export type AuditEvent =
  | { type: 'login.ok' }
  | { type: 'login.failed'; reason: 'password' | 'unknown_user' | 'locked' | 'disabled' }
  | { type: 'login.locked' }
  | { type: 'logout' }
  | { type: 'report.run'; report: 'nenpo' | 'zairyu'; params: Record<string, string>; ok: boolean }
  | { type: 'report.downloaded'; report: string; file: string; bytes: number }
  | { type: 'extract.previewed'; extract: string; params: Record<string, unknown>; purpose?: string; rows: number; persons?: number }
  | { type: 'extract.downloaded'; extract: string; format: 'xlsx' | 'csv' | 'csv-cp932'; params: Record<string, unknown>; purpose?: string; rows: number; bytes: number; persons?: number }
  | { type: 'extract.download_failed'; extract: string; format: string; params: Record<string, unknown>; purpose?: string; error: string; bytesSent?: number }
  | { type: 'access.denied'; path: string; needed: string }
  | { type: 'user.added' | 'user.password_changed' | 'user.disabled' | 'user.enabled'; target: string; role?: string; shien?: boolean }
  | { type: 'audit.viewed'; filter: Record<string, string> }
  // the wizard (issue #5): `extract` = the saved extract's id, or '(spec)' for a definition given directly
  | { type: 'wizard.previewed'; extract: string; title: string; specHash: string; params: Record<string, unknown>; purpose?: string; rows: number; persons?: number }
  | { type: 'wizard.downloaded'; extract: string; title: string; specHash: string; format: 'xlsx' | 'csv' | 'csv-cp932'; params: Record<string, unknown>; purpose?: string; rows: number; bytes: number; persons?: number }
  | { type: 'wizard.download_failed'; extract: string; title: string; specHash: string; format: string; params: Record<string, unknown>; purpose?: string; error: string; bytesSent?: number }
  | { type: 'extract.saved' | 'extract.updated'; id: string; name: string; owner: string; sharedWithRole: string | null; specHash: string }
  | { type: 'extract.deleted'; id: string; name: string; owner: string }
  | { type: 'extract.imported'; id: string; name: string; owner: string; specHash: string }
  // raw SQL (管理者): the statement as typed (it may mention personal columns, never personal values unless typed)
  | { type: 'sql.run'; sql: string; ok: boolean; rows?: number; ms?: number; error?: string };

export type AuditEventType = AuditEvent['type'];

/** Every event type, for validating a search filter. */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = [
  'login.ok', 'login.failed', 'login.locked', 'logout', 'report.run', 'report.downloaded',
  'extract.previewed', 'extract.downloaded', 'extract.download_failed', 'access.denied',
  'user.added', 'user.password_changed', 'user.disabled', 'user.enabled', 'audit.viewed',
  'wizard.previewed', 'wizard.downloaded', 'wizard.download_failed',
  'extract.saved', 'extract.updated', 'extract.deleted', 'extract.imported', 'sql.run',
];

export interface AuditEntry {
  seq: number;
  /** ISO with +09:00 */
  at: string;
  user: string;
  role?: string;
  ip?: string;
  event: AuditEvent;
  /** hash of the entry before (64 zeros for the first) */
  prev: string;
  /** sha256 hex of prev + canonical JSON of the entry without hash */
  hash: string;
}

export interface AuditFilter {
  /** 'YYYY-MM-DD' (from the start of that day, JST) or an ISO date-time */
  from?: string;
  /** 'YYYY-MM-DD' (to the end of that day, JST) or an ISO date-time */
  to?: string;
  user?: string;
  /** an event type ('login.failed') or its group ('login') */
  type?: string;
  /** newest entries kept (default 1000) */
  limit?: number;
}

export interface AuditAnalyses {
  /** 22:00–06:00 JST, newest first */
  lateNight: AuditEntry[];
  /** Saturdays, Sundays and holidays (振替休日, 国民の休日 included), JST, newest first */
  holiday: AuditEntry[];
  /** login.failed by attempted user id, most failures first */
  failedLogins: { user: string; count: number; last: string }[];
  /** extracts (standard or wizard) previewed or downloaded with persons ≥ 1000 or rows ≥ 100000, newest first */
  largeExtractions: AuditEntry[];
}

/** A bad search filter; the message is for the user. */
export class AuditFilterError extends Error {}

/** Epoch ms of a filter bound; a bare date means the start of that day (from) or of the next (to). */
function bound(value: string | undefined, which: 'from' | 'to'): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(`${value}T00:00:00+09:00`);
    if (Number.isNaN(t) || new Date(t + 9 * 3600_000).toISOString().slice(0, 10) !== value) throw new AuditFilterError(`日付が正しくありません: ${value}`);
    return which === 'from' ? t : t + 86_400_000;
  }
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}+09:00`) : NaN;
  if (Number.isNaN(t)) throw new AuditFilterError(`日付は YYYY-MM-DD または YYYY-MM-DDTHH:MM の形で指定してください: ${value}`);
  return which === 'from' ? t : t + 1;
}

/**
 * Whether an event type matches a filter type: the type itself or its group before the dot.
 * @example typeMatches('login.failed', 'login') // true
 */
export function typeMatches(type: string, filter: string): boolean {
  return type === filter || (!filter.includes('.') && type.startsWith(`${filter}.`));
}

/** Checks a filter type: a known event type or group. */
function checkType(type: string | undefined): void {
  if (!type) return;
  if (!AUDIT_EVENT_TYPES.some((t) => typeMatches(t, type))) {
    throw new AuditFilterError(`種類「${type}」はありません。次のいずれか（または login などの前半）です: ${AUDIT_EVENT_TYPES.join(', ')}`);
  }
}

/** The JST calendar date and hour of an entry's time. */
function jst(at: string): { date: string; hour: number } {
  const shifted = new Date(Date.parse(at) + 9 * 3600_000).toISOString();
  return { date: shifted.slice(0, 10), hour: Number(shifted.slice(11, 13)) };
}

/** Saturday, Sunday or a holiday; outside the years holidays are computed for, weekends only. */
function restDay(date: string): boolean {
  try {
    return isRestDay(date);
  } catch {
    const w = new Date(`${date}T00:00:00Z`).getUTCDay();
    return w === 0 || w === 6;
  }
}

/** Keeps the newest `limit` items of a stream (items arrive oldest first). */
class Newest<T> {
  readonly items: T[] = [];
  constructor(private readonly limit: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.limit * 2) this.items.splice(0, this.items.length - this.limit);
  }
  result(): T[] {
    return this.limit > 0 ? this.items.slice(-this.limit).reverse() : [];
  }
}

export interface AuditLogOptions {
  /** clock (tests) */
  now?: () => Date;
  /** how long to wait for another process's append (default 5 s) */
  lockTimeoutMs?: number;
}

/**
 * The audit log of a state directory. Appends are serialised in this process (a promise queue) and
 * across processes (<dir>/audit.lock); each is fsynced before append() resolves.
 * @example const audit = new AuditLog(stateDir); await audit.append({ user: 'tanaka', ip }, { type: 'login.ok' });
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly paths: ReturnType<typeof statePaths>;

  constructor(readonly dir: string, private readonly opts: AuditLogOptions = {}) {
    this.paths = statePaths(dir);
  }

  /**
   * Appends one entry, chained to the last entry of the file (or to audit.head when that is further
   * on, so that entries deleted from the end stay detectable), and returns it.
   * @example await audit.append({ user: '(cli)' }, { type: 'user.added', target: 'tanaka', role: '閲覧者' });
   */
  append(who: { user: string; role?: string; ip?: string }, event: AuditEvent): Promise<AuditEntry> {
    const run = this.queue.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      return withFileLock(path.join(this.dir, 'audit.lock'), () => this.appendLocked(who, event), { timeoutMs: this.opts.lockTimeoutMs });
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async appendLocked(who: { user: string; role?: string; ip?: string }, event: AuditEvent): Promise<AuditEntry> {
    const { entry: last, endsWithNewline, size } = await readLastEntry(this.paths.audit);
    const head = await readHead(this.paths.head);
    const base = head && (!last || head.seq >= last.seq) ? head : last ? { seq: last.seq, hash: last.hash } : undefined;
    const unhashed: Omit<AuditEntry, 'hash'> = {
      seq: (base?.seq ?? 0) + 1,
      at: nowJst(this.opts.now?.() ?? new Date()),
      user: who.user,
      role: who.role,
      ip: who.ip,
      event,
      prev: base?.hash ?? ZERO_HASH,
    };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
    // A line cut short by a crash stays as it is (verify reports it); the new entry starts a new line.
    const line = `${size > 0 && !endsWithNewline ? '\n' : ''}${JSON.stringify(entry)}\n`;
    const handle = await open(this.paths.audit, 'a', 0o600);
    try {
      await handle.write(line);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (size === 0) await syncDir(this.dir);
    await writeFileAtomic(this.paths.head, `${JSON.stringify({ seq: entry.seq, hash: entry.hash })}\n`, 0o600);
    return entry;
  }

  /**
   * Entries matching a filter, newest first (at most `limit`, default 1000). Throws AuditFilterError
   * for a bad date or an unknown type.
   * @example await audit.search({ from: '2024-04-01', to: '2024-04-30', type: 'login.failed' })
   */
  async search(f: AuditFilter): Promise<AuditEntry[]> {
    const from = bound(f.from, 'from');
    const to = bound(f.to, 'to');
    checkType(f.type);
    const out = new Newest<AuditEntry>(f.limit ?? 1000);
    for await (const entry of readEntries(this.paths.audit)) {
      const t = Date.parse(entry.at);
      if (from !== undefined && t < from) continue;
      if (to !== undefined && t >= to) continue;
      if (f.user && entry.user !== f.user) continue;
      if (f.type && !typeMatches(entry.event.type, f.type)) continue;
      out.push(entry);
    }
    return out.result();
  }

  /**
   * The standard analyses of euc.md §6 over the whole log: late-night and holiday use, failed logins
   * by user, large extractions. Each list holds the newest `limit` entries (default 1000).
   * @example const { failedLogins } = await audit.analyses();
   */
  async analyses(opts: { limit?: number; largePersons?: number; largeRows?: number } = {}): Promise<AuditAnalyses> {
    const limit = opts.limit ?? 1000;
    const largePersons = opts.largePersons ?? 1000;
    const largeRows = opts.largeRows ?? 100_000;
    const lateNight = new Newest<AuditEntry>(limit);
    const holiday = new Newest<AuditEntry>(limit);
    const large = new Newest<AuditEntry>(limit);
    const failed = new Map<string, { user: string; count: number; last: string }>();
    for await (const entry of readEntries(this.paths.audit)) {
      const { date, hour } = jst(entry.at);
      if (hour >= 22 || hour < 6) lateNight.push(entry);
      if (restDay(date)) holiday.push(entry);
      const e = entry.event;
      if (e.type === 'login.failed') {
        const f = failed.get(entry.user) ?? { user: entry.user, count: 0, last: entry.at };
        f.count++;
        f.last = entry.at;
        failed.set(entry.user, f);
      }
      if ((e.type === 'extract.previewed' || e.type === 'extract.downloaded' || e.type === 'wizard.previewed' || e.type === 'wizard.downloaded')
        && ((e.persons ?? 0) >= largePersons || e.rows >= largeRows)) {
        large.push(entry);
      }
    }
    const failedLogins = [...failed.values()].sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
    return { lateNight: lateNight.result(), holiday: holiday.result(), failedLogins, largeExtractions: large.result() };
  }

}
