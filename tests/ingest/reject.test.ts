// Every rejection of snapshot-format.md: a bad package gets a clear Japanese message (file, line,
// column, value, what was expected) and changes nothing — the store file keeps its exact bytes and
// nothing is left beside it. Each case edits one thing of the みほん町 package.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bigPackage, clonePackage, editManifest, encodeCp932, findRow, HISTORY_CSV, mihon, RESIDENTS_CSV, removeTempDirs, sha256, tempDir,
  toCsv, truncateFile, writePackage, type PackageData, type Row,
} from '../helpers/package.ts';
import { expectProblem, leftovers, load, loadRejected, storeHash } from '../helpers/store.ts';

let base: PackageData;
let baseStore: string;
let baseHash: string;

beforeAll(async () => {
  base = await mihon('UTF-8');
  baseStore = path.join(await tempDir('reject-base'), 'base.duckdb');
  await load(path.join(await writePackage(await tempDir('pkg'), base)), baseStore);
  baseHash = await storeHash(baseStore);
});
afterAll(removeTempDirs);

/** A copy of the loaded store in its own folder, so leftovers are this case's own. */
async function storeCopy(): Promise<string> {
  const db = path.join(await tempDir('reject'), 'juki.duckdb');
  await copyFile(baseStore, db);
  return db;
}

/** Writes an edited みほん町 package; `edit` changes the data, `after` changes the written files. */
async function badPackage(edit: (d: PackageData) => void, after?: (dir: string) => Promise<void>): Promise<string> {
  const d = clonePackage(base);
  edit(d);
  const dir = await writePackage(await tempDir('pkg'), d);
  if (after) await after(dir);
  return dir;
}

/**
 * Loads `dir` into a copy of the store: rejected, the copy byte-for-byte unchanged, nothing left
 * beside it. With `fresh`, also into a path with no store yet: rejected, no store created.
 */
async function rejectsUnchanged(dir: string, opts: { fresh?: boolean } = {}) {
  const db = await storeCopy();
  const rejected = await loadRejected(dir, db);
  expect(await storeHash(db)).toBe(baseHash);
  expect(await leftovers(db)).toEqual([]);
  if (opts.fresh) {
    const fresh = path.join(await tempDir('reject-fresh'), 'new.duckdb');
    const again = await loadRejected(dir, fresh);
    expect(await storeHash(fresh)).toBe('absent');
    expect(await leftovers(fresh)).toEqual([]);
    // Against the store there can be more to say (rows that differ from loaded ones), never less.
    expect(rejected.problems).toEqual(expect.arrayContaining(again.problems));
  }
  return rejected;
}

/** File line of a history row: the header is line 1. */
const historyLine = (d: PackageData, row: Row) => d.history.indexOf(row) + 2;
const residentsLine = (d: PackageData, row: Row) => d.residents.indexOf(row) + 2;

describe('rejections: encoding', () => {
  it('CP932 files under a manifest that says UTF-8', async () => {
    const dir = await badPackage((d) => {
      d.manifest.encoding = 'CP932';
    }, async (dir) => editManifest(dir, (m) => { m.encoding = 'UTF-8'; }));
    const r = await rejectsUnchanged(dir, { fresh: true });
    expectProblem(r, { file: RESIDENTS_CSV, line: 1, message: 'UTF-8 として読めません（CP932 のようです。manifest.json の encoding を確認してください）' });
    expectProblem(r, { file: HISTORY_CSV, line: 1, message: 'UTF-8 として読めません' });
  });

  it('UTF-8 files under a manifest that says CP932', async () => {
    const dir = await badPackage(() => {}, async (dir) => editManifest(dir, (m) => { m.encoding = 'CP932'; }));
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line: 1, message: /CP932 として読めません/ });
  });

  it('one CP932 line inside a UTF-8 file: names the line once, later lines keep their numbers', async () => {
    const d = clonePackage(base);
    d.history[48]!.性別 = '3'; // line 50
    const dir = await writePackage(await tempDir('pkg'), d);
    // Re-encode line 31 of 異動履歴.csv (a row with kanji) as CP932, then re-sign.
    const file = path.join(dir, HISTORY_CSV);
    const lines = (await readFile(file, 'utf8')).split('\r\n');
    const target = 30;
    expect(lines[target]).toMatch(/[一-龯]/);
    const bytes = Buffer.concat(lines.map((l, i) => Buffer.concat([i === target ? encodeCp932(l) : Buffer.from(l, 'utf8'), Buffer.from(i < lines.length - 1 ? '\r\n' : '')])));
    await writeFile(file, bytes);
    await editManifest(dir, (m) => { m.files[HISTORY_CSV]!.sha256 = sha256(bytes); });
    const r = await rejectsUnchanged(dir);
    // One problem for the line (DuckDB reports each non-ASCII cell), listing the columns.
    const p = expectProblem(r, { file: HISTORY_CSV, line: target + 1, message: /UTF-8 として読めない文字があります/ });
    expect(p.column).toMatch(/^異動事由、異動事由詳細、/);
    expectProblem(r, { file: HISTORY_CSV, line: 50, column: '性別', value: '3', message: '男 / 女 / 1 / 2 のいずれかが必要です' });
    expect(r.problems).toHaveLength(2); // the rejected line still counts once for the manifest's rows
  });

  it('an undecodable byte in a CP932 file: names the line', async () => {
    const d = clonePackage(base);
    d.manifest.encoding = 'CP932';
    const dir = await writePackage(await tempDir('pkg'), d);
    const file = path.join(dir, RESIDENTS_CSV);
    const bytes = await readFile(file);
    // Line 11 (row 10): replace its first byte with 0x85 0x40, unassigned in CP932.
    let pos = 0;
    for (let line = 1; line < 11; line++) pos = bytes.indexOf(0x0a, pos) + 1;
    const broken = Buffer.concat([bytes.subarray(0, pos), Buffer.from([0x85, 0x40]), bytes.subarray(pos)]);
    await writeFile(file, broken);
    await editManifest(dir, (m) => { m.files[RESIDENTS_CSV]!.sha256 = sha256(broken); });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line: 11, message: 'CP932 として読めないバイト列があります' });
    expect(r.problems).toHaveLength(1); // nothing about the rows after the bad bytes
  });

  it('an undecodable byte past the first 1 MiB read, after a character split by the read boundary', async () => {
    // The loader reads 1 MiB at a time. Put ン (83 93) followed by a comma across the boundary — the
    // trail byte 93 is also a lead byte, so "93 2C" alone does not decode — and the bad bytes 100
    // lines further on. The line named must be the one with the bad bytes.
    const MiB = 1 << 20;
    const d = bigPackage(base, 60);
    d.manifest.encoding = 'CP932';
    const encode = () => encodeCp932(toCsv(d.historyHeader, d.history, d.eol));
    const lineStart = (bytes: Buffer, line: number) => {
      let p = 0;
      for (let l = 1; l < line; l++) p = bytes.indexOf(0x0a, p) + 1;
      return p;
    };
    let bytes = encode();
    let line = 1;
    while (lineStart(bytes, line + 2) < MiB) line++; // line + 1 spans the boundary; use the one before it
    const row = d.history[line - 2]!;
    row.氏名 = '';
    row.氏名カナ = 'ン';
    bytes = encode();
    const at = bytes.indexOf(Buffer.from([0x83, 0x93, 0x2c]), lineStart(bytes, line));
    row.氏名 = 'x'.repeat(MiB - 1 - at); // ASCII padding moves ン onto the boundary
    bytes = encode();
    expect([bytes[MiB - 1], bytes[MiB], bytes[MiB + 1]]).toEqual([0x83, 0x93, 0x2c]);
    const badLine = line + 100;
    const cut = lineStart(bytes, badLine);
    const broken = Buffer.concat([bytes.subarray(0, cut), Buffer.from([0x85, 0x40]), bytes.subarray(cut)]);
    const dir = await writePackage(await tempDir('pkg'), d);
    await writeFile(path.join(dir, HISTORY_CSV), broken);
    await editManifest(dir, (m) => { m.files[HISTORY_CSV]!.sha256 = sha256(broken); });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line: badLine, message: 'CP932 として読めないバイト列があります' });
    expect(r.problems).toHaveLength(1);
  });
});

describe('rejections: transfer', () => {
  it('a truncated file: sha256 and row count differ, the cut line is named', async () => {
    const dir = await badPackage(() => {}, async (dir) => {
      const size = (await readFile(path.join(dir, HISTORY_CSV))).length;
      await truncateFile(dir, HISTORY_CSV, size - 200); // inside the last row
    });
    const r = await rejectsUnchanged(dir, { fresh: true });
    expectProblem(r, { file: HISTORY_CSV, message: /sha256 が manifest.json と一致しません.*転送が途中で切れていませんか/ });
    expectProblem(r, { file: HISTORY_CSV, line: 86, message: '列が足りません（ヘッダーは 42 列）。ファイルが途中で切れていませんか' });
  });

  it('a file cut at a line end: the row count names both numbers', async () => {
    const dir = await badPackage(() => {}, async (dir) => {
      const bytes = await readFile(path.join(dir, RESIDENTS_CSV));
      const cut = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1; // drop the last line whole
      await truncateFile(dir, RESIDENTS_CSV, cut);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, message: /sha256 が manifest.json と一致しません/ });
    expectProblem(r, { file: RESIDENTS_CSV, message: '行数が manifest.json と一致しません（manifest: 45、ファイル: 44）' });
  });

  it('sha256 mismatch alone (a changed byte)', async () => {
    const dir = await badPackage(() => {}, async (dir) => editManifest(dir, (m) => {
      m.files[RESIDENTS_CSV]!.sha256 = '0'.repeat(64);
    }));
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, message: 'sha256 が manifest.json と一致しません（manifest: 000000000000…' });
    expect(r.problems).toHaveLength(1);
  });

  it('row count mismatch alone', async () => {
    const dir = await badPackage(() => {}, async (dir) => editManifest(dir, (m) => { m.files[HISTORY_CSV]!.rows = 84; }));
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, message: '行数が manifest.json と一致しません（manifest: 84、ファイル: 85）' });
    expect(r.problems).toHaveLength(1);
  });
});

describe('rejections: manifest and files', () => {
  it('a municipality code with a wrong check digit', async () => {
    const dir = await badPackage((d) => { d.manifest.municipalityCode = '013855'; });
    const r = await rejectsUnchanged(dir, { fresh: true });
    expectProblem(r, { file: 'manifest.json', column: 'municipalityCode', message: '検査数字が一致しません' });
  });

  it('a data file missing from the package', async () => {
    const dir = await badPackage(() => {}, (dir) => rm(path.join(dir, HISTORY_CSV)));
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, message: '異動履歴.csv（または 異動履歴.parquet）がパッケージにありません' });
  });

  it('a missing required column names file, line 1 and the column', async () => {
    const dir = await badPackage((d) => { d.residentsHeader = d.residentsHeader.filter((h) => h !== '住定日'); });
    const r = await rejectsUnchanged(dir, { fresh: true });
    expectProblem(r, { file: RESIDENTS_CSV, line: 1, column: '住定日', message: '必須の列がありません' });
  });

  it('a required column missing through mapping.json (the vendor name maps elsewhere)', async () => {
    const dir = await badPackage((d) => {
      d.historyHeader = d.historyHeader.map((h) => (h === '異動事由' ? 'IDO_JIYU_CD' : h));
      for (const r of d.history) r.IDO_JIYU_CD = r.異動事由;
      d.mapping = { columns: { IDO_JIYU_CD: '異動事由詳細X' } };
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line: 1, column: '異動事由', message: '必須の列がありません' });
  });
});

describe('rejections: 個人番号 / 住民票コード columns, before anything else is read', () => {
  for (const column of ['個人番号', 'マイナンバー', '住民票コード', 'ﾏｲﾅﾝﾊﾞｰ', ' 個人番号 ']) {
    it(`a column named ${JSON.stringify(column)}`, async () => {
      const dir = await badPackage((d) => {
        d.historyHeader = [...d.historyHeader, column];
        // Also a bad date: it must not be reported, the package is refused before the data is read.
        d.history[0]!.異動日 = '2021-02-30';
      });
      const r = await rejectsUnchanged(dir, { fresh: true });
      expect(r.problems).toHaveLength(1);
      expectProblem(r, { file: HISTORY_CSV, line: 1, column: column.trim(), message: '個人番号・住民票コードの列は受け付けません' });
    });
  }

  it('a vendor column mapped to 個人番号 in mapping.json', async () => {
    const dir = await badPackage((d) => {
      d.residentsHeader = [...d.residentsHeader, 'KJN_NO'];
      d.mapping = { columns: { KJN_NO: '個人番号' } };
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line: 1, column: 'KJN_NO', message: '個人番号・住民票コードの列は受け付けません' });
  });
});

describe('rejections: values', () => {
  it('an 異動事由 not in §5', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1027, 2);
      row.異動事由 = '生年月日訂正';
      line = historyLine(d, row);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '異動事由', value: '生年月日訂正', message: '異動事由（snapshot-format.md §5）にない値です' });
  });

  it('a 性別 outside 男 / 女 / 1 / 2, in both files', async () => {
    let lines = [0, 0];
    const dir = await badPackage((d) => {
      const r = findRow(d.residents, 1011);
      const h = findRow(d.history, 1011, 1);
      r.性別 = h.性別 = '3';
      lines = [residentsLine(d, r), historyLine(d, h)];
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line: lines[0], column: '性別', value: '3', message: '男 / 女 / 1 / 2 のいずれかが必要です' });
    expectProblem(r, { file: HISTORY_CSV, line: lines[1], column: '性別', value: '3', message: '男 / 女 / 1 / 2 のいずれかが必要です' });
  });

  it('a 国籍・地域 not in the master', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1034, 1);
      row['国籍・地域'] = 'アトランティス';
      line = historyLine(d, row);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '国籍・地域', value: 'アトランティス', message: '国籍・地域マスタにない値です' });
  });

  it('a vendor code with no entry in mapping.json names column, value and mapping.json', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const codes: Record<string, string> = { 国内転入: 'A01', 国外転入等: 'A02' };
      d.mapping = { codes: { 異動事由: { A01: '国内転入', A02: '国外転入等' } } };
      for (const r of d.history) r.異動事由 = codes[String(r.異動事由)] ?? r.異動事由;
      const row = findRow(d.history, 1044, 1);
      row.異動事由 = 'A99';
      line = historyLine(d, row);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '異動事由', value: 'A99', message: '（mapping.json に対応がない値です）' });
    expect(r.problems.filter((p) => p.column === '異動事由')).toHaveLength(1);
  });

  it('an impossible 異動日 (2021-02-30) and an unreadable 住定日', async () => {
    let lines = [0, 0];
    const dir = await badPackage((d) => {
      const h = findRow(d.history, 1005, 2);
      h.異動日 = '2021-02-30';
      const r = findRow(d.residents, 1001);
      r.住定日 = '2021年8月1日';
      lines = [historyLine(d, h), residentsLine(d, r)];
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line: lines[0], column: '異動日', value: '2021-02-30', message: '日付として読めないか、存在しない日付です（YYYY-MM-DD' });
    expectProblem(r, { file: RESIDENTS_CSV, line: lines[1], column: '住定日', value: '2021年8月1日', message: '存在しない日付です' });
  });

  it('an unreadable 生年月日 (impossible days are kept, unreadable text is not)', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const r = findRow(d.residents, 1002);
      r.生年月日 = '1983-09-xx';
      line = residentsLine(d, r);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line, column: '生年月日', value: '1983-09-xx', message: '日付として読めません' });
  });

  it('an empty required value and an empty 生年月日 without 生年月日不詳 = 1', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const h = findRow(d.history, 1014, 1);
      h.住所コード = '';
      h.生年月日 = '';
      line = historyLine(d, h);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '住所コード', value: '（空）', message: '必須項目が空です' });
    expectProblem(r, { file: HISTORY_CSV, line, column: '生年月日', message: '空にできるのは生年月日不詳 = 1 のときだけです' });
  });

  it('personal text is never echoed in a message (length only)', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const h = findRow(d.history, 1001, 1);
      h.履歴番号 = '0';
      h.住民状態 = '不明';
      line = historyLine(d, h);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '履歴番号', value: '0', message: '1 以上の整数が必要です' });
    expectProblem(r, { file: HISTORY_CSV, line, column: '住民状態', value: '不明', message: '現存 / 消除 のいずれかが必要です' });
    expect(r.message).not.toContain('見本');
  });
});

describe('line numbers', () => {
  it('a structural error does not shift the lines named for later rows', async () => {
    let lines = [0, 0];
    const dir = await badPackage((d) => {
      d.history[8]!.支援措置 = '0,EXTRA'; // written quoted; unquoted below → one field too many on line 10
      d.history[18]!.性別 = '3';
      lines = [10, 20];
    }, async (dir) => {
      const file = path.join(dir, HISTORY_CSV);
      const bytes = Buffer.from((await readFile(file, 'utf8')).replace('"0,EXTRA"', '0,EXTRA'), 'utf8');
      await writeFile(file, bytes);
      await editManifest(dir, (m) => { m.files[HISTORY_CSV]!.sha256 = sha256(bytes); });
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line: lines[0], message: '列が多すぎます（ヘッダーは 42 列）' });
    expectProblem(r, { file: HISTORY_CSV, line: lines[1], column: '性別', value: '3', message: '男 / 女 / 1 / 2 のいずれかが必要です' });
    expect(r.problems).toHaveLength(2); // the rejected line still counts for the manifest's rows
  });
});

describe('rejections: keys', () => {
  it('a duplicate 宛名番号 in 住民.csv names the second line', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const copy = { ...findRow(d.residents, 1020) };
      d.residents.splice(30, 0, copy);
      line = 32;
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: RESIDENTS_CSV, line, column: '宛名番号', value: '1020', message: 'キーが重複しています' });
  });

  it('a duplicate (宛名番号, 履歴番号) in 異動履歴.csv', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1032, 3);
      const dup = { ...row, 異動事由: '転居' };
      d.history.push(dup);
      line = historyLine(d, dup);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '宛名番号, 履歴番号', value: '1032 / 3', message: 'キーが重複しています' });
  });

  it('an 異動の取消し whose 取消対象履歴番号 is not an earlier row of the same person', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1025, 3);
      row.取消対象履歴番号 = '7';
      line = historyLine(d, row);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '取消対象履歴番号', value: '1025 / 3 → 7', message: '取り消す行が同じ人の前の履歴にありません' });
  });

  it('a 処理日 after processedThrough', async () => {
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1045, 1);
      row.処理日 = '2022-02-01';
      line = historyLine(d, row);
    });
    const r = await rejectsUnchanged(dir);
    expectProblem(r, { file: HISTORY_CSV, line, column: '処理日', value: '2022-02-01', message: 'processedThrough（2022-01-31）より後の処理日です' });
  });
});

describe('the CLI', () => {
  it('exits 2 and prints the problems in Japanese on stderr; the store is unchanged', async () => {
    const { spawnSync } = await import('node:child_process');
    let line = 0;
    const dir = await badPackage((d) => {
      const row = findRow(d.history, 1027, 2);
      row.異動事由 = '生年月日訂正';
      line = historyLine(d, row);
    });
    const db = await storeCopy();
    const out = spawnSync(process.execPath, [path.resolve('bin/juki.mjs'), 'load', dir, '--db', db], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr).toContain('パッケージを取り込めませんでした');
    expect(out.stderr).toContain(`異動履歴.csv ${line}行目 列「異動事由」: 値「生年月日訂正」: 異動事由（snapshot-format.md §5）にない値です`);
    expect(await storeHash(db)).toBe(baseHash);
    expect(await leftovers(db)).toEqual([]);
  });
});
