-- 01 町丁字別 男女別 人口・世帯数 (euc.md §1): residents as of $kijunbi (residents_asof) by 町丁字 =
-- the whole 11-digit 住所コード (都道府県・市区町村 (a designated city's ward) + 大字 + 小字), with the
-- 町丁字名 derived by euc_chocho_names(). A household counts in the 町丁字 of its 世帯主 (of its
-- smallest 住所コード when no 世帯主 is resident). The last row is the 合計 (households counted once).
WITH r AS (
  SELECT 住所コード, 世帯番号, 続柄, 性別 FROM residents_asof($kijunbi::DATE)
),
hh AS (
  SELECT 世帯番号, coalesce(min(住所コード) FILTER (WHERE 続柄 = '世帯主'), min(住所コード)) AS 住所コード
  FROM r
  GROUP BY 世帯番号
),
persons AS (
  SELECT 住所コード, count(*) AS 総数, count(*) FILTER (WHERE 性別 = '男') AS 男, count(*) FILTER (WHERE 性別 = '女') AS 女
  FROM r
  GROUP BY 住所コード
),
households AS (
  SELECT 住所コード, count(*) AS 世帯数 FROM hh GROUP BY 住所コード
),
by_code AS (
  SELECT 0 AS ord, 住所コード AS 町丁字コード, coalesce(n.町丁字名, '（名称不明）') AS 町丁字名,
    coalesce(h.世帯数, 0) AS 世帯数, coalesce(p.総数, 0) AS 総数, coalesce(p.男, 0) AS 男, coalesce(p.女, 0) AS 女
  FROM persons p
  FULL JOIN households h USING (住所コード)
  LEFT JOIN euc_chocho_names() n USING (住所コード)
)
SELECT 町丁字コード, 町丁字名, 世帯数::BIGINT AS 世帯数, 総数::BIGINT AS 総数, 男::BIGINT AS 男, 女::BIGINT AS 女
FROM (
  SELECT * FROM by_code
  UNION ALL
  SELECT 1, NULL, '合計', (SELECT count(*) FROM hh), count(*), count(*) FILTER (WHERE 性別 = '男'), count(*) FILTER (WHERE 性別 = '女') FROM r
)
ORDER BY ord, 町丁字コード;
