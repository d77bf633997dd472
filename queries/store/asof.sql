-- The as-of layer (snapshot-format.md §8). Reports and EUC read the register only through these.

-- 満年齢 on date d for a birth date b (a Feb 29 birthday falls on Mar 1 in common years).
-- Not date_diff('year', …), which counts year boundaries.
CREATE OR REPLACE MACRO age_on(b, d) AS
  year(d) - year(b) - CASE WHEN month(d) * 100 + day(d) < month(b) * 100 + day(b) THEN 1 ELSE 0 END;

-- 基準日現在: each person's state from the row with the greatest (効力発生日, 履歴番号) among the
-- rows not ignored with 効力発生日 < d, for persons whose state there is 現存. One row per person.
CREATE OR REPLACE MACRO residents_asof(d) AS TABLE
  SELECT * EXCLUDE (ignored, cancel_eff, cancels_eff, next_eff, prev_rireki, row_hash)
  FROM history
  WHERE NOT ignored AND eff_date < d AND (next_eff IS NULL OR next_eff >= d) AND 住民状態 = '現存';

-- Every person's state as of d, 現存 or 消除 (for checks that need removed persons too).
CREATE OR REPLACE MACRO persons_asof(d) AS TABLE
  SELECT * EXCLUDE (ignored, cancel_eff, cancels_eff, next_eff, prev_rireki, row_hash)
  FROM history
  WHERE NOT ignored AND eff_date < d AND (next_eff IS NULL OR next_eff >= d);

-- Changes in the period [d1, d2): the rows not ignored whose 効力発生日 falls inside it, with the
-- person's previous state. counted = false when the row and its 異動の取消し both fall in the period
-- (nenpo.md §3: neither row is counted).
CREATE OR REPLACE MACRO changes_in(d1, d2) AS TABLE
  SELECT h.* EXCLUDE (ignored, next_eff, row_hash),
    NOT coalesce((h.cancel_eff >= d1 AND h.cancel_eff < d2) OR (h.cancels_eff >= d1 AND h.cancels_eff < d2), false) AS counted,
    p.住民種別 AS prev_住民種別,
    p.住民状態 AS prev_住民状態,
    p.住所コード AS prev_住所コード,
    p.法30条45区分 AS prev_法30条45区分,
    p.世帯番号 AS prev_世帯番号
  FROM history h
  LEFT JOIN history p ON p.宛名番号 = h.宛名番号 AND p.履歴番号 = h.prev_rireki
  WHERE NOT h.ignored AND h.eff_date >= d1 AND h.eff_date < d2;
