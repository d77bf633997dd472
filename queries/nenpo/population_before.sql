-- 前年1月1日の人口 (the base of the rates and of 整合性チェック1): residents as of $d by ward
-- (first 5 digits of 住所コード), 住民種別 and 性別, with every subtotal (NULL = all). No ages: the
-- rates and the check need none, and skipping them halves the work.
WITH fine AS (
  SELECT left(住所コード, 5) AS ward, 住民種別, 性別, count(*) AS n
  FROM residents_asof($d::DATE)
  GROUP BY ALL
)
SELECT ward, 住民種別, 性別, sum(n)::BIGINT AS n
FROM fine
GROUP BY CUBE (ward, 住民種別, 性別)
ORDER BY ALL;
