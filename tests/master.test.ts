// Master tables under queries/master/: file format (UTF-8 without BOM, LF, RFC 4180, header row),
// unique lookup keys, and agreement with the input contract (snapshot-format.md §5).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MASTER = path.join(ROOT, 'queries', 'master');

type Row = Record<string, string>;

/** Reads a master CSV, checking the byte-level format, and returns its rows keyed by header. */
function readMaster(file: string, header: readonly string[]): Row[] {
  const bytes = readFileSync(path.join(MASTER, file));
  expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `${file}: BOM`).toBe(false);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  expect(text.includes('\r'), `${file}: CR found, want LF line ends`).toBe(false);
  expect(text.endsWith('\n') && !text.endsWith('\n\n'), `${file}: want exactly one final LF`).toBe(true);
  expect(text.includes('\n\n'), `${file}: blank line`).toBe(false);

  const parsed = Papa.parse<string[]>(text.slice(0, -1), { header: false, delimiter: ',', newline: '\n' });
  expect(parsed.errors, `${file}: parse errors`).toEqual([]);
  const [head, ...body] = parsed.data;
  expect(head, `${file}: header`).toEqual(header);
  return body.map((cells, i) => {
    expect(cells.length, `${file} line ${i + 2}: field count`).toBe(header.length);
    const row: Row = {};
    header.forEach((h, j) => {
      const v = cells[j] ?? '';
      expect(v, `${file} line ${i + 2} ${h}: surrounding spaces`).toBe(v.trim());
      expect(/[\u0000-\u001f\u007f]/.test(v), `${file} line ${i + 2} ${h}: control character`).toBe(false);
      row[h] = v;
    });
    return row;
  });
}

/** `a|b|c` → ['a', 'b', 'c']; empty → []. Rejects empty pieces (`a||b`, trailing `|`). */
function splitAliases(s: string | undefined, where: string): string[] {
  if (!s) return [];
  const parts = s.split('|');
  for (const p of parts) expect(p.trim(), `${where}: empty or padded alias in ${JSON.stringify(s)}`).toBe(p);
  for (const p of parts) expect(p, `${where}: empty alias`).not.toBe('');
  return parts;
}

/** How a lookup will most likely compare: width-folded (NFKC) and case-insensitive. */
const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/**
 * Every string of `keysOf(row)` must be written once in the whole file, and no folded key may
 * lead to two different rows (a row may list width variants of its own name).
 */
function expectUniqueKeys(file: string, rows: Row[], keysOf: (r: Row) => string[]): void {
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  const dupExact: string[] = [];
  const clashes: string[] = [];
  for (const r of rows) {
    const owner = r.name!;
    for (const k of keysOf(r)) {
      if (exact.has(k)) dupExact.push(`${k} (${exact.get(k)} / ${owner})`);
      else exact.set(k, owner);
      const f = fold(k);
      const prev = folded.get(f);
      if (prev !== undefined && prev !== owner) clashes.push(`${k} (${prev} / ${owner})`);
      else folded.set(f, owner);
    }
  }
  expect(dupExact, `${file}: strings written twice`).toEqual([]);
  expect(clashes, `${file}: keys leading to two rows`).toEqual([]);
}

describe('nationality.csv', () => {
  const rows = readMaster('nationality.csv', ['name', 'iso2', 'iso3', 'aliases']);
  const byName = new Map(rows.map((r) => [r.name!, r]));

  it('has a unique, non-empty name per row', () => {
    expect(rows.every((r) => r.name !== '')).toBe(true);
    expect(byName.size).toBe(rows.length);
  });

  it('has well-formed, unique ISO 3166-1 codes for every ISO row', () => {
    const iso = rows.filter((r) => r.iso2 !== '' || r.iso3 !== '');
    expect(iso.length).toBe(249);
    for (const r of iso) {
      expect(r.iso2, r.name).toMatch(/^[A-Z]{2}$/);
      expect(r.iso3, r.name).toMatch(/^[A-Z]{3}$/);
    }
    expect(new Set(iso.map((r) => r.iso2)).size).toBe(iso.length);
    expect(new Set(iso.map((r) => r.iso3)).size).toBe(iso.length);
  });

  it('lists 朝鮮 and 無国籍 as rows of their own without codes', () => {
    for (const n of ['朝鮮', '無国籍']) {
      expect(byName.get(n), n).toMatchObject({ iso2: '', iso3: '' });
    }
  });

  it('spells names as 在留外国人統計 does', () => {
    const expected: Record<string, string> = {
      中国: 'CN', 韓国: 'KR', 北朝鮮: 'KP', 台湾: 'TW', ベトナム: 'VN', フィリピン: 'PH',
      ブラジル: 'BR', ネパール: 'NP', インドネシア: 'ID', ミャンマー: 'MM', 米国: 'US',
      タイ: 'TH', ペルー: 'PE', インド: 'IN', スリランカ: 'LK', 英国: 'GB', ロシア: 'RU',
    };
    for (const [name, iso2] of Object.entries(expected)) {
      expect(byName.get(name)?.iso2, name).toBe(iso2);
    }
    expect(splitAliases(byName.get('米国')?.aliases, '米国')).toEqual(
      expect.arrayContaining(['アメリカ', 'アメリカ合衆国', 'United States']),
    );
    expect(splitAliases(byName.get('英国')?.aliases, '英国')).toContain('イギリス');
    expect(splitAliases(byName.get('朝鮮')?.aliases, '朝鮮')).toEqual([]);
  });

  it('gives every name, alias and code one row only', () => {
    expectUniqueKeys('nationality.csv', rows, (r) => [
      r.name!,
      ...splitAliases(r.aliases, r.name!),
      ...[r.iso2!, r.iso3!].filter((c) => c !== ''),
    ]);
  });
});

describe('zairyu_shikaku.csv', () => {
  const rows = readMaster('zairyu_shikaku.csv', ['name', 'kind', 'aliases']);
  const names = rows.map((r) => r.name!);

  it('lists every 在留資格 of 入管法 別表第一・第二 once', () => {
    const first = [
      '外交', '公用', '教授', '芸術', '宗教', '報道', '高度専門職', '経営・管理', '法律・会計業務',
      '医療', '研究', '教育', '技術・人文知識・国際業務', '企業内転勤', '介護', '興行', '技能',
      '特定技能', '技能実習', '育成就労', '文化活動', '短期滞在', '留学', '研修', '家族滞在', '特定活動',
    ];
    const second = ['永住者', '日本人の配偶者等', '永住者の配偶者等', '定住者'];
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...first, ...second].sort());
    for (const r of rows) {
      expect(r.kind, r.name).toBe(second.includes(r.name!) ? '別表第二' : '別表第一');
    }
  });

  it('maps sub-categories and width variants to the base name', () => {
    const base = new Map<string, string>();
    for (const r of rows) for (const a of splitAliases(r.aliases, r.name!)) base.set(a, r.name!);
    const cases: Record<string, string> = {
      高度専門職1号イ: '高度専門職', 高度専門職1号ロ: '高度専門職', 高度専門職1号ハ: '高度専門職',
      高度専門職2号: '高度専門職', 特定技能1号: '特定技能', 特定技能2号: '特定技能',
      技能実習1号イ: '技能実習', 技能実習1号ロ: '技能実習', 技能実習2号イ: '技能実習',
      技能実習2号ロ: '技能実習', 技能実習3号イ: '技能実習', 技能実習3号ロ: '技能実習',
      '技術･人文知識･国際業務': '技術・人文知識・国際業務', '経営･管理': '経営・管理',
      '法律･会計業務': '法律・会計業務',
    };
    for (const [alias, name] of Object.entries(cases)) expect(base.get(alias), alias).toBe(name);
  });

  it('gives every name and alias one row only', () => {
    expectUniqueKeys('zairyu_shikaku.csv', rows, (r) => [r.name!, ...splitAliases(r.aliases, r.name!)]);
  });
});

/** The 異動事由 lists of snapshot-format.md §5, by list (記載 / 消除 / 修正). */
function specReasons(spec: string): Map<string, Set<string>> {
  const start = spec.search(/^## 5\./m);
  expect(start, 'spec: no "## 5." section').toBeGreaterThanOrEqual(0);
  const rest = spec.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const lists = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const m = /^- (記載|消除|修正)[\s(（:：]/.exec(line);
    if (!m) continue;
    lists.set(m[1]!, new Set([...line.matchAll(/`([^`]+)`/g)].map((x) => x[1]!)));
  }
  expect([...lists.keys()].sort(), 'spec §5 lists').toEqual(['修正', '消除', '記載']);
  return lists;
}

// The contract lives beside the repository (../shared/spec); JUKI_SNAPSHOT_SPEC may point elsewhere.
// A missing spec fails the §5 test instead of skipping it: the check must not silently vanish.
const SPEC = process.env.JUKI_SNAPSHOT_SPEC || path.join(ROOT, '..', 'shared', 'spec', 'snapshot-format.md');

describe('ido_jiyu.csv', () => {
  const rows = readMaster('ido_jiyu.csv', ['name', 'kind', 'sign', 'note']);
  const SIGN: Record<string, string> = { 記載: '+1', 消除: '-1', 修正: '0', '記載・消除': '0' };

  it('has unique names, a known kind and the sign of that kind', () => {
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    for (const r of rows) {
      expect(Object.keys(SIGN), r.name).toContain(r.kind);
      expect(r.sign, r.name).toBe(SIGN[r.kind!]);
    }
  });

  it('marks the 個人番号 / 住民票コード / 旧氏 reasons as unused by statistics', () => {
    const extra = rows.filter((r) => /個人番号|住民票コード|旧氏/.test(r.name!));
    expect(extra.length).toBeGreaterThan(0);
    for (const r of extra) expect(r, r.name).toMatchObject({ kind: '修正', note: '統計では使用しない' });
  });

  it('has every 異動事由 of snapshot-format.md §5 with its kind', () => {
    expect(existsSync(SPEC), `snapshot-format.md not found at ${SPEC} (clone the shared folder beside the repository)`).toBe(true);
    const lists = specReasons(readFileSync(SPEC, 'utf8'));
    const byName = new Map(rows.map((r) => [r.name!, r]));
    let count = 0;
    for (const [list, names] of lists) {
      for (const name of names) {
        count++;
        const both = lists.get('記載')!.has(name) && lists.get('消除')!.has(name);
        expect(byName.get(name)?.kind, `${list}: ${name}`).toBe(both ? '記載・消除' : list);
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(byName.get('改製')?.note).toContain('住民状態');
  });
});

describe('todofuken.csv', () => {
  const rows = readMaster('todofuken.csv', ['code', 'name']);

  it('lists the 47 prefectures in JIS order', () => {
    expect(rows.map((r) => r.code)).toEqual(Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(rows.map((r) => r.name)).size).toBe(47);
    for (const r of rows) expect(r.name, r.code).toMatch(/^.+[都道府県]$/);
    expect(rows[0]).toEqual({ code: '01', name: '北海道' });
    expect(rows[12]).toEqual({ code: '13', name: '東京都' });
    expect(rows[25]).toEqual({ code: '26', name: '京都府' });
    expect(rows[26]).toEqual({ code: '27', name: '大阪府' });
    expect(rows[46]).toEqual({ code: '47', name: '沖縄県' });
  });
});
