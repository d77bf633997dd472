// Tests of the synthetic municipality generator: package format, realism, determinism, encodings and deltas.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSynthCommand } from '../src/cli/synth.ts';
import { synthesize, type SynthResult } from '../src/synth/index.ts';
import { encodeCp932 } from '../src/synth/csv.ts';
import { allNameText } from '../src/synth/names.ts';
import { allForeignText } from '../src/synth/nationality.ts';
import { allPlaceText } from '../src/synth/places.ts';
import { allVisaText } from '../src/synth/visa.ts';

const MIHON = join(import.meta.dirname, '../../shared/conformance/mihon/package-utf8');

type Rec = Record<string, string>;

interface Pkg {
  dir: string;
  manifest: {
    format: string; municipalityCode: string; municipalityName: string; extractedAt: string; processedThrough: string;
    history: { mode: string; since?: string }; encoding: string;
    files: Record<string, { rows: number; sha256: string }>;
  };
  residents: Rec[];
  history: Rec[];
  headers: { residents: string[]; history: string[] };
}

function parseCsv(text: string): { header: string[]; rows: Rec[] } {
  const r = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  const [header, ...body] = r.data;
  return { header: header!, rows: body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? '']))) };
}

function decode(buf: Buffer, encoding: string): string {
  if (encoding === 'CP932') return new TextDecoder('shift_jis', { fatal: true }).decode(buf);
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(3));
}

function load(dir: string): Pkg {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Pkg['manifest'];
  const res = parseCsv(decode(readFileSync(join(dir, '住民.csv')), manifest.encoding));
  const his = parseCsv(decode(readFileSync(join(dir, '異動履歴.csv')), manifest.encoding));
  return { dir, manifest, residents: res.rows, history: his.rows, headers: { residents: res.header, history: his.header } };
}

const headers = new Map<string, string[]>();
function mihonHeader(file: string): string[] {
  let h = headers.get(file);
  if (!h) headers.set(file, (h = readFileSync(join(MIHON, file), 'utf8').replace(/^\uFEFF/, '').split('\r\n')[0]!.split(',')));
  return h;
}

const eff = (r: Rec) => (r['異動日']! > r['処理日']! ? r['異動日']! : r['処理日']!);

/** Independent reading of snapshot-format.md §1/§8: the 住民.csv row expected for a person's history. */
function expectedResident(rows: Rec[], cutoff: string): Rec {
  const ignored = new Set<number>();
  rows.forEach((r, i) => {
    if (r['取消対象履歴番号']) {
      const j = Number(r['取消対象履歴番号']) - 1;
      if (eff(r) <= eff(rows[j]!)) { ignored.add(i); ignored.add(j); }
    }
  });
  let best: Rec | undefined, pending: Rec | undefined;
  rows.forEach((r, i) => {
    if (ignored.has(i)) return;
    if (eff(r) > cutoff) pending = r;
    else if (!best || eff(r) > eff(best) || (eff(r) === eff(best) && Number(r['履歴番号']) > Number(best['履歴番号']))) best = r;
  });
  const out: Rec = {};
  for (const k of mihonHeader('住民.csv')) out[k] = best![k]!;
  if (pending) {
    expect(pending['異動事由']).toMatch(/^国(内|外)転出$/);
    for (const k of ['転出予定年月日', '転出先住所コード', '転出先住所']) out[k] = pending[k]!;
  }
  return out;
}

function byPerson(history: Rec[]): Map<string, Rec[]> {
  const m = new Map<string, Rec[]>();
  for (const r of history) {
    const a = m.get(r['宛名番号']!) ?? [];
    a.push(r);
    m.set(r['宛名番号']!, a);
  }
  for (const rows of m.values()) rows.sort((x, y) => Number(x['履歴番号']) - Number(y['履歴番号']));
  return m;
}

const KISAI = ['国内転入', '国外転入等', '出生', '職権記載（帰化等）', '職権記載（国籍喪失）', '職権記載', '改製', '再製', '異動の取消し（増）'];
const SHOJO = ['国内転出', '国外転出', '死亡', '職権消除（帰化等）', '職権消除（国籍喪失）', '職権消除', '改製', '再製', '異動の取消し（減）'];
const SHUSEI = ['転居', '軽微な修正', '職権修正', '誤記修正', '世帯分離', '世帯合併', '世帯変更', '世帯主変更', '通称の記載', '通称の削除', '異動の取消し（修正）'];

let root: string;
let big: SynthResult;
let bigPkg: Pkg;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'juki-synth-'));
  big = await synthesize({ residents: 20_000, seed: 42, out: join(root, 'town20k') });
  bigPkg = load(big.dir);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('synthesize: a 20,000-resident town', () => {
  it('writes a manifest whose rows and sha256 match the files', () => {
    const m = bigPkg.manifest;
    expect(m.format).toBe('juki-snapshot/1');
    expect(m.municipalityCode).toBe('013871');
    expect(m.municipalityName).toBe('さんぷる市');
    expect(m.processedThrough).toBe('2025-12-31');
    expect(m.extractedAt).toBe('2026-01-01T02:10:00+09:00');
    expect(m.history).toEqual({ mode: 'full' });
    expect(m.encoding).toBe('UTF-8');
    for (const [file, rows] of [['住民.csv', bigPkg.residents.length], ['異動履歴.csv', bigPkg.history.length]] as const) {
      const bytes = readFileSync(join(big.dir, file));
      expect(m.files[file]!.rows).toBe(rows);
      expect(m.files[file]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(bytes.includes('\r\n')).toBe(true);
      expect(bytes.toString('utf8').replace(/\r\n/g, '').includes('\n')).toBe(false);
    }
    expect(big.personsCount).toBe(bigPkg.residents.length);
    expect(big.historyRows).toBe(bigPkg.history.length);
  });

  it('uses exactly the column order of the mihon package', () => {
    expect(bigPkg.headers.residents).toEqual(mihonHeader('住民.csv'));
    expect(bigPkg.headers.history).toEqual(mihonHeader('異動履歴.csv'));
  });

  it('has the requested residents, ~3% foreigners and households of ~2.1 persons', () => {
    const cur = bigPkg.residents.filter((r) => r['住民状態'] === '現存');
    expect(cur.length).toBe(big.residentsCount);
    expect(Math.abs(cur.length - 20_000)).toBeLessThanOrEqual(400);
    const foreign = cur.filter((r) => r['住民種別'] === '外国人').length / cur.length;
    expect(foreign).toBeGreaterThan(0.02);
    expect(foreign).toBeLessThan(0.045);
    const hh = new Map<string, number>();
    for (const r of cur) hh.set(r['世帯番号']!, (hh.get(r['世帯番号']!) ?? 0) + 1);
    const mean = cur.length / hh.size;
    expect(mean).toBeGreaterThan(1.9);
    expect(mean).toBeLessThan(2.3);
    const single = [...hh.values()].filter((n) => n === 1).length / hh.size;
    expect(single).toBeGreaterThan(0.3);
    expect(single).toBeLessThan(0.5);
  });

  it('has plausible yearly rates of births, deaths and moves', () => {
    const pop = bigPkg.residents.filter((r) => r['住民状態'] === '現存').length;
    for (let y = 2016; y <= 2025; y++) {
      const c = new Map<string, number>();
      for (const r of bigPkg.history) if (eff(r).startsWith(String(y))) c.set(r['異動事由']!, (c.get(r['異動事由']!) ?? 0) + 1);
      const rate = (k: string) => (1000 * (c.get(k) ?? 0)) / pop;
      expect(rate('出生'), `births ${y}`).toBeGreaterThan(3.5);
      expect(rate('出生'), `births ${y}`).toBeLessThan(9);
      expect(rate('死亡'), `deaths ${y}`).toBeGreaterThan(8);
      expect(rate('死亡'), `deaths ${y}`).toBeLessThan(17);
      for (const k of ['国内転入', '国内転出', '転居']) {
        expect(rate(k), `${k} ${y}`).toBeGreaterThan(24);
        expect(rate(k), `${k} ${y}`).toBeLessThan(55);
      }
      expect(rate('国外転入等') + rate('国外転出'), `abroad ${y}`).toBeGreaterThan(4);
      expect(rate('国外転入等') + rate('国外転出'), `abroad ${y}`).toBeLessThan(25);
    }
    // foreigners move far more than Japanese (about 5×)
    const moves = (kind: string) => bigPkg.history.filter((r) => r['住民種別'] === kind && /転入|転出/.test(r['異動事由']!) && eff(r) >= '2016').length;
    const count = (kind: string) => bigPkg.residents.filter((r) => r['住民種別'] === kind && r['住民状態'] === '現存').length;
    expect(moves('外国人') / count('外国人')).toBeGreaterThan((3.5 * moves('日本人')) / count('日本人'));
  });

  it('uses every 異動事由 of spec §5', () => {
    const seen = new Set(bigPkg.history.map((r) => r['異動事由']));
    for (const k of [...KISAI, ...SHOJO, ...SHUSEI]) expect(seen.has(k), k).toBe(true);
    for (const k of seen) expect([...KISAI, ...SHOJO, ...SHUSEI]).toContain(k);
  });

  it('keeps history rows consistent (履歴番号, dates, pairs, cancellations)', () => {
    // collect problems instead of calling expect() per cell: 60,000 rows × 20 checks
    const problems: string[] = [];
    const ok = (cond: boolean, what: string) => {
      if (!cond && problems.length < 20) problems.push(what);
    };
    const date = (v: string | undefined) => /^\d{4}-\d{2}-\d{2}$/.test(v ?? '');
    const persons = byPerson(bigPkg.history);
    expect(persons.size).toBe(bigPkg.residents.length);
    for (const [id, rows] of persons) {
      ok(KISAI.includes(rows[0]!['異動事由']!), `${id} starts with ${rows[0]!['異動事由']}`);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const at = `${id}#${i + 1} ${r['異動事由']}`;
        const next = rows[i + 1];
        ok(Number(r['履歴番号']) === i + 1, `${at}: 履歴番号 not consecutive`);
        ok(date(r['異動日']) && date(r['処理日']), `${at}: dates`);
        ok(r['処理日']! <= '2025-12-31', `${at}: 処理日 after processedThrough`);
        if (i > 0) ok(r['処理日']! >= rows[i - 1]!['処理日']!, `${at}: 処理日 goes back`);
        if (r['異動日']! > r['処理日']!) ok(/^国(内|外)転出$/.test(r['異動事由']!) && r['転出予定年月日'] === r['異動日'], `${at}: 異動日 after 処理日`);
        if (r['住民状態'] === '消除') ok(date(r['消除年月日']) && r['消除事由'] !== '', `${at}: 消除 without date/reason`);
        if (r['生年月日不詳'] === '0') {
          ok(date(r['生年月日']), `${at}: 生年月日`);
          if (r['異動事由'] !== '誤記修正') ok(r['住民となった年月日']! >= r['生年月日']!, `${at}: resident before birth`);
        } else ok(r['生年月日'] === '', `${at}: 生年月日 with 不詳`);
        ok(/^01387\d{6}$/.test(r['住所コード']!) && /^\d{7}$/.test(r['郵便番号']!) && /^\d{2}$/.test(r['地区コード']!), `${at}: address codes`);
        ok(r['性別'] === '男' || r['性別'] === '女', `${at}: 性別`);
        if (r['住民種別'] === '外国人') {
          // foreigners are registered only since 2012-07-09 (改正住基法)
          ok(r['異動日']! >= '2012-07-09', `${at}: foreigner before 2012-07-09`);
          ok(r['国籍・地域'] !== '' && r['法30条45区分'] !== '', `${at}: 国籍・地域 / 法30条45区分`);
          ok((r['法30条45区分'] === '中長期在留者') === (r['在留資格'] !== ''), `${at}: 在留資格 vs 区分`);
          ok(!r['在留カード等番号'] || /^[A-Z]{2}\d{8}[A-Z]{2}$/.test(r['在留カード等番号']), `${at}: card number`);
        } else ok(r['国籍・地域'] === '' && r['在留資格'] === '', `${at}: foreign columns on a 日本人`);
        if (r['異動事由']!.startsWith('異動の取消し')) ok(Number(r['取消対象履歴番号']) >= 1 && Number(r['取消対象履歴番号']) <= i, `${at}: 取消対象履歴番号`);
        if (r['異動事由'] === '誤記修正') ok(Number(r['修正対象履歴番号']) >= 1 && Number(r['修正対象履歴番号']) <= i, `${at}: 修正対象履歴番号`);
        if (r['異動事由'] === '職権消除（帰化等）') {
          ok(r['住民種別'] === '外国人' && next?.['異動事由'] === '職権記載（帰化等）' && next['住民種別'] === '日本人', `${at}: 帰化 pair`);
          ok(next?.['異動日'] === r['異動日'] && next?.['処理日'] === r['処理日'], `${at}: 帰化 pair dates`);
        }
        if (r['異動事由'] === '職権消除（国籍喪失）') {
          ok(r['住民種別'] === '日本人' && next?.['異動事由'] === '職権記載（国籍喪失）' && next['法30条45区分'] === '国籍喪失による経過滞在者', `${at}: 国籍喪失 pair`);
        }
        if ((r['異動事由'] === '改製' || r['異動事由'] === '再製') && r['住民状態'] === '消除') {
          ok(next?.['異動事由'] === r['異動事由'] && next['異動日'] === r['異動日'] && next['住民状態'] === '現存', `${at}: 改製/再製 pair`);
        }
        if (r['異動事由'] === '国外転入等' && r['住民種別'] === '外国人' && r['法30条45区分'] === '中長期在留者') {
          ok(r['住居地届出区分'] === (r['異動事由詳細'] === '30条の47届出' ? '19条の8' : '19条の7'), `${at}: 住居地届出区分`);
        }
        if ((r['異動事由'] === '国内転入' || r['異動事由'] === '転居') && r['法30条45区分'] === '中長期在留者') ok(r['住居地届出区分'] === '19条の9', `${at}: 19条の9`);
        if ((r['異動事由'] === '国内転入' || r['異動事由'] === '転居') && r['法30条45区分'] === '特別永住者') ok(r['住居地届出区分'] === '特例法10条2項', `${at}: 特例法`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes 住民.csv as each person\'s state on the day after processedThrough', () => {
    const persons = byPerson(bigPkg.history);
    let pending = 0;
    const wrong: string[] = [];
    for (const r of bigPkg.residents) {
      const exp = expectedResident(persons.get(r['宛名番号']!)!, '2025-12-31');
      if (JSON.stringify(r) !== JSON.stringify(exp) && wrong.length < 5) wrong.push(`${JSON.stringify(r)}\n  expected ${JSON.stringify(exp)}`);
      if (r['転出予定年月日'] && r['住民状態'] === '現存') pending++;
    }
    expect(wrong).toEqual([]);
    expect(pending).toBeGreaterThan(0);
  });

  it('has realistic names, birthdays and rare cases', () => {
    const all = bigPkg.residents;
    const cur = all.filter((r) => r['住民状態'] === '現存');
    const jp = cur.filter((r) => r['住民種別'] === '日本人');
    for (const r of jp.slice(0, 2000)) {
      expect(r['氏名']).toMatch(/^[^\u3000 ]+\u3000[^\u3000 ]+$/);
      expect(r['氏名カナ']).toMatch(/^[\u30A0-\u30FF]+\u3000[\u30A0-\u30FF]+$/);
    }
    expect(all.some((r) => /[\uE000-\uE757]/.test(r['氏名']!))).toBe(true);
    expect(all.some((r) => r['氏名']!.includes('髙') || r['氏名']!.includes('﨑'))).toBe(true);
    expect(cur.some((r) => r['生年月日']!.endsWith('-02-29'))).toBe(true);
    expect(cur.some((r) => r['生年月日']!.endsWith('-01-01'))).toBe(true);
    expect(cur.some((r) => r['生年月日'] && r['生年月日'] <= '1925-12-31')).toBe(true);
    const support = all.filter((r) => r['支援措置'] === '1').length;
    expect(support).toBeGreaterThan(0);
    expect(support).toBeLessThan(all.length * 0.002);
    expect(all.some((r) => r['生年月日不詳'] === '1' && r['住民種別'] === '外国人')).toBe(true);
    const foreign = cur.filter((r) => r['住民種別'] === '外国人');
    const nat = new Set(foreign.map((r) => r['国籍・地域']));
    for (const n of ['中国', 'ベトナム', '韓国', 'フィリピン', 'ブラジル']) expect(nat.has(n), n).toBe(true);
    expect(foreign.some((r) => /^[A-Z]{2,3}$/.test(r['国籍・地域']!))).toBe(true);
    const special = foreign.filter((r) => r['法30条45区分'] === '特別永住者').length / foreign.length;
    expect(special).toBeGreaterThan(0.03);
    expect(special).toBeLessThan(0.2);
    expect(foreign.every((r) => /^[A-Z][A-Z ]*$/.test(r['氏名英字']!))).toBe(true);
    // mixed households: a 日本人 and a 外国人 in the same 世帯
    const kinds = new Map<string, Set<string>>();
    for (const r of cur) kinds.set(r['世帯番号']!, (kinds.get(r['世帯番号']!) ?? new Set()).add(r['住民種別']!));
    expect([...kinds.values()].some((s) => s.size === 2)).toBe(true);
  });
});

describe('synthesize: options', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', async () => {
    const a = await synthesize({ residents: 2000, seed: 'x', out: join(root, 'a') });
    const b = await synthesize({ residents: 2000, seed: 'x', out: join(root, 'b') });
    const c = await synthesize({ residents: 2000, seed: 'y', out: join(root, 'c') });
    for (const f of ['manifest.json', '住民.csv', '異動履歴.csv']) {
      expect(readFileSync(join(b.dir, f)).equals(readFileSync(join(a.dir, f))), f).toBe(true);
    }
    expect(readFileSync(join(c.dir, '住民.csv')).equals(readFileSync(join(a.dir, '住民.csv')))).toBe(false);
    expect(Math.abs(a.residentsCount - 2000)).toBeLessThanOrEqual(40);
  });

  it('gives the same bytes with worker threads as without', async () => {
    const a = await synthesize({ residents: 6000, seed: 'w', out: join(root, 'w0'), threads: 0, deltaDays: 1 });
    const b = await synthesize({ residents: 6000, seed: 'w', out: join(root, 'w2'), threads: 2, deltaDays: 1 });
    for (const f of ['manifest.json', '住民.csv', '異動履歴.csv', 'nightly-2026-01-01/住民.csv', 'nightly-2026-01-01/異動履歴.csv']) {
      expect(readFileSync(join(b.dir, f)).equals(readFileSync(join(a.dir, f))), f).toBe(true);
    }
    expect(b.residentsCount).toBe(a.residentsCount);
  });

  it('writes CP932 that decodes strictly to the same text as the UTF-8 package', async () => {
    const cp = await synthesize({ residents: 20_000, seed: 42, out: join(root, 'cp932'), encoding: 'CP932' });
    const m = JSON.parse(readFileSync(join(cp.dir, 'manifest.json'), 'utf8')) as Pkg['manifest'];
    expect(m.encoding).toBe('CP932');
    for (const f of ['住民.csv', '異動履歴.csv']) {
      const bytes = readFileSync(join(cp.dir, f));
      expect(m.files[f]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      const text = new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
      const utf8 = readFileSync(join(big.dir, f)).subarray(3).toString('utf8');
      expect(text === utf8, f).toBe(true);
    }
    expect(/[\uE000-\uE757]/.test(new TextDecoder('shift_jis', { fatal: true }).decode(readFileSync(join(cp.dir, '住民.csv'))))).toBe(true);
  });

  it('encodes every table text and the 外字 area in CP932', () => {
    const texts = [...allNameText(), ...allForeignText(), ...allPlaceText(), ...allVisaText()];
    for (const t of texts) {
      expect(/[",\r\n]/.test(t), t).toBe(false);
      expect(new TextDecoder('shift_jis', { fatal: true }).decode(encodeCp932(t)), t).toBe(t);
    }
    const pua = String.fromCharCode(0xe000, 0xe0bb, 0xe0bc, 0xe757);
    expect([...encodeCp932(pua)]).toEqual([0xf0, 0x40, 0xf0, 0xfc, 0xf1, 0x40, 0xf9, 0xfc]);
    expect(new TextDecoder('shift_jis', { fatal: true }).decode(encodeCp932(pua))).toBe(pua);
    expect(() => encodeCp932('〜')).toThrow(/CP932/);
    // the table-driven encoder writes what iconv-lite writes, but throws where iconv-lite would write '?'
    const sample = texts.join(',');
    expect(encodeCp932(sample).equals(iconv.encode(sample, 'cp932'))).toBe(true);
    expect([...encodeCp932('髙﨑')]).toEqual([...iconv.encode('髙﨑', 'cp932')]);
  });

  it('writes nightly delta packages consistent with a later full package', async () => {
    const d = await synthesize({ residents: 2000, seed: 5, out: join(root, 'delta'), processedThrough: '2025-12-28', deltaDays: 3 });
    expect(d.nightly.map((p) => p.split('/').pop())).toEqual(['nightly-2025-12-29', 'nightly-2025-12-30', 'nightly-2025-12-31']);
    expect(readdirSync(d.dir).sort()).toEqual(['manifest.json', 'nightly-2025-12-29', 'nightly-2025-12-30', 'nightly-2025-12-31', '住民.csv', '異動履歴.csv']);
    const full = await synthesize({ residents: 2000, seed: 5, out: join(root, 'delta-full'), processedThrough: '2025-12-31' });
    const fullPkg = load(full.dir);
    const fullRows = new Set(readFileSync(join(full.dir, '異動履歴.csv'), 'utf8').split('\r\n'));
    const main = load(d.dir);
    expect(main.manifest.history).toEqual({ mode: 'full' });
    expect(main.manifest.processedThrough).toBe('2025-12-28');
    expect(main.history.every((r) => r['処理日']! <= '2025-12-28')).toBe(true);
    let deltaRows = 0;
    for (const dir of d.nightly) {
      const day = dir.slice(-10);
      const p = load(dir);
      expect(p.manifest.history).toEqual({ mode: 'delta', since: day });
      expect(p.manifest.processedThrough).toBe(day);
      expect(p.history.every((r) => r['処理日'] === day)).toBe(true);
      deltaRows += p.history.length;
      for (const line of readFileSync(join(dir, '異動履歴.csv'), 'utf8').split('\r\n').slice(1)) if (line) expect(fullRows.has(line), line).toBe(true);
      // the nightly 住民.csv is the full state as of that day
      const persons = byPerson(fullPkg.history.filter((r) => r['処理日']! <= day));
      expect(p.residents.length).toBe(persons.size);
      for (const r of p.residents) expect(r).toEqual(expectedResident(persons.get(r['宛名番号']!)!, day));
    }
    expect(deltaRows).toBeGreaterThan(0);
    expect(main.history.length + deltaRows).toBe(fullPkg.history.length);
    // the last nightly 住民.csv is byte-identical to the full package's
    expect(readFileSync(join(d.nightly[2]!, '住民.csv')).equals(readFileSync(join(full.dir, '住民.csv')))).toBe(true);
  });

  it('handles a history window that starts before foreigners were registered (2012-07-09)', async () => {
    const r = await synthesize({ residents: 3000, seed: 14, out: join(root, 'y14'), years: 14, processedThrough: '2024-12-31' });
    const p = load(r.dir);
    expect(p.history.some((x) => x['異動事由詳細'] === '仮住民票' && x['異動日'] === '2012-07-09')).toBe(true);
    expect(p.history.filter((x) => x['住民種別'] === '外国人').every((x) => x['異動日']! >= '2012-07-09')).toBe(true);
    expect(p.history.every((x) => x['処理日']! <= '2024-12-31')).toBe(true);
    for (const rows of byPerson(p.history).values()) expect(KISAI).toContain(rows[0]!['異動事由']);
  });

  it('makes a designated city with 5 wards', async () => {
    const r = await synthesize({ residents: 3000, seed: 3, out: join(root, 'city'), designatedCity: true });
    expect(r.municipalityCode).toBe('471003');
    expect(r.municipalityName).toBe('みほん市');
    const p = load(r.dir);
    const wards = new Set(p.residents.map((x) => x['住所コード']!.slice(0, 5)));
    expect([...wards].sort()).toEqual(['47101', '47102', '47103', '47104', '47105']);
    expect(p.residents.every((x) => /^\d{11}$/.test(x['住所コード']!) && x['住所']!.startsWith('沖縄県みほん市'))).toBe(true);
  });
});

describe('juki synth (CLI)', () => {
  it('registers the command with its options and writes a package', async () => {
    const program = new Command('juki').exitOverride();
    registerSynthCommand(program);
    const cmd = program.commands.find((c) => c.name() === 'synth')!;
    expect(cmd.options.map((o) => o.long)).toEqual(['--residents', '--seed', '--out', '--encoding', '--designated-city', '--years', '--processed-through', '--delta-days']);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const out = join(root, 'cli');
      await program.parseAsync(['synth', '--residents', '500', '--seed', '3', '--out', out, '--encoding', 'CP932', '--delta-days', '1', '--processed-through', '2024-06-30'], { from: 'user' });
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Pkg['manifest'];
      expect(m.encoding).toBe('CP932');
      expect(m.processedThrough).toBe('2024-06-30');
      expect(JSON.parse(readFileSync(join(out, 'nightly-2024-07-01', 'manifest.json'), 'utf8')).history).toEqual({ mode: 'delta', since: '2024-07-01' });
      expect(log.mock.calls.join('\n')).toMatch(/さんぷる市 \(013871\)/);
    } finally {
      log.mockRestore();
    }
  });
});
