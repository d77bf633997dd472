-- Recomputes the derived columns of history (see schema.sql) for every row of the persons a load
-- touched (temp table touched; $all_persons on a first load) and updates them in place: the
-- window runs over narrow rows only, and an in-place update is far cheaper than rewriting rows.
-- Cancellation rule (snapshot-format.md §8): a row R cancelled by an 異動の取消し row C is ignored
-- together with C when eff(C) ≤ eff(R); otherwise R took effect and C reverses it from eff(C).
CREATE OR REPLACE TEMP TABLE derived AS
WITH rows_ AS (
  SELECT 宛名番号, 履歴番号, eff_date, 異動事由, 取消対象履歴番号 FROM history
  WHERE $all_persons OR 宛名番号 IN (SELECT 宛名番号 FROM touched)
),
cancellers AS (
  SELECT 宛名番号, 履歴番号 AS c_no, eff_date AS c_eff, 取消対象履歴番号 AS r_no
  FROM rows_ WHERE starts_with(異動事由, '異動の取消し') AND 取消対象履歴番号 IS NOT NULL
),
pairs AS (
  SELECT c.宛名番号, c.c_no, c.c_eff, c.r_no, r.eff_date AS r_eff
  FROM cancellers c JOIN rows_ r ON r.宛名番号 = c.宛名番号 AND r.履歴番号 = c.r_no
),
marks AS (
  SELECT 宛名番号, r_no AS 履歴番号, c_eff <= r_eff AS ign,
         CASE WHEN c_eff > r_eff THEN c_eff END AS cancel_eff, NULL::DATE AS cancels_eff
  FROM pairs
  UNION ALL
  SELECT 宛名番号, c_no, c_eff <= r_eff, NULL::DATE, CASE WHEN c_eff > r_eff THEN r_eff END
  FROM pairs
),
mark AS (
  SELECT 宛名番号, 履歴番号, bool_or(ign) AS ign, min(cancel_eff) AS cancel_eff, min(cancels_eff) AS cancels_eff
  FROM marks GROUP BY ALL
),
narrow AS (
  SELECT w.宛名番号, w.履歴番号, w.eff_date, coalesce(m.ign, false) AS ignored,
         CASE WHEN NOT coalesce(m.ign, false) THEN m.cancel_eff END AS cancel_eff,
         CASE WHEN NOT coalesce(m.ign, false) THEN m.cancels_eff END AS cancels_eff
  FROM rows_ w LEFT JOIN mark m USING (宛名番号, 履歴番号)
)
SELECT 宛名番号, 履歴番号, ignored, cancel_eff, cancels_eff,
  CASE WHEN NOT ignored THEN lead(eff_date) OVER person END AS next_eff,
  CASE WHEN NOT ignored THEN lag(履歴番号) OVER person END AS prev_rireki
FROM narrow
WINDOW person AS (PARTITION BY 宛名番号, ignored ORDER BY eff_date, 履歴番号);

UPDATE history SET
  ignored = d.ignored, cancel_eff = d.cancel_eff, cancels_eff = d.cancels_eff, next_eff = d.next_eff, prev_rireki = d.prev_rireki
FROM derived d
WHERE history.宛名番号 = d.宛名番号 AND history.履歴番号 = d.履歴番号;

DROP TABLE derived;
