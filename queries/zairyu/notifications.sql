-- 住居地届出の件数 (zairyu-report.md): history rows of foreign residents (the row's own 住民種別)
-- whose 効力発生日 falls in [$d1, $d2), by month of 効力発生日 and 住居地届出区分 — the source's value,
-- or when empty the one derived by zairyu_rules (the most specific matching rule) — with 国籍・地域,
-- 在留資格 and 法30条45区分. Rows cancelled within the period (counted = false) and the 異動の取消し
-- rows themselves are not notifications and are not counted; rows with no 区分 are not counted.
WITH ch AS (
  SELECT 宛名番号, 履歴番号, 異動事由, 異動事由詳細, 届出日, 住居地届出区分, "国籍・地域", 在留資格, 法30条45区分,
    prev_法30条45区分, strftime(eff_date, '%Y-%m') AS 月
  FROM changes_in($d1::DATE, $d2::DATE)
  WHERE 住民種別 = '外国人' AND counted AND NOT starts_with(異動事由, '異動の取消し')
),
classified AS (
  SELECT ch.*, r.住居地届出区分 AS 導出区分
  FROM ch
  LEFT JOIN zairyu_rules r
    ON ch.住居地届出区分 IS NULL
   AND r.法30条45区分 = ch.法30条45区分
   AND r.異動事由 = ch.異動事由
   AND (r.異動事由詳細 IS NULL OR r.異動事由詳細 = ch.異動事由詳細)
   AND (NOT r.直前が中長期在留者以外 OR ch.prev_法30条45区分 IS DISTINCT FROM '中長期在留者')
   AND (NOT r.届出日あり OR ch.届出日 IS NOT NULL)
  QUALIFY row_number() OVER (PARTITION BY ch.宛名番号, ch.履歴番号 ORDER BY r.詳しさ DESC NULLS LAST) = 1
)
SELECT 月, coalesce(住居地届出区分, 導出区分) AS 区分, "国籍・地域" AS 国籍, 在留資格, 法30条45区分,
  count(*) AS n, count(*) FILTER (WHERE 住居地届出区分 IS NULL) AS n_derived
FROM classified
WHERE coalesce(住居地届出区分, 導出区分) IS NOT NULL
GROUP BY ALL
ORDER BY ALL;
