// Persons and households of the simulation, each person's current register state and history rows.
import type { Address, Municipality } from './places.ts';
import type { Period } from './visa.ts';

/** Index of each common column (住民.csv minus 宛名番号) in a state array. */
export const C = {
  世帯番号: 0, 住民種別: 1, 住民状態: 2, 氏名: 3, 氏名カナ: 4, 氏名英字: 5, 通称: 6, 生年月日: 7, 生年月日不詳: 8,
  性別: 9, 続柄: 10, 住民となった年月日: 11, 住所コード: 12, 住所: 13, 方書: 14, 郵便番号: 15, 地区コード: 16, 住定日: 17,
  転入前住所コード: 18, 転入前住所: 19, 転出予定年月日: 20, 転出先住所コード: 21, 転出先住所: 22, 消除年月日: 23, 消除事由: 24,
  国籍: 25, 区分: 26, 在留資格: 27, 在留期間: 28, 満了日: 29, カード: 30, 支援措置: 31,
} as const;
export const STATE_WIDTH = 32;

/** One 異動履歴 row: the change and the full state after it. */
export interface Row {
  reason: string;
  detail: string;
  /** 異動日 and 処理日 as day numbers */
  a: number;
  p: number;
  notif: string;
  cancelT: number;
  fixT: number;
  kubun: string;
  st: string[];
}

export class Household {
  members: Person[] = [];
  constructor(
    readonly id: string,
    public addr: Address,
  ) {}

  head(): Person | undefined {
    return this.members.find((m) => m.st[C.続柄] === '世帯主');
  }
}

export class Person {
  readonly st: string[] = new Array<string>(STATE_WIDTH).fill('');
  readonly rows: Row[] = [];
  lastProc = -Infinity;
  /** in the register now (a 転出 filed in advance clears this at filing time) */
  present = false;
  hh: Household | null = null;
  // foreigners
  foreign = false;
  natKey = '';
  status = '';
  period: Period | null = null;
  expiry = 0;
  statusSince = 0;
  plannedExit = Infinity;
  exitAbroad = true;
  /** follows the household head's plans instead of its own */
  dependent = false;
  /** pending 誤記修正: the field and its true value */
  fix: { field: number; value: string } | null = null;

  constructor(
    readonly id: string,
    readonly male: boolean,
    /** true birth date (day number), NaN when 生年月日不詳 */
    public birth: number,
  ) {}

  rel(): string {
    return this.st[C.続柄] as string;
  }
}

/** Write an address (and its code, postcode and district) into a state. */
export function setAddress(st: string[], m: Municipality, addr: Address): void {
  const area = m.areas[addr.area]!;
  st[C.住所コード] = area.code;
  st[C.住所] = addr.text;
  st[C.方書] = addr.kata;
  st[C.郵便番号] = area.zip;
  st[C.地区コード] = area.district;
}

/** Clear the foreign-only columns (after 帰化). */
export function clearForeign(st: string[]): void {
  st[C.氏名英字] = '';
  st[C.通称] = '';
  st[C.国籍] = '';
  st[C.区分] = '';
  st[C.在留資格] = '';
  st[C.在留期間] = '';
  st[C.満了日] = '';
  st[C.カード] = '';
}

export function clearRemoval(st: string[]): void {
  st[C.住民状態] = '現存';
  st[C.転出予定年月日] = '';
  st[C.転出先住所コード] = '';
  st[C.転出先住所] = '';
  st[C.消除年月日] = '';
  st[C.消除事由] = '';
}
