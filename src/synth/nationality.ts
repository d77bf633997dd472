// Foreign residents' nationalities (written as names or ISO codes), countries, and names in kanji/katakana/Latin.
import { Rng, Weighted, weighted } from './rng.ts';

export type NameStyle = 'cn' | 'kr' | 'vn' | 'latin' | 'full';

export interface Nationality {
  /** How 国籍・地域 is usually written. */
  label: string;
  /** ISO 3166-1 codes some vendors write instead (alpha-3 first). */
  iso: readonly string[];
  /** Country name for 転入前住所 / 転出先住所. */
  country: string;
  style: NameStyle;
  /** Name parts (latin:kana) or kanji:kana:latin for cn/kr. */
  family: readonly string[];
  male: readonly string[];
  female: readonly string[];
}

const W = (s: string) => s.trim().split(/[ \t\n]+/).map((x) => x.replace(/_/g, ' '));

export const NATIONALITIES: Record<string, Nationality> = {
  中国: {
    label: '中国', iso: ['CHN', 'CN'], country: '中国', style: 'cn',
    family: W('王:ワン:WANG 李:リ:LI 張:チャン:ZHANG 劉:リュウ:LIU 陳:チェン:CHEN 楊:ヤン:YANG 黄:ホアン:HUANG 趙:チャオ:ZHAO 呉:ウー:WU 周:ジョウ:ZHOU 徐:シュー:XU 孫:スン:SUN 馬:マー:MA 朱:ジュー:ZHU 胡:フー:HU 郭:グオ:GUO 林:リン:LIN 高:ガオ:GAO 羅:ルオ:LUO 梁:リャン:LIANG'),
    male: W('偉:ウェイ:WEI 強:チアン:QIANG 磊:レイ:LEI 軍:ジュン:JUN 洋:ヤン:YANG 勇:ヨン:YONG 傑:ジエ:JIE 涛:タオ:TAO 明:ミン:MING 超:チャオ:CHAO 小明:シャオミン:XIAOMING 建華:ジエンホア:JIANHUA 志強:ジーチアン:ZHIQIANG 浩然:ハオラン:HAORAN 宇航:ユーハン:YUHANG'),
    female: W('静:ジン:JING 敏:ミン:MIN 麗:リー:LI 艶:イエン:YAN 芳:ファン:FANG 秀英:シウイン:XIUYING 桂英:グイイン:GUIYING 美玲:メイリン:MEILING 海燕:ハイイエン:HAIYAN 麗華:リーホア:LIHUA 雪:シュエ:XUE 庭:ティン:TING 佳怡:ジアイー:JIAYI 欣怡:シンイー:XINYI'),
  },
  台湾: {
    label: '台湾', iso: ['TWN', 'TW'], country: '台湾', style: 'cn',
    family: W('陳:チェン:CHEN 林:リン:LIN 黄:ホアン:HUANG 張:チャン:CHANG 李:リー:LEE 王:ワン:WANG 呉:ウー:WU 劉:リウ:LIU 蔡:ツァイ:TSAI 楊:ヤン:YANG'),
    male: W('家豪:ジアハオ:CHIAHAO 志明:ジーミン:CHIHMING 俊傑:ジュンジエ:CHUNCHIEH 建宏:ジエンホン:CHIENHUNG 冠宇:グアンユー:KUANYU'),
    female: W('淑芬:シューフェン:SHUFEN 美玲:メイリン:MEILING 雅芳:ヤーファン:YAFANG 怡君:イージュン:YICHUN 佳穎:ジアイン:CHIAYING'),
  },
  韓国: {
    label: '韓国', iso: ['KOR', 'KR'], country: '韓国', style: 'kr',
    family: W('金:キム:KIM 李:イ:LEE 朴:パク:PARK 崔:チェ:CHOI 鄭:チョン:JUNG 姜:カン:KANG 趙:チョ:CHO 尹:ユン:YOON 張:チャン:JANG 林:イム:LIM 韓:ハン:HAN 呉:オ:OH 申:シン:SHIN 徐:ソ:SEO 権:クォン:KWON'),
    male: W('正浩:ジョンホ:JUNGHO 成民:ソンミン:SUNGMIN 在勲:ジェフン:JAEHOON 志勲:ジフン:JIHOON 賢秀:ヒョンス:HYUNSOO 敏俊:ミンジュン:MINJUN 俊浩:ジュノ:JUNHO 英男:ヨンナム:YOUNGNAM 光洙:クァンス:KWANGSOO 東浩:ドンホ:DONGHO 相哲:サンチョル:SANGCHUL'),
    female: W('順子:スンジャ:SOONJA 英姫:ヨンヒ:YOUNGHEE 美淑:ミスク:MISOOK 恩美:ウンミ:EUNMI 秀珍:スジン:SUJIN 貞淑:チョンスク:JEONGSOOK 明姫:ミョンヒ:MYUNGHEE 智恩:ジウン:JIEUN 瑞妍:ソヨン:SEOYEON 順愛:スネ:SUNAE'),
  },
  朝鮮: {
    label: '朝鮮', iso: [], country: '朝鮮', style: 'kr',
    family: W('金:キム:KIM 李:リ:RI 朴:パク:PAK 崔:チェ:CHOE 鄭:チョン:CHONG 姜:カン:KANG 高:コ:KO'),
    male: W('英男:ヨンナム:YONGNAM 光洙:クァンス:KWANGSU 成哲:ソンチョル:SONGCHOL 正一:ジョンイル:JONGIL'),
    female: W('順子:スンジャ:SUNJA 英姫:ヨンヒ:YONGHUI 貞愛:チョンエ:CHONGAE 明玉:ミョンオク:MYONGOK'),
  },
  ベトナム: {
    label: 'ベトナム', iso: ['VNM', 'VN'], country: 'ベトナム', style: 'vn',
    family: W('NGUYEN:グエン TRAN:チャン LE:レ PHAM:ファム HOANG:ホアン HUYNH:フイン PHAN:ファン VU:ヴー VO:ヴォー DANG:ダン BUI:ブイ DO:ドー NGO:ゴー DUONG:ズオン LY:リー'),
    male: W('ANH:アイン MINH:ミン DUC:ドゥック HUNG:フン TUAN:トゥアン LONG:ロン NAM:ナム HAI:ハイ HIEU:ヒエウ QUANG:クアン THANH:タイン DUNG:ズン KHANH:カイン'),
    female: W('HUONG:フオン LAN:ラン LINH:リン MAI:マイ THAO:タオ TRANG:チャン NGOC:ゴック HOA:ホア THU:トゥ HANH:ハイン NHUNG:ニュン VY:ヴィ'),
  },
  フィリピン: {
    label: 'フィリピン', iso: ['PHL', 'PH'], country: 'フィリピン', style: 'latin',
    family: W('SANTOS:サントス REYES:レイエス CRUZ:クルス BAUTISTA:バウティスタ GARCIA:ガルシア MENDOZA:メンドーサ TORRES:トーレス RAMOS:ラモス AQUINO:アキノ DELA_CRUZ:デラ　クルス VILLANUEVA:ビリャヌエバ CASTILLO:カスティーヨ FLORES:フローレス GONZALES:ゴンザレス'),
    male: W('JOSE:ホセ JUAN:フアン MARK:マーク JOHN:ジョン MICHAEL:マイケル CHRISTIAN:クリスチャン RICHARD:リチャード JOSEPH:ジョセフ RYAN:ライアン'),
    female: W('MARIA:マリア ANA:アナ JOY:ジョイ GRACE:グレース ROSE:ローズ JENNIFER:ジェニファー ANGELICA:アンジェリカ MARICEL:マリセル KRISTINE:クリスティン'),
  },
  ブラジル: {
    label: 'ブラジル', iso: ['BRA', 'BR'], country: 'ブラジル', style: 'latin',
    family: W('SILVA:シルバ SANTOS:サントス OLIVEIRA:オリヴェイラ SOUZA:ソウザ PEREIRA:ペレイラ LIMA:リマ COSTA:コスタ FERREIRA:フェレイラ RODRIGUES:ロドリゲス ALVES:アウベス NAKAMURA:ナカムラ TAKAHASHI:タカハシ HIGA:ヒガ'),
    male: W('JOAO:ジョアン PEDRO:ペドロ LUCAS:ルーカス GABRIEL:ガブリエル RAFAEL:ハファエル BRUNO:ブルーノ MARCOS:マルコス THIAGO:チアゴ'),
    female: W('ANA:アナ JULIANA:ジュリアナ FERNANDA:フェルナンダ CAMILA:カミラ PATRICIA:パトリシア LUCIA:ルシア BEATRIZ:ベアトリス'),
  },
  ペルー: {
    label: 'ペルー', iso: ['PER', 'PE'], country: 'ペルー', style: 'latin',
    family: W('QUISPE:キスペ GARCIA:ガルシア FLORES:フローレス RODRIGUEZ:ロドリゲス SANCHEZ:サンチェス HUAMAN:ワマン CHAVEZ:チャベス'),
    male: W('LUIS:ルイス CARLOS:カルロス JORGE:ホルヘ JUAN:フアン MIGUEL:ミゲル'),
    female: W('ROSA:ロサ CARMEN:カルメン MARIA:マリア ELENA:エレナ SOFIA:ソフィア'),
  },
  ネパール: {
    label: 'ネパール', iso: ['NPL', 'NP'], country: 'ネパール', style: 'latin',
    family: W('GURUNG:グルン TAMANG:タマン SHRESTHA:シュレスタ THAPA:タパ RAI:ライ MAGAR:マガル ADHIKARI:アディカリ SHARMA:シャルマ BHANDARI:バンダリ KC:ケーシー'),
    male: W('RAM:ラム BIKASH:ビカス SURESH:スレス RAJESH:ラジェス PRAKASH:プラカス ROSHAN:ロシャン BINOD:ビノド SANTOSH:サントス'),
    female: W('SITA:シタ ANITA:アニタ SUNITA:スニタ GITA:ギタ MANISHA:マニサ SABINA:サビナ PUJA:プジャ'),
  },
  インドネシア: {
    label: 'インドネシア', iso: ['IDN', 'ID'], country: 'インドネシア', style: 'full',
    family: [],
    male: W('AHMAD_FAUZI:アハマド　ファウジ BUDI_SANTOSO:ブディ　サントソ AGUS_SETIAWAN:アグス　セティアワン EKO_PRASETYO:エコ　プラセティヨ RIZKY_PRATAMA:リズキ　プラタマ MUHAMMAD_RIDWAN:ムハマド　リドワン DIMAS_SAPUTRA:ディマス　サプトラ'),
    female: W('DEWI_LESTARI:デウィ　レスタリ SITI_AMINAH:シティ　アミナ SRI_WAHYUNI:スリ　ワフユニ FITRI_HANDAYANI:フィトリ　ハンダヤニ NUR_AINI:ヌル　アイニ RINA_WATI:リナ　ワティ'),
  },
  ミャンマー: {
    label: 'ミャンマー', iso: ['MMR', 'MM'], country: 'ミャンマー', style: 'full',
    family: [],
    male: W('AUNG_KYAW:アウン　チョー ZAW_MIN:ゾー　ミン KHIN_MAUNG:キン　マウン HTET_AUNG:テッ　アウン NAING_LIN:ナイン　リン PHYO_WAI:ピョー　ワイ KO_KO:コー　コー'),
    female: W('MYA_MYA:ミャ　ミャ THIN_THIN:ティン　ティン SU_SU:スー　スー MOE_MOE:モー　モー HNIN_WAI:ニン　ワイ EI_EI:エイ　エイ'),
  },
  タイ: {
    label: 'タイ', iso: ['THA', 'TH'], country: 'タイ', style: 'latin',
    family: W('SRISUK:シースック SAETANG:セータン WONGSA:ウォンサー BOONMA:ブンマー CHAIYAPHUM:チャイヤプーム'),
    male: W('SOMCHAI:ソムチャイ SOMSAK:ソムサック ANAN:アナン PRASIT:プラシット'),
    female: W('MALEE:マリー SUDA:スダー PORNTHIP:ポーンティップ KANYA:カンヤ'),
  },
  インド: {
    label: 'インド', iso: ['IND', 'IN'], country: 'インド', style: 'latin',
    family: W('SINGH:シン KUMAR:クマール SHARMA:シャルマ PATEL:パテル GUPTA:グプタ REDDY:レッディ NAIR:ナーイル'),
    male: W('RAHUL:ラフル AMIT:アミット VIKRAM:ヴィクラム ARJUN:アルジュン SANJAY:サンジャイ'),
    female: W('PRIYA:プリヤ ANJALI:アンジャリ DEEPA:ディーパ NEHA:ネハ KAVITA:カヴィタ'),
  },
  スリランカ: {
    label: 'スリランカ', iso: ['LKA', 'LK'], country: 'スリランカ', style: 'latin',
    family: W('PERERA:ペレラ FERNANDO:フェルナンド SILVA:シルバ DISSANAYAKE:ディサナヤケ JAYASINGHE:ジャヤシンハ BANDARA:バンダラ'),
    male: W('NIMAL:ニマル SUNIL:スニル KAMAL:カマル SANJEEWA:サンジーワ'),
    female: W('CHAMARI:チャマリ DILINI:ディリニ NADEESHA:ナディーシャ'),
  },
  米国: {
    label: '米国', iso: ['USA', 'US'], country: 'アメリカ合衆国', style: 'latin',
    family: W('SMITH:スミス JOHNSON:ジョンソン WILLIAMS:ウィリアムズ BROWN:ブラウン JONES:ジョーンズ MILLER:ミラー DAVIS:デイヴィス WILSON:ウィルソン TAYLOR:テイラー ANDERSON:アンダーソン'),
    male: W('JAMES:ジェームズ JOHN:ジョン ROBERT:ロバート MICHAEL:マイケル DAVID:デイヴィッド DANIEL:ダニエル'),
    female: W('SARAH:サラ EMILY:エミリー JESSICA:ジェシカ JENNIFER:ジェニファー ELIZABETH:エリザベス EMMA:エマ'),
  },
  英国: {
    label: '英国', iso: ['GBR', 'GB'], country: '英国', style: 'latin',
    family: W('SMITH:スミス JONES:ジョーンズ TAYLOR:テイラー BROWN:ブラウン EVANS:エヴァンズ WALKER:ウォーカー'),
    male: W('OLIVER:オリヴァー GEORGE:ジョージ HARRY:ハリー JACK:ジャック'),
    female: W('OLIVIA:オリヴィア AMELIA:アメリア SOPHIE:ソフィー CHARLOTTE:シャーロット'),
  },
  モンゴル: {
    label: 'モンゴル', iso: ['MNG', 'MN'], country: 'モンゴル', style: 'latin',
    family: W('BATBAYAR:バトバヤル GANBOLD:ガンボルド ENKHBAT:エンフバト'),
    male: W('BATAA:バター TEMUULEN:テムーレン'),
    female: W('NARAA:ナラー ANU:アヌ'),
  },
};

/** How 米国 is also written by some systems (the mihon package has both). */
const ALT_LABELS: Record<string, string> = { 米国: 'アメリカ' };

export interface ForeignName {
  name: string;
  kana: string;
  latin: string;
}

/** A name for a foreigner of nationality `n`; `familyOf` keeps a family's surname. */
export function foreignName(rng: Rng, n: Nationality, male: boolean, familyOf?: ForeignName): ForeignName {
  const given = rng.pick(male ? n.male : n.female);
  if (n.style === 'full') {
    const [latin, kana] = given.split(':') as [string, string];
    return { name: latin, kana, latin };
  }
  if (n.style === 'cn' || n.style === 'kr') {
    const [gk, gkana, glat] = given.split(':') as [string, string, string];
    let fk: string, fkana: string, flat: string;
    if (familyOf && familyOf.name.includes('\u3000')) {
      [fk, fkana] = [familyOf.name.split('\u3000')[0] as string, familyOf.kana.split('\u3000')[0] as string];
      flat = familyOf.latin.split(' ')[0] as string;
    } else {
      [fk, fkana, flat] = rng.pick(n.family).split(':') as [string, string, string];
    }
    return { name: `${fk}\u3000${gk}`, kana: `${fkana}\u3000${gkana}`, latin: `${flat} ${glat}` };
  }
  const [glat, gkana] = given.split(':') as [string, string];
  let flat: string, fkana: string;
  if (familyOf && n.style !== 'vn') {
    // keep everything before the given name (DELA CRUZ has a space)
    flat = familyOf.latin.slice(0, familyOf.latin.lastIndexOf(' '));
    fkana = familyOf.kana.slice(0, familyOf.kana.lastIndexOf('\u3000'));
  } else if (familyOf) {
    flat = familyOf.latin.split(' ')[0] as string;
    fkana = familyOf.kana.split('\u3000')[0] as string;
  } else {
    [flat, fkana] = rng.pick(n.family).split(':') as [string, string];
  }
  if (n.style === 'vn') {
    const mid = male ? ['VAN', 'ヴァン'] : ['THI', 'ティ'];
    const latin = `${flat} ${mid[0]} ${glat}`;
    return { name: latin, kana: `${fkana}\u3000${mid[1]}\u3000${gkana}`, latin };
  }
  const latin = `${flat} ${glat}`;
  return { name: latin, kana: `${fkana}\u3000${gkana}`, latin };
}

/** 国籍・地域 as written for one person: mostly the Japanese name, ~3% an ISO code. */
export function nationalityLabel(rng: Rng, key: string): string {
  const n = NATIONALITIES[key] as Nationality;
  const alt = ALT_LABELS[key];
  if (alt && rng.chance(0.4)) return alt;
  if (n.iso.length > 0 && rng.chance(0.03)) return rng.pick(n.iso);
  return n.label;
}

export function nat(key: string): Nationality {
  const n = NATIONALITIES[key];
  if (!n) throw new Error(`unknown nationality ${key}`);
  return n;
}

/** Countries Japanese residents move to / return from. */
export const ABROAD: Weighted<string> = weighted([
  ['アメリカ合衆国', 30], ['中国', 12], ['オーストラリア', 8], ['タイ', 7], ['カナダ', 6], ['英国', 6],
  ['シンガポール', 5], ['ドイツ', 5], ['韓国', 5], ['ベトナム', 4], ['フランス', 3], ['台湾', 4], ['ブラジル', 2],
]);

/** Every text the tables can write (for encoding tests). */
export function allForeignText(): string[] {
  const out: string[] = [];
  for (const n of Object.values(NATIONALITIES)) {
    out.push(n.label, n.country, ...n.iso);
    for (const e of [...n.family, ...n.male, ...n.female]) out.push(...e.split(':'));
  }
  out.push(...Object.values(ALT_LABELS), ...ABROAD.items);
  return out;
}
