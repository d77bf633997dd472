-- 05 在留期間満了日が期間内の外国人住民数 (euc.md §1): foreign residents as of $kijunbi whose
-- 在留期間満了日 falls in [$from, $to] (both inclusive), by month of expiry and 在留資格 (empty →
-- the 法30条45区分 in brackets), with 男 / 女.
SELECT strftime(在留期間満了日, '%Y-%m') AS 満了年月,
  coalesce(在留資格, '（' || coalesce(法30条45区分, '在留資格なし') || '）') AS 在留資格,
  count(*) FILTER (WHERE 性別 = '男')::BIGINT AS 男,
  count(*) FILTER (WHERE 性別 = '女')::BIGINT AS 女,
  count(*)::BIGINT AS 人数
FROM residents_asof($kijunbi::DATE)
WHERE 住民種別 = '外国人' AND 在留期間満了日 BETWEEN $from::DATE AND $to::DATE
GROUP BY ALL
ORDER BY 満了年月, 人数 DESC, 在留資格;
