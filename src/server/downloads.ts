// Finished export files waiting to be fetched: each is built completely into the state folder
// first (a failure never becomes a truncated "successful" download), fetched once by the user
// who made it, then deleted; unfetched files expire.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { settings } from '../settings.ts';

export interface PendingDownload {
  token: string;
  file: string;
  fileName: string;
  contentType: string;
  userId: string;
  bytes: number;
  expires: number;
  /** called once: with the bytes sent, and whether the whole file went out */
  onDone: (sent: number, complete: boolean) => void;
}

export class Downloads {
  private pending = new Map<string, PendingDownload>();
  private timer: NodeJS.Timeout;

  constructor(readonly dir: string) {
    this.timer = setInterval(() => void this.expire(), 60_000);
    this.timer.unref();
  }

  /** A fresh path in the exports folder for a file being built. */
  async newFile(ext: string): Promise<{ token: string; file: string }> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const token = randomBytes(24).toString('base64url');
    return { token, file: path.join(this.dir, `${token}.${ext}`) };
  }

  /**
   * Makes a built file fetchable at /api/downloads/<token>.
   * @example downloads.register({ token, file, fileName: '町丁字別人口.xlsx', contentType, userId, onDone })
   */
  async register(d: Omit<PendingDownload, 'expires' | 'bytes'>): Promise<PendingDownload> {
    const bytes = (await stat(d.file)).size;
    const entry: PendingDownload = { ...d, bytes, expires: Date.now() + settings.downloadTtlMinutes * 60_000 };
    this.pending.set(d.token, entry);
    return entry;
  }

  /** Takes a download for sending (it can be fetched once), or undefined for another user / unknown token. */
  take(token: string, userId: string): PendingDownload | undefined {
    const d = this.pending.get(token);
    if (!d || d.userId !== userId || d.expires < Date.now()) return undefined;
    this.pending.delete(token);
    return d;
  }

  /** The file as a web stream that reports how much was sent, then deletes the file. */
  stream(d: PendingDownload): ReadableStream<Uint8Array> {
    let sent = 0;
    let finished = false;
    const finish = (complete: boolean) => {
      if (finished) return;
      finished = true;
      d.onDone(sent, complete);
      void rm(d.file, { force: true });
    };
    const source = createReadStream(d.file, { highWaterMark: 256 * 1024 });
    const iterator = source[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) {
            controller.close();
            finish(sent === d.bytes);
            return;
          }
          const chunk = value as Buffer;
          sent += chunk.length;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        } catch (err) {
          controller.error(err);
          finish(false);
        }
      },
      cancel() {
        source.destroy();
        finish(false);
      },
    });
  }

  /** Deletes expired files. */
  async expire(): Promise<void> {
    const now = Date.now();
    for (const [token, d] of this.pending) {
      if (d.expires < now) {
        this.pending.delete(token);
        await rm(d.file, { force: true });
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** The MIME type of each download format. */
export const CONTENT_TYPE = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  'csv-cp932': 'text/csv; charset=Shift_JIS',
} as const;

/** Content-Disposition for a Japanese file name (RFC 6266 / 5987), with an ASCII fallback. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
