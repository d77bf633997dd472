-- 07 月別 人口動態 (euc.md §1; the monthly figures of prefectures' 人口移動調査): the counted rows of
-- changes_in($from, $to + 1 day) — the period [$from, $to] both inclusive; rows cancelled within the
-- same period (counted = false) count nowhere — by month of 効力発生日 (snapshot-format.md §8) and
-- 異動事由, with 区分 記載 / 消除 / 修正 from master_ido_jiyu (改製 / 再製 rows by their own 住民状態:
-- 消除 row → 消除, 記載 row → 記載), split by the row's own 住民種別 and 性別.
WITH ch AS (
  SELECT strftime(c.eff_date, '%Y-%m') AS 年月, c.異動事由, c.住民種別, c.性別,
    CASE WHEN m.kind = '記載・消除' THEN CASE WHEN c.住民状態 = '消除' THEN '消除' ELSE '記載' END
         ELSE coalesce(m.kind, '') END AS 区分
  FROM changes_in($from::DATE, ($to::DATE + INTERVAL 1 DAY)::DATE) c
  LEFT JOIN master_ido_jiyu m ON m.name = c.異動事由
  WHERE c.counted
)
SELECT 年月, 区分, 異動事由,
  count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '男')::BIGINT AS 日本人男,
  count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '女')::BIGINT AS 日本人女,
  count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '男')::BIGINT AS 外国人男,
  count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '女')::BIGINT AS 外国人女,
  count(*)::BIGINT AS 計
FROM ch
GROUP BY 年月, 区分, 異動事由
ORDER BY 年月, CASE 区分 WHEN '記載' THEN 0 WHEN '消除' THEN 1 WHEN '修正' THEN 2 ELSE 3 END, 異動事由;
