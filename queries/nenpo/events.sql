-- 人口動態の事象 (nenpo.md §3): the rows of changes_in($d1, $d2) that count, each with its 集計列
-- from nenpo_mapping (the most specific matching rule), into TEMP TABLE nenpo_events.
--   level '市': the municipality. 区間移動 rows (転居 etc.) never count here.
--   level '区': per ward (first 5 digits of 住所コード). A 記載 counts in the ward of the row's own
--     address, a 消除 in the ward the person was in just before (the previous row's address). A
--     区間移動 row whose ward differs from the previous row's, the person 現存 before and after, is
--     a 転出者数（国内） of the old ward and a 転入者数（国内） of the new one.
-- Rows cancelled in the same period (counted = false) never count; ignored rows are not in changes_in.
-- Each row is counted by its own 住民種別 and 性別 (a naturalisation is a 外国人 消除 + a 日本人 記載).

-- Step 1: the period's counted rows with their 集計列. The rule is chosen once per distinct
-- (異動事由, 異動事由詳細, 住民種別), not once per row.
CREATE OR REPLACE TEMP TABLE nenpo_changes AS
WITH ch AS (
  SELECT 宛名番号, 履歴番号, 異動事由, 異動事由詳細, 住民種別, 性別, 住民状態, 住所コード, prev_住民状態, prev_住所コード
  FROM changes_in($d1::DATE, $d2::DATE)
  WHERE counted
),
kinds AS (
  SELECT DISTINCT 異動事由, 異動事由詳細, 住民種別 FROM ch
),
rule AS (
  SELECT k.*, arg_max(r.集計列, r.詳しさ) AS 集計列
  FROM kinds k
  JOIN nenpo_mapping r
    ON r.異動事由 = k.異動事由
   AND (r.異動事由詳細 IS NULL OR r.異動事由詳細 IS NOT DISTINCT FROM k.異動事由詳細)
   AND (r.住民種別 IS NULL OR r.住民種別 = k.住民種別)
  GROUP BY ALL
)
SELECT ch.*, rule.集計列,
  CASE WHEN starts_with(rule.集計列, '転出者数') OR rule.集計列 = '死亡者数' OR starts_with(rule.集計列, 'その他消除') THEN -1 ELSE 1 END AS sign
FROM ch
JOIN rule
  ON rule.異動事由 = ch.異動事由
 AND rule.異動事由詳細 IS NOT DISTINCT FROM ch.異動事由詳細
 AND rule.住民種別 = ch.住民種別
WHERE rule.集計列 <> '数えない';

-- Step 2: the events, at city and ward level.
CREATE OR REPLACE TEMP TABLE nenpo_events AS
WITH moves AS (
  SELECT * FROM nenpo_changes
  WHERE 集計列 = '区間移動' AND prev_住民状態 = '現存' AND 住民状態 = '現存'
    AND left(prev_住所コード, 5) <> left(住所コード, 5)
)
SELECT '市' AS level, NULL::VARCHAR AS ward, 宛名番号, 履歴番号, 異動事由, 住民種別, 性別, 集計列, sign
FROM nenpo_changes WHERE 集計列 <> '区間移動'
UNION ALL
SELECT '区', left(CASE WHEN sign < 0 THEN coalesce(prev_住所コード, 住所コード) ELSE 住所コード END, 5),
  宛名番号, 履歴番号, 異動事由, 住民種別, 性別, 集計列, sign
FROM nenpo_changes WHERE 集計列 <> '区間移動'
UNION ALL
SELECT '区', left(prev_住所コード, 5), 宛名番号, 履歴番号, 異動事由, 住民種別, 性別, '転出者数（国内）', -1 FROM moves
UNION ALL
SELECT '区', left(住所コード, 5), 宛名番号, 履歴番号, 異動事由, 住民種別, 性別, '転入者数（国内）', 1 FROM moves;
