-- 06 世帯人員別 世帯数、65歳以上のみの世帯数、65歳以上単身世帯数 (euc.md §1): households (世帯番号)
-- with at least one resident on $kijunbi, their size = the number of those residents. One table:
-- 1人世帯 … 9人世帯, 10人以上の世帯 (always listed, zeros included), 合計, then 65歳以上のみの世帯
-- (every resident member 65 or over on $kijunbi; a member of unknown age is not counted as 65+)
-- and 65歳以上単身世帯 (a one-person household of a person 65 or over; a subset of the former).
-- 世帯人員 = the persons in those households.
WITH r AS (
  SELECT 世帯番号,
    CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, $kijunbi::DATE) < 0 THEN NULL
         ELSE age_on(生年月日, $kijunbi::DATE) END AS age
  FROM residents_asof($kijunbi::DATE)
),
hh AS (
  SELECT 世帯番号, count(*) AS n, bool_and(coalesce(age >= 65, false)) AS elderly_only
  FROM r
  GROUP BY 世帯番号
),
sizes AS (
  SELECT unnest(range(1, 11)) AS k
),
tallied AS (
  SELECT k AS ord, CASE WHEN k = 10 THEN '10人以上の世帯' ELSE k || '人世帯' END AS 区分,
    count(hh.世帯番号) AS 世帯数, coalesce(sum(hh.n), 0) AS 世帯人員
  FROM sizes
  LEFT JOIN hh ON least(hh.n, 10) = sizes.k
  GROUP BY k
  UNION ALL
  SELECT 11, '合計', count(*), coalesce(sum(n), 0) FROM hh
  UNION ALL
  SELECT 12, '65歳以上のみの世帯', count(*), coalesce(sum(n), 0) FROM hh WHERE elderly_only
  UNION ALL
  SELECT 13, '65歳以上単身世帯', count(*), coalesce(sum(n), 0) FROM hh WHERE elderly_only AND n = 1
)
SELECT 区分, 世帯数::BIGINT AS 世帯数, 世帯人員::BIGINT AS 世帯人員
FROM tallied
ORDER BY ord;
