-- 整合性チェック1 (nenpo.md §5) の原因: the persons whose own stock and flow do not balance —
-- resident on $d1 + their 記載 − their 消除 in nenpo_events ≠ resident on $d2 — per level (市・区),
-- ward, 住民種別 and 性別, with their history rows in the period. For a correct register this is
-- empty; each row here moves one aggregate of check 1 by `diff`.
-- Only persons with a row taking effect in the period can be out of balance: for anyone else the
-- same row gives the state on both dates.
WITH candidates AS MATERIALIZED (
  SELECT DISTINCT 宛名番号 FROM history WHERE NOT ignored AND eff_date >= $d1::DATE AND eff_date < $d2::DATE
),
c1 AS (SELECT 宛名番号, 住所コード, 住民種別, 性別 FROM residents_asof($d1::DATE) SEMI JOIN candidates USING (宛名番号)),
c2 AS (SELECT 宛名番号, 住所コード, 住民種別, 性別 FROM residents_asof($d2::DATE) SEMI JOIN candidates USING (宛名番号)),
s AS (
  SELECT '市' AS level, NULL::VARCHAR AS ward, 宛名番号, 住民種別, 性別, 1 AS before, 0 AS after, 0 AS flow FROM c1
  UNION ALL SELECT '区', left(住所コード, 5), 宛名番号, 住民種別, 性別, 1, 0, 0 FROM c1
  UNION ALL SELECT '市', NULL, 宛名番号, 住民種別, 性別, 0, 1, 0 FROM c2
  UNION ALL SELECT '区', left(住所コード, 5), 宛名番号, 住民種別, 性別, 0, 1, 0 FROM c2
  UNION ALL SELECT level, ward, 宛名番号, 住民種別, 性別, 0, 0, sign FROM nenpo_events
),
bad AS (
  SELECT level, ward, 宛名番号, 住民種別, 性別, sum(before) AS before, sum(after) AS after, sum(flow) AS flow
  FROM s
  GROUP BY ALL
  HAVING sum(before) + sum(flow) <> sum(after)
),
limited AS (
  SELECT * FROM bad ORDER BY level, ward NULLS FIRST, 住民種別, 性別, length(宛名番号), 宛名番号 LIMIT $limit::INTEGER
),
rows_in_period AS (
  -- The person's rows in the period, annotated: ignored (cancelled before taking effect), or
  -- cancelled within the period (changes_in's counted = false).
  SELECT h.宛名番号,
    string_agg(h.履歴番号 || ':' || h.異動事由 || CASE
        WHEN h.ignored THEN '（無視）'
        WHEN (h.cancel_eff >= $d1::DATE AND h.cancel_eff < $d2::DATE) OR (h.cancels_eff >= $d1::DATE AND h.cancels_eff < $d2::DATE) THEN '（同期間に取消し）'
        ELSE '' END,
      ' ' ORDER BY h.eff_date, h.履歴番号) AS rows,
    list(h.履歴番号 ORDER BY h.eff_date, h.履歴番号) AS rireki
  FROM history h
  WHERE h.宛名番号 IN (SELECT 宛名番号 FROM limited) AND h.eff_date >= $d1::DATE AND h.eff_date < $d2::DATE
  GROUP BY h.宛名番号
),
state_after AS (
  SELECT 宛名番号, 履歴番号 AS rireki_after FROM persons_asof($d2::DATE) WHERE 宛名番号 IN (SELECT 宛名番号 FROM limited)
)
SELECT l.*, l.before + l.flow - l.after AS diff, coalesce(p.rows, '') AS rows, coalesce(p.rireki, []) AS rireki, a.rireki_after,
  count(*) OVER () AS shown
FROM limited l
LEFT JOIN rows_in_period p USING (宛名番号)
LEFT JOIN state_after a USING (宛名番号)
ORDER BY l.level, l.ward NULLS FIRST, l.住民種別, l.性別, length(l.宛名番号), l.宛名番号;
