-- 人口動態の集計: nenpo_events counted per (level, ward, 住民種別, 性別, 集計列), with the subtotals
-- over 住民種別 and 性別 computed by the database (NULL = 計), so 総計 = 日本人 + 外国人 and
-- 計 = 男 + 女 can be checked rather than assumed.
SELECT level, ward, 住民種別, 性別, 集計列, count(*) AS n
FROM nenpo_events
GROUP BY GROUPING SETS (
  (level, ward, 住民種別, 性別, 集計列),
  (level, ward, 住民種別, 集計列),
  (level, ward, 性別, 集計列),
  (level, ward, 集計列)
)
ORDER BY ALL;
