-- 04 国籍・地域別 外国人住民数 (euc.md §1): foreign residents as of $kijunbi by 国籍・地域 (the
-- master_nationality name; the loader already maps every spelling and ISO code to it, the join
-- here maps a stored ISO code too) and a breakdown chosen by $breakdown: '男女' (性別),
-- '30条45区分' (法30条45区分; empty → '（未設定）') or '在留資格' (empty → the 区分 in brackets, e.g.
-- '（特別永住者）'). Nationalities by number of residents (descending), then name.
WITH f AS (
  SELECT coalesce(m.name, r."国籍・地域", '（不明）') AS 国籍,
    CASE $breakdown
      WHEN '男女' THEN r.性別
      WHEN '30条45区分' THEN coalesce(r.法30条45区分, '（未設定）')
      ELSE coalesce(r.在留資格, '（' || coalesce(r.法30条45区分, '在留資格なし') || '）')
    END AS 内訳
  FROM residents_asof($kijunbi::DATE) r
  LEFT JOIN master_nationality m ON r."国籍・地域" IN (m.name, m.iso2, m.iso3)
  WHERE r.住民種別 = '外国人'
),
counted AS (
  SELECT 国籍, 内訳, count(*) AS n, sum(count(*)) OVER (PARTITION BY 国籍) AS nationality_total
  FROM f
  GROUP BY 国籍, 内訳
)
SELECT 国籍 AS "国籍・地域", 内訳, n::BIGINT AS 人数
FROM counted
ORDER BY nationality_total DESC, 国籍, CASE 内訳 WHEN '男' THEN 0 WHEN '女' THEN 1 ELSE 2 END, n DESC, 内訳;
