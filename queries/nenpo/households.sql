-- 基準日現在の世帯数: households (世帯番号) with at least one resident on $d, by kind —
-- 日本人住民のみ / 複数国籍 (Japanese and foreign members) / 外国人住民のみ — and ward. A household
-- belongs to the ward of its 世帯主 (of its first member's ward when no 世帯主 is resident).
-- 種類 NULL = every household, counted directly (not as the sum of the kinds).
WITH r AS (
  SELECT 世帯番号, 住民種別, 続柄, left(住所コード, 5) AS ward FROM residents_asof($d::DATE)
),
h AS (
  SELECT 世帯番号,
    coalesce(min(ward) FILTER (WHERE 続柄 = '世帯主'), min(ward)) AS ward,
    count(*) FILTER (WHERE 住民種別 = '日本人') AS nj,
    count(*) FILTER (WHERE 住民種別 = '外国人') AS nf
  FROM r
  GROUP BY 世帯番号
),
fine AS (
  SELECT ward,
    CASE
      WHEN nj > 0 AND nf = 0 THEN '日本人住民のみ'
      WHEN nj > 0 AND nf > 0 THEN '複数国籍'
      WHEN nj = 0 AND nf > 0 THEN '外国人住民のみ'
      ELSE 'その他'
    END AS 種類,
    count(*) AS n
  FROM h
  GROUP BY ALL
)
SELECT ward, 種類, sum(n)::BIGINT AS n
FROM fine
GROUP BY GROUPING SETS ((ward, 種類), (種類), (ward), ())
ORDER BY ALL;
