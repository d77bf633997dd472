// Japanese family and given names (kanji + katakana reading), weighted by rank and generation, with rare 外字.
import { Rng, Weighted } from './rng.ts';

export interface Name {
  kanji: string;
  kana: string;
}

function table(src: string): Name[] {
  return src.trim().split(/\s+/).map((pair) => {
    const [kanji, kana] = pair.split(':');
    if (!kanji || !kana) throw new Error(`bad name entry ${pair}`);
    return { kanji, kana };
  });
}

const FAMILY = table(`
佐藤:サトウ 鈴木:スズキ 高橋:タカハシ 田中:タナカ 伊藤:イトウ 渡辺:ワタナベ 山本:ヤマモト 中村:ナカムラ 小林:コバヤシ 加藤:カトウ
吉田:ヨシダ 山田:ヤマダ 佐々木:ササキ 山口:ヤマグチ 松本:マツモト 井上:イノウエ 木村:キムラ 林:ハヤシ 斎藤:サイトウ 清水:シミズ
山崎:ヤマザキ 森:モリ 池田:イケダ 橋本:ハシモト 阿部:アベ 石川:イシカワ 山下:ヤマシタ 中島:ナカジマ 石井:イシイ 小川:オガワ
前田:マエダ 岡田:オカダ 長谷川:ハセガワ 藤田:フジタ 後藤:ゴトウ 近藤:コンドウ 村上:ムラカミ 遠藤:エンドウ 青木:アオキ 坂本:サカモト
斉藤:サイトウ 福田:フクダ 太田:オオタ 西村:ニシムラ 藤井:フジイ 金子:カネコ 岡本:オカモト 藤原:フジワラ 中野:ナカノ 三浦:ミウラ
原田:ハラダ 中川:ナカガワ 松田:マツダ 竹内:タケウチ 小野:オノ 田村:タムラ 中山:ナカヤマ 和田:ワダ 石田:イシダ 森田:モリタ
上田:ウエダ 原:ハラ 内田:ウチダ 柴田:シバタ 酒井:サカイ 宮崎:ミヤザキ 横山:ヨコヤマ 高木:タカギ 安藤:アンドウ 宮本:ミヤモト
大野:オオノ 小島:コジマ 谷口:タニグチ 今井:イマイ 工藤:クドウ 高田:タカダ 増田:マスダ 丸山:マルヤマ 杉山:スギヤマ 村田:ムラタ
大塚:オオツカ 新井:アライ 小山:コヤマ 平野:ヒラノ 藤本:フジモト 河野:コウノ 上野:ウエノ 野口:ノグチ 武田:タケダ 松井:マツイ
千葉:チバ 岩崎:イワサキ 菅原:スガワラ 木下:キノシタ 久保:クボ 佐野:サノ 野村:ノムラ 松尾:マツオ 市川:イチカワ 菊地:キクチ
杉本:スギモト 古川:フルカワ 大西:オオニシ 島田:シマダ 水野:ミズノ 桜井:サクライ 高野:タカノ 渡部:ワタナベ 吉川:ヨシカワ 山内:ヤマウチ
西田:ニシダ 飯田:イイダ 菊池:キクチ 西川:ニシカワ 小松:コマツ 北村:キタムラ 安田:ヤスダ 五十嵐:イガラシ 川口:カワグチ 平田:ヒラタ
関:セキ 中田:ナカタ 久保田:クボタ 服部:ハットリ 東:ヒガシ 岩田:イワタ 土屋:ツチヤ 川崎:カワサキ 福島:フクシマ 本田:ホンダ
辻:ツジ 樋口:ヒグチ 秋山:アキヤマ 田口:タグチ 永井:ナガイ 山中:ヤマナカ 中西:ナカニシ 吉村:ヨシムラ 川上:カワカミ 石原:イシハラ
大橋:オオハシ 松岡:マツオカ 馬場:ババ 浅野:アサノ 荒木:アラキ 大久保:オオクボ 野田:ノダ 小沢:オザワ 田辺:タナベ 川村:カワムラ
星野:ホシノ 黒田:クロダ 堀:ホリ 尾崎:オザキ 望月:モチヅキ 永田:ナガタ 熊谷:クマガイ 内藤:ナイトウ 松浦:マツウラ 大谷:オオタニ
平井:ヒライ 宮田:ミヤタ 松下:マツシタ 岡崎:オカザキ 小池:コイケ 川田:カワダ 杉浦:スギウラ 成田:ナリタ 北川:キタガワ 岩本:イワモト
片山:カタヤマ 桑原:クワハラ 中尾:ナカオ 西山:ニシヤマ 早川:ハヤカワ 矢野:ヤノ 堀内:ホリウチ 小田:オダ 吉岡:ヨシオカ 宮下:ミヤシタ
関口:セキグチ 藤川:フジカワ 大石:オオイシ 荒井:アライ 奥村:オクムラ 松村:マツムラ 根本:ネモト 今村:イマムラ 前川:マエカワ 須藤:スドウ
野崎:ノザキ 富田:トミタ 小西:コニシ 大川:オオカワ 本間:ホンマ 栗原:クリハラ 三上:ミカミ 菅野:カンノ 中井:ナカイ 横田:ヨコタ
佐久間:サクマ 石橋:イシバシ 大島:オオシマ 西尾:ニシオ 牧野:マキノ 森本:モリモト 奥田:オクダ 山根:ヤマネ 小倉:オグラ 松原:マツバラ
吉野:ヨシノ 浜田:ハマダ 大森:オオモリ 篠原:シノハラ 高山:タカヤマ 石塚:イシヅカ 小笠原:オガサワラ 岡:オカ 竹田:タケダ 村井:ムライ
宇野:ウノ 上原:ウエハラ 吉井:ヨシイ 相馬:ソウマ 三好:ミヨシ 津田:ツダ 白石:シライシ 榎本:エノモト 広瀬:ヒロセ 野中:ノナカ
南:ミナミ 安部:アベ 宮内:ミヤウチ 塚本:ツカモト 八木:ヤギ 戸田:トダ 秋元:アキモト 沢田:サワダ 村松:ムラマツ 新田:ニッタ
滝沢:タキザワ 谷:タニ 吉本:ヨシモト 長田:ナガタ 梅田:ウメダ 植田:ウエダ 金井:カナイ 稲垣:イナガキ 福井:フクイ 竹中:タケナカ
`);

/** Family names much commoner in 沖縄 (weighted up for a municipality there). */
const FAMILY_OKINAWA = table(`
比嘉:ヒガ 金城:キンジョウ 大城:オオシロ 宮城:ミヤギ 新垣:アラカキ 島袋:シマブクロ 玉城:タマキ 上原:ウエハラ 上地:ウエチ 知念:チネン
仲宗根:ナカソネ 照屋:テルヤ 山城:ヤマシロ 当山:トウヤマ 赤嶺:アカミネ 平良:タイラ 伊波:イハ 安里:アサト 具志堅:グシケン 宮里:ミヤザト
`);

/** Kanji variants written with IBM/NEC extension characters (髙, 﨑), keyed by the ordinary form. */
const VARIANTS: Record<string, Name[]> = {
  高橋: [{ kanji: '髙橋', kana: 'タカハシ' }],
  高田: [{ kanji: '髙田', kana: 'タカダ' }],
  高木: [{ kanji: '髙木', kana: 'タカギ' }],
  高野: [{ kanji: '髙野', kana: 'タカノ' }],
  山崎: [{ kanji: '山﨑', kana: 'ヤマザキ' }],
  宮崎: [{ kanji: '宮﨑', kana: 'ミヤザキ' }],
  岡崎: [{ kanji: '岡﨑', kana: 'オカザキ' }],
  川崎: [{ kanji: '川﨑', kana: 'カワサキ' }],
  岩崎: [{ kanji: '岩﨑', kana: 'イワサキ' }],
  尾崎: [{ kanji: '尾﨑', kana: 'オザキ' }],
};

// Given names by sex and generation: [born before 1955, 1955–1989, 1990 and later].
const MALE = [
  table(`清:キヨシ 茂:シゲル 博:ヒロシ 実:ミノル 勇:イサム 進:ススム 正:タダシ 勝:マサル 武:タケシ 稔:ミノル
弘:ヒロシ 勲:イサオ 昭:アキラ 明:アキラ 正雄:マサオ 和夫:カズオ 幸雄:ユキオ 一郎:イチロウ 三郎:サブロウ 秀雄:ヒデオ
義雄:ヨシオ 健一:ケンイチ 隆:タカシ 修:オサム 豊:ユタカ 昇:ノボル 敏夫:トシオ 光男:ミツオ 貞夫:サダオ 松男:マツオ
次郎:ジロウ 忠:タダシ 保:タモツ 久雄:ヒサオ 哲夫:テツオ 信夫:ノブオ 静雄:シズオ 利夫:トシオ 正治:マサハル 金次郎:キンジロウ`),
  table(`誠:マコト 健:ケン 浩:ヒロシ 大輔:ダイスケ 健一:ケンイチ 隆:タカシ 剛:ツヨシ 学:マナブ 直樹:ナオキ 哲也:テツヤ
和也:カズヤ 達也:タツヤ 拓也:タクヤ 健太:ケンタ 大介:ダイスケ 秀樹:ヒデキ 浩二:コウジ 宏:ヒロシ 淳:ジュン 亮:リョウ
聡:サトシ 裕之:ヒロユキ 雅之:マサユキ 智:サトシ 崇:タカシ 康弘:ヤスヒロ 修一:シュウイチ 勝也:カツヤ 正樹:マサキ 伸一:シンイチ
光:ヒカル 洋平:ヨウヘイ 慎一:シンイチ 英樹:ヒデキ 純一:ジュンイチ 太郎:タロウ 一郎:イチロウ 和彦:カズヒコ 賢治:ケンジ`),
  table(`蓮:レン 陽翔:ハルト 湊:ミナト 悠真:ユウマ 大翔:ヒロト 翔太:ショウタ 拓海:タクミ 颯太:ソウタ 蒼:アオイ 樹:イツキ
大和:ヤマト 陸:リク 悠斗:ユウト 陽太:ヨウタ 結翔:ユイト 健太:ケンタ 翔:ショウ 大輝:ダイキ 優斗:ユウト 颯:ハヤテ
朝陽:アサヒ 律:リツ 碧:アオイ 蒼空:ソラ 晴:ハル 翼:ツバサ 海斗:カイト 駿:シュン 涼太:リョウタ 亮太:リョウタ
大地:ダイチ 直人:ナオト 和樹:カズキ 拓也:タクヤ 悠人:ユウト 奏太:カナタ 陽向:ヒナタ 凪:ナギ 瑛太:エイタ 湊斗:ミナト`),
];

const FEMALE = [
  table(`幸子:サチコ 和子:カズコ 節子:セツコ 洋子:ヨウコ 京子:キョウコ 久子:ヒサコ 文子:フミコ トメ:トメ ウメ:ウメ ハル:ハル
キヨ:キヨ ミツ:ミツ 静子:シズコ 美代子:ミヨコ 千代子:チヨコ 照子:テルコ 弘子:ヒロコ 信子:ノブコ 恵子:ケイコ 昭子:アキコ
悦子:エツコ 正子:マサコ 敏子:トシコ 清子:キヨコ 芳子:ヨシコ 光子:ミツコ 春子:ハルコ 花子:ハナコ 貞子:サダコ 君子:キミコ
良子:ヨシコ 美智子:ミチコ 勝子:カツコ 富子:トミコ 澄子:スミコ 松子:マツコ 菊江:キクエ 八重子:ヤエコ 栄子:エイコ ヨシ:ヨシ`),
  table(`恵子:ケイコ 裕子:ユウコ 由美子:ユミコ 真由美:マユミ 明美:アケミ 直美:ナオミ 久美子:クミコ 陽子:ヨウコ 智子:トモコ 美穂:ミホ
恵:メグミ 愛:アイ 香織:カオリ 純子:ジュンコ 由紀:ユキ 麻衣:マイ 彩:アヤ 舞:マイ 瞳:ヒトミ 千秋:チアキ
美香:ミカ 浩子:ヒロコ 典子:ノリコ 順子:ジュンコ 理恵:リエ 奈美:ナミ 幸恵:ユキエ 貴子:タカコ 優子:ユウコ 美紀:ミキ
綾:アヤ 沙織:サオリ 亜希子:アキコ 祐子:ユウコ 良子:ヨシコ 真理子:マリコ 春香:ハルカ 恵美:エミ 美和:ミワ 由香:ユカ`),
  table(`陽葵:ヒマリ 凛:リン 結菜:ユイナ 葵:アオイ 陽菜:ヒナ 芽依:メイ 紬:ツムギ 結衣:ユイ 莉子:リコ 美咲:ミサキ
咲良:サクラ さくら:サクラ 杏:アン 澪:ミオ 結愛:ユア 心春:コハル 花:ハナ 彩花:アヤカ 七海:ナナミ 優奈:ユウナ
美月:ミヅキ 愛莉:アイリ 琴音:コトネ 千尋:チヒロ 遥:ハルカ 菜々子:ナナコ 真央:マオ 詩:ウタ 楓:カエデ 翠:ミドリ
芽生:メイ 花音:カノン 日菜:ヒナ 沙羅:サラ 彩乃:アヤノ 奈々:ナナ 萌:モエ 瑞希:ミズキ ひなた:ヒナタ ふたば:フタバ`),
];

function rankWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / (i + 6));
}

/** Name generator for one municipality: `regionOkinawa` weights 沖縄 family names up. */
export class NameMaker {
  private readonly family: Weighted<Name>;
  private readonly male: Weighted<Name>[];
  private readonly female: Weighted<Name>[];

  constructor(regionOkinawa: boolean) {
    const fw = rankWeights(FAMILY.length);
    const ow = FAMILY_OKINAWA.map((_, i) => (regionOkinawa ? 2.2 : 0.01) / (i + 4));
    this.family = new Weighted([...FAMILY, ...FAMILY_OKINAWA], [...fw, ...ow]);
    this.male = MALE.map((t) => new Weighted(t, rankWeights(t.length)));
    this.female = FEMALE.map((t) => new Weighted(t, rankWeights(t.length)));
  }

  /** A family name; ~8% of the names that have a 髙/﨑 form are written with it, ~0.05% carry a 外字. */
  familyName(rng: Rng): Name {
    let n = this.family.pick(rng);
    const v = VARIANTS[n.kanji];
    if (v && rng.chance(0.08)) n = rng.pick(v);
    if (rng.chance(0.0005)) n = withGaiji(n, rng);
    return n;
  }

  /** A given name fitting the birth year and sex. */
  givenName(rng: Rng, male: boolean, birthYear: number): Name {
    // blend generations near the boundaries so names change gradually
    const g = birthYear + rng.int(-6, 6) < 1955 ? 0 : birthYear + rng.int(-6, 6) < 1990 ? 1 : 2;
    return ((male ? this.male : this.female)[g] as Weighted<Name>).pick(rng);
  }
}

/** Replace one kanji with a private-use character (U+E000–U+E757, the CP932 user-defined area). */
export function withGaiji(n: Name, rng: Rng): Name {
  const chars = [...n.kanji];
  const i = rng.int(0, chars.length - 1);
  chars[i] = String.fromCharCode(0xe000 + rng.int(0, 0x757));
  return { kanji: chars.join(''), kana: n.kana };
}

/** '見本　太郎' style full name (U+3000 between family and given name). */
export function join(family: string, given: string): string {
  return `${family}\u3000${given}`;
}

/** Every kanji/kana string in the tables (for encoding tests). */
export function allNameText(): string[] {
  const out: string[] = [];
  for (const n of [...FAMILY, ...FAMILY_OKINAWA, ...Object.values(VARIANTS).flat(), ...MALE.flat(), ...FEMALE.flat()]) {
    out.push(n.kanji, n.kana);
  }
  return out;
}
