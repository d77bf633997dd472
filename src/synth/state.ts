// A person's 住民.csv state on the day after a cutoff, from history rows (snapshot-format.md §8 and §1).
import { C, type Row } from './person.ts';

function eff(r: Row): number {
  return r.a > r.p ? r.a : r.p;
}

/**
 * The state shown in 住民.csv of a package whose processedThrough is `cutoff`, from the person's
 * first `n` rows (those with 処理日 ≤ cutoff): the row with the greatest (効力発生日, 履歴番号) among
 * rows not ignored with 効力発生日 ≤ cutoff. A 転出 filed in advance for a later day shows as 現存
 * with its 転出予定年月日 / 転出先. Returns null when no row is in effect.
 */
export function residentState(rows: readonly Row[], n: number, cutoff: number): string[] | null {
  const w = residentRow(rows, n, cutoff);
  if (!w) return null;
  return w.pending < 0 ? rows[w.best]!.st : withPending(rows[w.best]!.st, rows[w.pending]!.st);
}

/** Indexes of the row in effect and of a pending 転出 filed in advance (-1 if none). */
export function residentRow(rows: readonly Row[], n: number, cutoff: number): { best: number; pending: number } | null {
  let ignored: Set<number> | null = null;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.cancelT > 0) {
      const t = rows[r.cancelT - 1];
      if (t && eff(r) <= eff(t)) (ignored ??= new Set()).add(i).add(r.cancelT - 1);
    }
  }
  let best = -1, pending = -1;
  for (let i = 0; i < n; i++) {
    if (ignored?.has(i)) continue;
    const e = eff(rows[i]!);
    if (e > cutoff) pending = i;
    else if (best < 0 || e >= eff(rows[best]!)) best = i;
  }
  if (best < 0) return null;
  return { best, pending };
}

/** A state shown with the 転出予定年月日 / 転出先 of a pending 転出. */
export function withPending(st: readonly string[], pst: readonly string[]): string[] {
  const out = st.slice();
  out[C.転出予定年月日] = pst[C.転出予定年月日]!;
  out[C.転出先住所コード] = pst[C.転出先住所コード]!;
  out[C.転出先住所] = pst[C.転出先住所]!;
  return out;
}
