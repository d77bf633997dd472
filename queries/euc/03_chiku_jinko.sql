-- 03 地区別 人口・世帯数、年齢3区分と高齢化率 (euc.md §1): residents as of $kijunbi by 地区コード
-- (municipality-defined; empty → '（未設定）', listed last), households by their 世帯主's 地区 (the
-- smallest 地区 when no 世帯主 is resident), 年齢3区分 on $kijunbi (0～14, 15～64, 65歳以上) and
-- 年齢不詳 (生年月日不詳 or no usable 生年月日: in 総数, in no band). 高齢化率（%） = 65歳以上 ÷ 総数
-- × 100, rounded to one decimal; NULL (empty) when 総数 is 0. The last row is the 合計.
WITH r AS (
  SELECT 世帯番号, 続柄, 性別,
    coalesce(nullif(trim(地区コード), ''), '（未設定）') AS 地区,
    CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, $kijunbi::DATE) < 0 THEN NULL
         ELSE age_on(生年月日, $kijunbi::DATE) END AS age
  FROM residents_asof($kijunbi::DATE)
),
hh AS (
  SELECT 世帯番号, coalesce(min(地区) FILTER (WHERE 続柄 = '世帯主'), min(地区)) AS 地区 FROM r GROUP BY 世帯番号
),
households AS (
  SELECT 地区, count(*) AS 世帯数 FROM hh GROUP BY 地区
),
persons AS (
  SELECT 地区,
    count(*) AS 総数,
    count(*) FILTER (WHERE 性別 = '男') AS 男,
    count(*) FILTER (WHERE 性別 = '女') AS 女,
    count(*) FILTER (WHERE age BETWEEN 0 AND 14) AS y,
    count(*) FILTER (WHERE age BETWEEN 15 AND 64) AS w,
    count(*) FILTER (WHERE age >= 65) AS o,
    count(*) FILTER (WHERE age IS NULL) AS u
  FROM r
  GROUP BY GROUPING SETS ((地区), ())
),
tallied AS (
  SELECT CASE WHEN p.地区 IS NULL THEN 2 WHEN p.地区 = '（未設定）' THEN 1 ELSE 0 END AS ord,
    coalesce(p.地区, '合計') AS 地区コード,
    CASE WHEN p.地区 IS NULL THEN (SELECT count(*) FROM hh) ELSE coalesce(h.世帯数, 0) END AS 世帯数,
    p.*
  FROM persons p
  LEFT JOIN households h ON h.地区 = p.地区
)
SELECT 地区コード, 世帯数::BIGINT AS 世帯数, 総数::BIGINT AS 総数, 男::BIGINT AS 男, 女::BIGINT AS 女,
  y::BIGINT AS "年少人口（0～14歳）", w::BIGINT AS "生産年齢人口（15～64歳）", o::BIGINT AS "老年人口（65歳以上）",
  u::BIGINT AS 年齢不詳,
  CASE WHEN 総数 = 0 THEN NULL ELSE round(o::DOUBLE * 100 / 総数, 1) END AS "高齢化率（%）"
FROM tallied
ORDER BY ord, 地区コード;
