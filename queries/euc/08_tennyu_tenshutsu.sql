-- 08 転入元 / 転出先 都道府県・市区町村別 件数 (euc.md §1), with age group and sex: the counted rows
-- of changes_in($from, $to + 1 day) whose 異動事由 is 国内転入 / 国外転入等 ($direction '転入': from
-- 転入前住所コード / 転入前住所) or 国内転出 / 国外転出 ('転出': 転出先住所コード / 転出先住所).
-- Place = the first 5 digits of the code (都道府県2 + 市区町村3, a designated city's ward), the
-- 都道府県名 from master_todofuken, the 市区町村名 from euc_shikuchoson_names(). Without a code:
-- a 国外 move with an address text → 都道府県 '国外', 市区町村 = that text (the country); anything
-- else → '（不明）'. 年齢 = 満年齢 on the 異動日; $nenrei '3区分' or '5歳階級'; 不詳 for unknown ages.
WITH ch AS (
  SELECT 異動事由, 性別,
    CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, 異動日) < 0 THEN NULL ELSE age_on(生年月日, 異動日) END AS age,
    CASE WHEN $direction = '転入' THEN 転入前住所コード ELSE 転出先住所コード END AS code,
    CASE WHEN $direction = '転入' THEN 転入前住所 ELSE 転出先住所 END AS addr
  FROM changes_in($from::DATE, ($to::DATE + INTERVAL 1 DAY)::DATE)
  WHERE counted
    AND CASE WHEN $direction = '転入' THEN 異動事由 IN ('国内転入', '国外転入等') ELSE 異動事由 IN ('国内転出', '国外転出') END
),
placed AS (
  SELECT 性別,
    CASE WHEN age IS NULL THEN 999
         WHEN $nenrei = '3区分' THEN CASE WHEN age < 15 THEN 0 WHEN age < 65 THEN 15 ELSE 65 END
         ELSE least(age // 5 * 5, 100) END AS lower,
    CASE WHEN regexp_full_match(code, '[0-9]{11}') THEN left(code, 2) END AS pref_code,
    CASE WHEN regexp_full_match(code, '[0-9]{11}') THEN left(code, 5) END AS muni_code,
    CASE WHEN NOT regexp_full_match(coalesce(code, ''), '[0-9]{11}') AND 異動事由 IN ('国外転入等', '国外転出') AND nullif(trim(addr), '') IS NOT NULL
         THEN trim(addr) END AS abroad
  FROM ch
)
SELECT p.pref_code AS 都道府県コード,
  CASE WHEN p.pref_code IS NOT NULL THEN coalesce(t.name, '（不明）') WHEN p.abroad IS NOT NULL THEN '国外' ELSE '（不明）' END AS 都道府県,
  p.muni_code AS 市区町村コード,
  CASE WHEN p.muni_code IS NOT NULL THEN coalesce(n.市区町村名, '（名称不明）') ELSE coalesce(p.abroad, '（不明）') END AS 市区町村,
  CASE WHEN p.lower = 999 THEN '不詳'
       WHEN $nenrei = '3区分' THEN CASE p.lower WHEN 0 THEN '0～14歳' WHEN 15 THEN '15～64歳' ELSE '65歳以上' END
       WHEN p.lower = 100 THEN '100歳以上'
       ELSE p.lower || '～' || (p.lower + 4) || '歳' END AS 年齢区分,
  count(*) FILTER (WHERE p.性別 = '男')::BIGINT AS 男,
  count(*) FILTER (WHERE p.性別 = '女')::BIGINT AS 女,
  count(*)::BIGINT AS 計
FROM placed p
LEFT JOIN master_todofuken t ON t.code = p.pref_code
LEFT JOIN euc_shikuchoson_names() n ON n.市区町村コード = p.muni_code
GROUP BY p.pref_code, t.name, p.muni_code, n.市区町村名, p.abroad, p.lower
ORDER BY p.pref_code NULLS LAST, p.muni_code NULLS LAST, 市区町村, p.lower;
