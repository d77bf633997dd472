-- 基準日現在の人口 (snapshot-format.md §8): residents as of $d by ward (first 5 digits of 住所コード),
-- 住民種別, 性別 and 年齢, with every subtotal over ward, 住民種別 and 性別 (NULL = all).
-- 年齢 = 満年齢 on $d (age_on: a Feb 29 birthday falls on Mar 1 in common years), 100 = 100歳以上,
-- -2 = 生年月日不詳 (in 総数, in no band), -1 = no usable age (no 生年月日, or one after $d).
-- Counted once at the finest grain, then the subtotals over that small table.
WITH fine AS (
  SELECT
    left(住所コード, 5) AS ward,
    住民種別,
    性別,
    CASE
      WHEN 生年月日不詳 THEN -2
      WHEN 生年月日 IS NULL OR age_on(生年月日, $d::DATE) < 0 THEN -1
      ELSE least(age_on(生年月日, $d::DATE), 100)
    END AS age,
    count(*) AS n
  FROM residents_asof($d::DATE)
  GROUP BY ALL
)
SELECT ward, 住民種別, 性別, age, sum(n)::BIGINT AS n
FROM fine
GROUP BY CUBE (ward, 住民種別, 性別), age
ORDER BY ALL;
