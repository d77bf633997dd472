// The area rows of the 年報: the municipality, and for a designated city (指定都市) one row per ward
// (区) — ward = first 5 digits of 住所コード, shown with its 6-digit 団体コード (check digit added) and
// a name taken from the residents' addresses (「〇〇市」+「〇〇区」).
import { municipalityCheckDigit } from '../../util/wareki.ts';
import type { Snapshot } from '../common/provenance.ts';

export interface Area {
  /** '' for the municipality, the 5-digit ward code for a ward */
  key: string;
  /** 6-digit 団体コード */
  code: string;
  prefecture: string;
  name: string;
}

/**
 * True for a 指定都市's code: JIS X 0402 gives 指定都市 (and their wards) the numbers 100–199 of
 * the 市区町村 part, the city itself ending in 0 (札幌市 01100, 川崎市 14130, 熊本市 43100).
 * @example isDesignatedCity('011002') // true;  isDesignatedCity('013854') // false
 */
export function isDesignatedCity(code6: string): boolean {
  return /^\d{2}1\d0\d$/.test(code6);
}

/**
 * The ward's name from sample addresses: strip the 都道府県 and city names, take the text up to
 * the first 区, and use the most frequent one (ties: the first seen).
 * @example wardName(['沖縄県みほん市中央区本町1丁目'], '沖縄県', 'みほん市') // '中央区'
 */
export function wardName(addresses: readonly string[], prefecture: string, city: string): string | undefined {
  const counts = new Map<string, number>();
  for (const raw of addresses) {
    let a = raw.normalize('NFC');
    if (prefecture && a.startsWith(prefecture)) a = a.slice(prefecture.length);
    if (city && a.startsWith(city)) a = a.slice(city.length);
    const m = /^(.{1,10}?区)/.exec(a);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestN = 0;
  for (const [name, n] of counts) {
    if (n > bestN) {
      best = name;
      bestN = n;
    }
  }
  return best;
}

/**
 * The area rows: the municipality first, then (designated city only) its wards in code order.
 * @example areasOf(snap, ['47101', '47102'], addresses)
 */
export function areasOf(snap: Snapshot, wards: readonly string[], addresses: Map<string, string[]>): Area[] {
  const city: Area = { key: '', code: snap.municipalityCode, prefecture: snap.prefectureName, name: snap.municipalityName };
  if (!isDesignatedCity(snap.municipalityCode)) return [city];
  return [
    city,
    ...wards.map((w) => {
      const name = wardName(addresses.get(w) ?? [], snap.prefectureName, snap.municipalityName);
      return { key: w, code: `${w}${municipalityCheckDigit(w)}`, prefecture: snap.prefectureName, name: `${snap.municipalityName}${name ?? `（区 ${w}）`}` };
    }),
  ];
}
