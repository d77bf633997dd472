-- 02 町丁字別 年齢5歳階級別 / 各歳別 人口 (euc.md §1): residents as of $kijunbi by 町丁字 (11-digit
-- 住所コード), age band and sex, one row per (町丁字, band, 性別): every band of every 町丁字 that has
-- residents (zeros included), plus a 不詳 row where there are residents whose age is unknown
-- (生年月日不詳, or no usable 生年月日): they count in the total, in no band. 年齢 = 満年齢 on
-- $kijunbi (age_on). $kaikyu: '5歳階級' (0～4歳 … 95～99歳, 100歳以上) or '各歳' (0歳 … 99歳,
-- 100歳以上). $chocho: one 住所コード, or '' for every 町丁字.
WITH r AS (
  SELECT 住所コード, 性別,
    CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, $kijunbi::DATE) < 0 THEN NULL
         ELSE age_on(生年月日, $kijunbi::DATE) END AS age
  FROM residents_asof($kijunbi::DATE)
  WHERE $chocho = '' OR 住所コード = $chocho
),
banded AS (
  SELECT 住所コード, 性別,
    CASE WHEN age IS NULL THEN 999
         WHEN $kaikyu = '各歳' THEN least(age, 100)
         ELSE least(age // 5 * 5, 100) END AS lower,
    count(*) AS n
  FROM r
  GROUP BY ALL
),
bands AS (
  SELECT unnest(CASE WHEN $kaikyu = '各歳' THEN range(0, 101) ELSE range(0, 101, 5) END) AS lower
),
grid AS (
  SELECT c.住所コード, b.lower, s.性別
  FROM (SELECT DISTINCT 住所コード FROM r) c
  CROSS JOIN bands b
  CROSS JOIN (VALUES ('男'), ('女')) s(性別)
  UNION
  SELECT 住所コード, lower, 性別 FROM banded WHERE lower = 999
)
SELECT g.住所コード AS 町丁字コード, coalesce(nm.町丁字名, '（名称不明）') AS 町丁字名,
  CASE WHEN g.lower = 999 THEN '不詳'
       WHEN g.lower = 100 THEN '100歳以上'
       WHEN $kaikyu = '各歳' THEN g.lower || '歳'
       ELSE g.lower || '～' || (g.lower + 4) || '歳' END AS 年齢,
  g.性別,
  coalesce(b.n, 0)::BIGINT AS 人口
FROM grid g
LEFT JOIN banded b USING (住所コード, lower, 性別)
LEFT JOIN euc_chocho_names() nm USING (住所コード)
ORDER BY g.住所コード, g.lower, g.性別 = '女';
