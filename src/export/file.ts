// Atomic output file for the writers: a write stream on `<file>.tmp-<random>` with backpressure,
// renamed onto the target on success and removed on failure (no half-written download is ever served).
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';

/**
 * A temporary file that becomes `file` only when complete.
 *
 * @example
 * const out = TempFile.open('/state/exports/a.csv');
 * try { await out.write(Buffer.from('a\r\n')); return await out.commit(); } // bytes
 * catch (e) { await out.abort(); throw e; }
 */
export class TempFile {
  readonly path: string;
  readonly stream: WriteStream;
  /** Rejects with the stream's first error (for racing against work that would otherwise wait forever). */
  readonly failed: Promise<never>;
  private failure: Error | undefined;

  private constructor(readonly file: string) {
    this.path = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    this.stream = createWriteStream(this.path, { flags: 'wx' });
    // Always listen: an unhandled 'error' (ENOSPC, EACCES …) would otherwise crash the server.
    let fail: (e: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    this.failed.catch(() => undefined);
    this.stream.on('error', (e) => {
      this.failure ??= e;
      fail(e);
    });
  }

  /** Creates the temp file next to `file` (opened exclusively). */
  static open(file: string): TempFile {
    return new TempFile(file);
  }

  /** Throws the stream's error, if one happened. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Writes a buffer, waiting for 'drain' when the stream's buffer is full. */
  async write(buf: Uint8Array): Promise<void> {
    this.check();
    if (buf.length === 0) return;
    if (!this.stream.write(buf)) await this.drained();
  }

  /** Resolves on 'drain' (or rejects on an error / early close). */
  drained(): Promise<void> {
    this.check();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        if (this.failure) reject(this.failure);
        else if (this.stream.destroyed && !this.stream.writableFinished) reject(new Error('出力ファイルが途中で閉じられました。'));
        else resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }

  /** Resolves when the stream has closed its descriptor. */
  closed(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => this.stream.once('close', () => resolve()));
  }

  /** Ends the stream (unless someone else ends it, e.g. exceljs), renames onto `file`; returns the file size. */
  async commit(opts: { endedElsewhere?: boolean } = {}): Promise<number> {
    if (!opts.endedElsewhere) {
      this.check();
      this.stream.end();
    }
    await this.closed();
    this.check();
    await rename(this.path, this.file);
    return (await stat(this.file)).size;
  }

  /** Destroys the stream and removes the temp file (errors while cleaning up are ignored). */
  async abort(): Promise<void> {
    if (!this.stream.closed) {
      const closed = this.closed();
      this.stream.destroy();
      await closed;
    }
    await unlink(this.path).catch(() => undefined);
  }
}
