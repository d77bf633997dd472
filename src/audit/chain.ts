// The audit log's hash chain on disk: how an entry is hashed, reading entries back (streamed, or
// just the last one from the tail of the file), audit.head, and verifyAudit, which finds the first
// changed, missing, unreadable or trailing-deleted entry.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { AuditEntry } from './log.ts';
import { statePaths } from './state-dir.ts';

/** The prev of the first entry. */
export const ZERO_HASH = '0'.repeat(64);

/**
 * The canonical JSON of a value: object keys sorted recursively, undefined members left out.
 * @example canonicalJson({ b: 1, a: { d: [2], c: null } }) // '{"a":{"c":null,"d":[2]},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The hash of an entry: sha256 hex of its prev + the canonical JSON of the entry without `hash`.
 * @example entryHash({ seq: 1, at: '2024-04-01T09:00:00+09:00', user: 'tanaka', event: { type: 'login.ok' }, prev: ZERO_HASH })
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _, ...rest } = entry;
  return createHash('sha256').update(entry.prev + canonicalJson(rest)).digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * One line of audit.jsonl as an entry, or undefined when it is not valid JSON of the entry's shape.
 * @example parseEntry('{"seq":1,…}')?.seq // 1
 */
export function parseEntry(line: string): AuditEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const e = v as Record<string, unknown>;
  const event = e.event as Record<string, unknown> | null | undefined;
  const ok = Number.isSafeInteger(e.seq) && (e.seq as number) > 0
    && typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at))
    && typeof e.user === 'string'
    && (e.role === undefined || typeof e.role === 'string')
    && (e.ip === undefined || typeof e.ip === 'string')
    && event !== null && typeof event === 'object' && !Array.isArray(event) && typeof event.type === 'string'
    && typeof e.prev === 'string' && HEX64.test(e.prev)
    && typeof e.hash === 'string' && HEX64.test(e.hash);
  return ok ? (v as AuditEntry) : undefined;
}

/** audit.head: the seq and hash of the last entry appended. */
export interface Head {
  seq: number;
  hash: string;
}

function parseHead(text: string): Head | undefined {
  try {
    const v = JSON.parse(text) as Partial<Head>;
    if (Number.isSafeInteger(v.seq) && (v.seq as number) > 0 && typeof v.hash === 'string' && HEX64.test(v.hash)) return { seq: v.seq!, hash: v.hash };
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * audit.head, or undefined when it does not exist or cannot be read.
 * @example await readHead('/srv/juki-state/audit.head') // { seq: 42, hash: '…' }
 */
export async function readHead(file: string): Promise<Head | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseHead(text);
}

/**
 * The last readable entry of audit.jsonl, read from the end of the file (the whole file is read only
 * when no line near the end parses), with the file's size and whether it ends with a newline.
 * @example const { entry } = await readLastEntry(file); const next = (entry?.seq ?? 0) + 1;
 */
export async function readLastEntry(file: string): Promise<{ entry?: AuditEntry; size: number; endsWithNewline: boolean }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, endsWithNewline: true };
    throw e;
  }
  try {
    const size = (await handle.stat()).size;
    if (size === 0) return { size, endsWithNewline: true };
    let endsWithNewline = true;
    for (let chunk = 64 * 1024; ; chunk *= 4) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      endsWithNewline = buf[buf.length - 1] === 0x0a;
      const lines = buf.toString('utf8').split('\n');
      if (start > 0) lines.shift(); // may be the second half of a line
      for (let i = lines.length - 1; i >= 0; i--) {
        const entry = lines[i] ? parseEntry(lines[i]!) : undefined;
        if (entry) return { entry, size, endsWithNewline };
      }
      if (start === 0) return { size, endsWithNewline };
    }
  } finally {
    await handle.close();
  }
}

/** Every line of a file with its line number (1-based), streamed. */
async function* lines(file: string): AsyncGenerator<[number, string]> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) yield [++n, line];
}

/**
 * The readable entries of audit.jsonl, oldest first, streamed (unreadable lines are skipped; use
 * verifyAudit to find them). Nothing when the file does not exist.
 * @example for await (const e of readEntries(file)) console.log(e.seq);
 */
export async function* readEntries(file: string): AsyncGenerator<AuditEntry> {
  if (!(await stat(file).catch(() => undefined))) return;
  for await (const [, line] of lines(file)) {
    const entry = line ? parseEntry(line) : undefined;
    if (entry) yield entry;
  }
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; line: number; seq?: number; message: string };

/**
 * Checks the whole chain of a state directory's audit log and says where the first problem is: an
 * unreadable line, a changed entry (its hash), missing entries (a seq gap or a prev that is not the
 * entry before's hash), or entries deleted from the end (audit.head is further on).
 * @example const r = await verifyAudit(stateDir); if (!r.ok) console.error(r.message);
 */
export async function verifyAudit(dir: string): Promise<VerifyResult> {
  const paths = statePaths(dir);
  const headText = await readFile(paths.head, 'utf8').catch(() => undefined);
  const head = headText === undefined ? undefined : parseHead(headText);
  const exists = await stat(paths.audit).catch(() => undefined);
  const where = (line: number, seq?: number) => `監査ログ ${paths.audit} の ${line} 行目${seq === undefined ? '' : `（seq ${seq}）`}`;
  const fail = (entries: number, line: number, seq: number | undefined, what: string): VerifyResult =>
    ({ ok: false, entries, line, seq, message: `${where(line, seq)}: ${what}` });

  let count = 0;
  let last: { entry: AuditEntry; line: number } | undefined;
  let atHead: { entry: AuditEntry; line: number } | undefined;
  if (exists) {
    for await (const [n, line] of lines(paths.audit)) {
      const entry = line ? parseEntry(line) : undefined;
      const expected = (last?.entry.seq ?? 0) + 1;
      if (!entry) return fail(count, n, undefined, line ? '記録として読めません（JSON が壊れているか、項目が足りません）。' : '空行があります。');
      if (entryHash(entry) !== entry.hash) return fail(count, n, entry.seq, '記録が書き換えられています（ハッシュが一致しません）。');
      if (entry.seq > expected) {
        const gap = entry.seq - 1 === expected ? `seq ${expected}` : `seq ${expected}〜${entry.seq - 1}`;
        return fail(count, n, entry.seq, `この前の記録（${gap}）がありません。削除されています。`);
      }
      if (entry.seq < expected) return fail(count, n, entry.seq, `seq が前の記録（seq ${expected - 1}）の次になっていません。記録が並べ替えられたか複製されています。`);
      if (entry.prev !== (last?.entry.hash ?? ZERO_HASH)) {
        return fail(count, n, entry.seq, '前の記録とつながっていません（prev が前の記録のハッシュと違います）。前の記録が差し替えられています。');
      }
      last = { entry, line: n };
      if (head && entry.seq === head.seq) atHead = last;
      count++;
    }
  }
  const lastSeq = last?.entry.seq ?? 0;
  const after = (last?.line ?? 0) + 1;
  if (headText === undefined) {
    if (!last) return { ok: true, entries: 0 };
    return fail(count, after, undefined, `audit.head がありません（最後の記録は seq ${lastSeq}）。末尾の確認ができません。`);
  }
  if (!head) return fail(count, after, undefined, 'audit.head が壊れています（seq と hash が読めません）。');
  if (head.seq > lastSeq) {
    const gap = head.seq === lastSeq + 1 ? `seq ${head.seq}` : `seq ${lastSeq + 1}〜${head.seq}`;
    return fail(count, after, lastSeq + 1, `${exists ? '' : 'audit.jsonl がありません。'}末尾の記録（${gap}）がありません。削除されています（audit.head は seq ${head.seq} まで記録しています）。`);
  }
  if (!atHead || atHead.entry.hash !== head.hash) {
    const at = atHead ?? last!;
    return fail(count, at.line, at.entry.seq, `audit.head（seq ${head.seq}）と記録が一致しません。記録が差し替えられています。`);
  }
  if (head.seq < lastSeq) {
    return fail(count, atHead.line + 1, head.seq + 1,
      `audit.head は seq ${head.seq} までですが、記録は seq ${lastSeq} まであります。追記の途中で停止したか、後から書き足された記録です（次の追記で audit.head は最後の記録に合わせられます）。`);
  }
  return { ok: true, entries: count };
}
