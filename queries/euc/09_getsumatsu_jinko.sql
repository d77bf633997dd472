-- 09 月末人口 推移 (euc.md §1): the population at the end of each month whose last day falls in
-- [$from, $to]. 月末現在 = as of the end of that day = residents_asof(月末日 + 1 day) (the as-of
-- layer counts the changes effective before its date: snapshot-format.md §8). 総数, 男, 女, 日本人,
-- 外国人 and 世帯数 (households with at least one resident).
WITH months AS (
  SELECT last_day(m::DATE) AS 月末日
  FROM range(date_trunc('month', $from::DATE), ($to::DATE + INTERVAL 1 DAY), INTERVAL 1 MONTH) AS t(m)
)
SELECT strftime(mo.月末日, '%Y-%m') AS 年月, mo.月末日, x.世帯数, x.総数, x.男, x.女, x.日本人, x.外国人
FROM months mo,
  LATERAL (
    SELECT count(DISTINCT 世帯番号)::BIGINT AS 世帯数,
      count(*)::BIGINT AS 総数,
      count(*) FILTER (WHERE 性別 = '男')::BIGINT AS 男,
      count(*) FILTER (WHERE 性別 = '女')::BIGINT AS 女,
      count(*) FILTER (WHERE 住民種別 = '日本人')::BIGINT AS 日本人,
      count(*) FILTER (WHERE 住民種別 = '外国人')::BIGINT AS 外国人
    FROM residents_asof((mo.月末日 + INTERVAL 1 DAY)::DATE)
  ) AS x
WHERE mo.月末日 BETWEEN $from::DATE AND $to::DATE
ORDER BY mo.月末日;
