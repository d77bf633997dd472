// Opening a package's data files: the package folder or .zip, file lookup, header reading, hashing, CP932 → UTF-8.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import yauzl from 'yauzl';
import { LoadRejected, type Problem } from './problems.ts';
import { FILE_NAMES, type FileKind } from './columns.ts';

export type Encoding = 'UTF-8' | 'CP932';

export interface OpenedPackage {
  /** Folder holding manifest.json. */
  dir: string;
  cleanup(): Promise<void>;
}

/** Opens a package folder, or extracts a .zip into a private temp folder (never outside it). */
export async function openPackage(source: string): Promise<OpenedPackage> {
  const info = await stat(source);
  if (info.isDirectory()) return { dir: await findManifestDir(source), cleanup: async () => {} };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'juki-pkg-'));
  try {
    await extractZip(source, tmp);
    return { dir: await findManifestDir(tmp), cleanup: () => rm(tmp, { recursive: true, force: true }) };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    // A broken or malicious .zip is bad input like any other: rejected (CLI exit 2) with a Japanese
    // message, not an internal error. yauzl's own messages (e.g. "invalid relative path") are English.
    if (e instanceof ZipError) throw new LoadRejected([{ file: path.basename(source), message: e.message }]);
    throw e;
  }
}

/** A .zip that cannot be read or holds an unsafe entry name. */
class ZipError extends Error {}

async function findManifestDir(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === 'manifest.json')) return dir;
  const subdirs = entries.filter((e) => e.isDirectory());
  if (subdirs.length === 1) {
    const inner = path.join(dir, subdirs[0]!.name);
    const innerEntries = await readdir(inner);
    if (innerEntries.includes('manifest.json')) return inner;
  }
  return dir;
}

function extractZip(zipFile: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(new ZipError(`ZIP として開けません（${err?.message ?? ''}）`));
      zip.on('error', (e: Error) => reject(new ZipError(`ZIP として読めないか、不正なパスの項目があります（${e.message}）`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const dest = path.resolve(target, entry.fileName);
        if (!dest.startsWith(target + path.sep)) {
          zip.close();
          return reject(new ZipError(`ZIP の中のパスが不正です: ${entry.fileName}`));
        }
        if (entry.fileName.endsWith('/')) {
          mkdir(dest, { recursive: true }).then(() => zip.readEntry(), reject);
          return;
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return reject(e2);
          mkdir(path.dirname(dest), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(dest)))
            .then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  });
}

export interface DataFile {
  kind: FileKind;
  /** The name in the package (住民.csv or 住民.parquet), as the manifest lists it. */
  name: string;
  path: string;
  format: 'csv' | 'parquet';
}

/** Finds 住民 / 異動履歴 as .csv or .parquet. */
export async function findDataFiles(dir: string): Promise<{ files: DataFile[]; problems: Problem[] }> {
  const names = new Set(await readdir(dir));
  const files: DataFile[] = [];
  const problems: Problem[] = [];
  for (const kind of ['residents', 'history'] as const) {
    const base = FILE_NAMES[kind];
    const csv = `${base}.csv`;
    const parquet = `${base}.parquet`;
    if (names.has(csv)) files.push({ kind, name: csv, path: path.join(dir, csv), format: 'csv' });
    else if (names.has(parquet)) files.push({ kind, name: parquet, path: path.join(dir, parquet), format: 'parquet' });
    else problems.push({ file: csv, message: `${csv}（または ${parquet}）がパッケージにありません` });
  }
  return { files, problems };
}

/**
 * Reads the header row of a CSV in the declared encoding. Returns the column names, or a problem
 * that says what is wrong (including a hint when the file looks like the other encoding).
 */
export async function readCsvHeader(file: string, fileName: string, encoding: Encoding): Promise<{ header?: string[]; problem?: Problem }> {
  const handle = await open(file, 'r');
  const buf = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
  await handle.close();
  let bytes = buf.subarray(0, bytesRead);
  const nl = bytes.indexOf(0x0a);
  if (nl < 0 && bytesRead === buf.length) return { problem: { file: fileName, line: 1, message: 'ヘッダー行が長すぎるか、改行がありません' } };
  bytes = bytes.subarray(0, nl < 0 ? bytesRead : nl);
  if (bytes.length === 0) return { problem: { file: fileName, line: 1, message: 'ファイルが空です（ヘッダー行がありません）' } };
  let text: string;
  try {
    text = decode(bytes, encoding);
  } catch {
    const other: Encoding = encoding === 'UTF-8' ? 'CP932' : 'UTF-8';
    let hint = '';
    try {
      decode(bytes, other);
      hint = `（${other} のようです。manifest.json の encoding を確認してください）`;
    } catch {
      /* neither */
    }
    return { problem: { file: fileName, line: 1, message: `${encoding} として読めません${hint}` } };
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, '').replace(/\r$/, ''), { header: false });
  const header = (parsed.data[0] ?? []).map((h) => h.trim());
  return { header };
}

function decode(bytes: Uint8Array, encoding: Encoding): string {
  return new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'shift_jis', { fatal: true }).decode(bytes);
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), async function* (source) {
    for await (const chunk of source) hash.update(chunk as Buffer);
  });
  return hash.digest('hex');
}

export class DecodeError extends Error {
  constructor(readonly line: number) {
    super(`CP932 として読めないバイト列があります（${line}行目）`);
  }
}

/**
 * Streams a CP932 file into a UTF-8 file, hashing the original bytes on the way.
 * Throws DecodeError with the line number of the first undecodable line.
 * CP932's user-defined area (F040–F9FC, 外字) decodes to the private-use area U+E000–U+E757.
 */
export async function transcodeCp932(src: string, dest: string): Promise<{ sha256: string }> {
  const hash = createHash('sha256');
  let decoder = new TextDecoder('shift_jis', { fatal: true });
  let linesBefore = 0;
  // The bytes of the line the previous chunk ended in (no newline yet). A chunk boundary can split a
  // character, so an error is located by decoding whole lines: that line's start plus this chunk.
  // (Scanning the chunk alone named the boundary line whenever a split character's trail byte was
  // itself a lead byte, e.g. ン = 83 93 followed by a comma.)
  let carry = Buffer.alloc(0);
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      try {
        done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
      } catch {
        done(new DecodeError(linesBefore + firstBadLine(Buffer.concat([carry, chunk]))));
        return;
      }
      // Line count of complete chunks, for locating a later error. Trail bytes are never 0x0A.
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) linesBefore++;
      const lastNewline = chunk.lastIndexOf(0x0a);
      carry = lastNewline < 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.subarray(lastNewline + 1));
    },
    flush(done) {
      try {
        const rest = decoder.decode();
        done(null, rest ? Buffer.from(rest, 'utf8') : undefined);
      } catch {
        done(new DecodeError(linesBefore + 1));
      }
    },
  });
  await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), transform, createWriteStream(dest));
  decoder = new TextDecoder('shift_jis', { fatal: true });
  return { sha256: hash.digest('hex') };
}

/** 1-based line (within the chunk) of the first line that does not decode on its own. */
function firstBadLine(chunk: Buffer): number {
  let start = 0;
  let line = 1;
  for (;;) {
    const end = chunk.indexOf(0x0a, start);
    const piece = chunk.subarray(start, end < 0 ? chunk.length : end);
    try {
      new TextDecoder('shift_jis', { fatal: true }).decode(piece);
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = end + 1;
    line++;
  }
}
