// The synthetic municipality: its code, wards, 町丁字 with 住所コード/郵便番号/地区コード, and where people move from and to.
import { Rng, Weighted, weighted } from './rng.ts';

export interface Area {
  /** 住所コード without the last digits that vary: the full 11 digits of this 町丁字 */
  code: string;
  /** text up to the 町丁字, e.g. 北海道さんぷる市本町1丁目 */
  label: string;
  /** 字 areas write 'N番地', 丁目 areas 'N番N号' */
  aza: boolean;
  zip: string;
  district: string;
}

export interface Municipality {
  code: string;
  name: string;
  pref: string;
  okinawa: boolean;
  designated: boolean;
  areas: Area[];
  areaPick: Weighted<number>;
  /** other municipalities (5-digit code, text prefix) for 転入前住所 / 転出先住所 */
  elsewhere: Weighted<readonly [string, string]>;
}

/** 全国地方公共団体コード check digit (JIS X 0402): weights 6..2, mod 11. */
export function checkDigit(code5: string): string {
  let s = 0;
  for (let i = 0; i < 5; i++) s += Number(code5[i]) * (6 - i);
  const r = 11 - (s % 11);
  return String(r % 10);
}

const BASE_NAMES = `本町 中央 栄町 緑町 旭町 幸町 錦町 大通 東町 西町 南町 北町 新町 元町 末広町 若葉町 桜町 曙町 春日町 宮前
山手 港町 川端町 柳町 松原 青葉 富士見 日の出町 住吉 八幡 泉町 花園 千代田 弥生町 朝日町 清水 高砂 白鳥 美園 星が丘
緑が丘 梅ケ丘 中島 新栄 寿町 亀田 入船 明治町 昭和町 豊町 共栄 光町 平和 宮の森 桜木町 美原 富岡 上町 下町 稲穂
`.trim().split(/\s+/);
const AZA_NAMES = `みほん ためし 上野 下野 大原 小原 中山 高台 沢口 川向 西原 東原 北原 南原 新田 古川 岩崎 長浜 松山 竹林
`.trim().split(/\s+/);

/** How many 町丁字: ~30 for a small town, up to ~200 for a large city. */
export function areaCount(residents: number): number {
  const x = Math.log10(Math.max(residents, 2000) / 2000) / Math.log10(2000);
  return Math.round(30 + 170 * Math.min(1, x));
}

const WARDS = ['中央区', '北区', '南区', '東区', '西区'];

const ELSEWHERE_HOKKAIDO: Array<[string, string, number]> = [
  ['01386', '北海道ためし村', 12], ['01385', '北海道みほん町', 10], ['01101', '北海道札幌市中央区', 14], ['01102', '北海道札幌市北区', 8],
  ['01103', '北海道札幌市東区', 7], ['01204', '北海道旭川市', 7], ['01202', '北海道函館市', 5], ['01203', '北海道小樽市', 4],
  ['01206', '北海道釧路市', 3], ['01207', '北海道帯広市', 3], ['01217', '北海道江別市', 4],
];
const ELSEWHERE_OKINAWA: Array<[string, string, number]> = [
  ['47201', '沖縄県那覇市', 20], ['47211', '沖縄県沖縄市', 10], ['47208', '沖縄県浦添市', 9], ['47205', '沖縄県宜野湾市', 8],
  ['47213', '沖縄県うるま市', 7], ['47212', '沖縄県豊見城市', 5], ['47209', '沖縄県名護市', 4], ['47210', '沖縄県糸満市', 4],
];
const ELSEWHERE_JAPAN: Array<[string, string, number]> = [
  ['13104', '東京都新宿区', 5], ['13112', '東京都世田谷区', 5], ['13120', '東京都練馬区', 4], ['14109', '神奈川県横浜市港北区', 4],
  ['14133', '神奈川県川崎市中原区', 3], ['11107', '埼玉県さいたま市浦和区', 3], ['12101', '千葉県千葉市中央区', 3],
  ['23106', '愛知県名古屋市中区', 3], ['27127', '大阪府大阪市北区', 4], ['04101', '宮城県仙台市青葉区', 3],
  ['40132', '福岡県福岡市博多区', 3], ['28110', '兵庫県神戸市中央区', 2], ['26104', '京都府京都市中京区', 2], ['34101', '広島県広島市中区', 2],
];
const ELSEWHERE_TOWNS = ['中央', '本町', '栄町', '緑町', '旭町', '幸町', '東町', '西町', '南町', '北町', '新町', '元町'];

/** Build the municipality: さんぷる市 (北海道, 013871) or, designated, みほん市 (沖縄県, 471003) with 5 wards. */
export function buildMunicipality(rng: Rng, residents: number, designated: boolean): Municipality {
  const pref = designated ? '沖縄県' : '北海道';
  const city5 = designated ? '47100' : '01387';
  const name = designated ? 'みほん市' : 'さんぷる市';
  const n = areaCount(residents);
  const areas: Area[] = [];
  const weights: number[] = [];
  const wardCount = designated ? WARDS.length : 1;
  let base = 0, aza = 0;
  const perWard = new Array<number>(wardCount).fill(0);
  while (areas.length < n) {
    const w = designated ? areas.length % wardCount : 0;
    const prefix5 = designated ? `4710${w + 1}` : city5;
    const cityText = designated ? `${pref}${name}${WARDS[w]}` : `${pref}${name}`;
    const ooaza = ++perWard[w]!;
    const ooazaCode = String(ooaza).padStart(3, '0');
    const district = String(((base + aza) % 12) + 1).padStart(2, '0');
    const zip = designated ? `90${w + 1}${String(ooaza).padStart(4, '0')}` : `0499${String(ooaza).padStart(3, '0')}`;
    if ((base + aza) % 7 === 6 && aza < AZA_NAMES.length) {
      const label = `${cityText}字${AZA_NAMES[aza++]}`;
      areas.push({ code: `${prefix5}${ooazaCode}000`, label, aza: true, zip, district });
      weights.push(0.2 + rng.exp(0.5));
      continue;
    }
    const b = BASE_NAMES[base % BASE_NAMES.length]! + (base >= BASE_NAMES.length ? '新' : '');
    base++;
    const chome = rng.int(1, 5);
    for (let c = 1; c <= chome && areas.length < n; c++) {
      areas.push({ code: `${prefix5}${ooazaCode}${String(c).padStart(3, '0')}`, label: `${cityText}${b}${c}丁目`, aza: false, zip, district });
      weights.push(0.3 + rng.exp(1));
    }
  }
  const own = designated ? ELSEWHERE_OKINAWA : ELSEWHERE_HOKKAIDO;
  const other = designated ? [...ELSEWHERE_JAPAN, ...ELSEWHERE_HOKKAIDO.slice(2, 5)] : [...ELSEWHERE_JAPAN, ...ELSEWHERE_OKINAWA.slice(0, 2)];
  const elsewhere = weighted<readonly [string, string]>([
    ...own.map((e) => [[e[0], e[1]] as const, e[2] * 2] as const),
    ...other.map((e) => [[e[0], e[1]] as const, e[2]] as const),
  ]);
  return {
    code: city5 + checkDigit(city5), name, pref, okinawa: designated, designated,
    areas, areaPick: new Weighted(areas.map((_, i) => i), weights), elsewhere,
  };
}

/** Building names used in 方書. */
const BUILDINGS = `さんぷるハイツ コーポ桜 メゾン緑 グリーンハイツ サンシャイン本町 レジデンス中央 ハイツ青葉 第2光荘 パークサイド栄
ロイヤルマンション 中央コーポ アーバン旭 セジュール幸 プラザ錦 フォレスト若葉 エスポワール末広 みほんハイツ さんぷるマンション`.trim().split(/\s+/);

/** A household's address. `kata` is the 方書 (building and room) or ''. */
export interface Address {
  area: number;
  text: string;
  kata: string;
}

export function randomAddress(rng: Rng, m: Municipality, apartment: boolean, dorm = false): Address {
  const area = m.areaPick.pick(rng);
  const a = m.areas[area]!;
  const ban = rng.int(1, a.aza ? 400 : 30);
  const text = a.aza ? `${a.label}${ban}番地` : `${a.label}${ban}番${rng.int(1, 25)}号`;
  let kata = '';
  if (dorm) kata = rng.pick(['社員寮', '第1社員寮', '第2社員寮', '技能実習生寮', '学生寮']);
  else if (apartment) kata = `${rng.pick(BUILDINGS)}${rng.int(1, 8)}${String(rng.int(1, 12)).padStart(2, '0')}`;
  return { area, text, kata };
}

/** A domestic address elsewhere: [住所コード, 住所]. */
export function elsewhereAddress(rng: Rng, m: Municipality): readonly [string, string] {
  const [code5, prefix] = m.elsewhere.pick(rng);
  const t = rng.int(0, ELSEWHERE_TOWNS.length - 1);
  const c = rng.int(1, 5);
  return [`${code5}${String(t + 1).padStart(3, '0')}${String(c).padStart(3, '0')}`,
    `${prefix}${ELSEWHERE_TOWNS[t]}${c}丁目${rng.int(1, 30)}番${rng.int(1, 20)}号`];
}

/** Every text this module can write (for encoding tests). */
export function allPlaceText(): string[] {
  return [...BASE_NAMES, ...AZA_NAMES, ...WARDS, ...BUILDINGS, ...ELSEWHERE_TOWNS, '社員寮', '第1社員寮', '第2社員寮', '技能実習生寮', '学生寮',
    ...[...ELSEWHERE_HOKKAIDO, ...ELSEWHERE_OKINAWA, ...ELSEWHERE_JAPAN].map((e) => e[1]), '北海道さんぷる市', '沖縄県みほん市', '番地', '丁目', '番', '号'];
}
