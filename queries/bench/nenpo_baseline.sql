-- Benchmark baseline for the 年報: the same counts computed by one plain SQL query directly on the
-- loaded history table (no report code, no templates): populations on both dates by 住民種別 × 性別,
-- 5-year age bands, household kinds, and the period's rows by 異動事由 × 住民種別 × 性別.
WITH rows_ AS (SELECT * FROM history WHERE NOT ignored),
asof2 AS (
  SELECT 宛名番号, 世帯番号, 住民種別, 性別, 生年月日, 生年月日不詳 FROM rows_
  WHERE eff_date < $d2::DATE AND (next_eff IS NULL OR next_eff >= $d2::DATE) AND 住民状態 = '現存'
),
asof1 AS (
  SELECT 住民種別, 性別 FROM rows_
  WHERE eff_date < $d1::DATE AND (next_eff IS NULL OR next_eff >= $d1::DATE) AND 住民状態 = '現存'
),
pop2 AS (SELECT 住民種別, 性別, count(*) AS n FROM asof2 GROUP BY ALL),
pop1 AS (SELECT 住民種別, 性別, count(*) AS n FROM asof1 GROUP BY ALL),
bands AS (
  SELECT 住民種別, 性別,
    least((year($d2::DATE) - year(生年月日) - CASE WHEN month($d2::DATE) * 100 + day($d2::DATE) < month(生年月日) * 100 + day(生年月日) THEN 1 ELSE 0 END) // 5, 20) AS band,
    count(*) AS n
  FROM asof2 WHERE NOT 生年月日不詳 AND 生年月日 IS NOT NULL GROUP BY ALL
),
hh AS (SELECT 世帯番号, bool_and(住民種別 = '日本人') AS j, bool_and(住民種別 = '外国人') AS f FROM asof2 GROUP BY 1),
events AS (
  SELECT 住民種別, 性別, 異動事由, 異動事由詳細, count(*) AS n FROM rows_
  WHERE eff_date >= $d1::DATE AND eff_date < $d2::DATE GROUP BY ALL
)
SELECT
  (SELECT list(pop2) FROM pop2) AS pop2,
  (SELECT list(pop1) FROM pop1) AS pop1,
  (SELECT count(*) FROM bands) AS band_cells,
  (SELECT {'j': count(*) FILTER (WHERE j), 'f': count(*) FILTER (WHERE f), 'mixed': count(*) FILTER (WHERE NOT j AND NOT f)} FROM hh) AS households,
  (SELECT count(*) FROM events) AS event_cells;
