-- 10 条件指定 該当者一覧 (euc.md §1, a person list): residents as of $kijunbi whose 満年齢 on $kijunbi
-- is in [$age_from, $age_to] (a person of unknown age — 生年月日不詳 or no usable 生年月日 — only when
-- the range is the whole 0～130, i.e. no age condition), in 地区 $chiku ('' = every 地区), of 住民種別
-- $jushu ('すべて' = both). 支援措置 subjects are left out unless $include_shien (the user's
-- 支援措置閲覧 permission, bound by the server). The last column 住民種別 is hidden: it only decides
-- whether 生年月日 is written in 西暦 (foreigners). Ordered by 住所コード, 世帯番号, 宛名番号.
SELECT 宛名番号, 氏名, 氏名カナ, 生年月日, 性別, 住所, 方書, 世帯番号, 続柄, 住民種別
FROM residents_asof($kijunbi::DATE)
WHERE (NOT 支援措置 OR $include_shien)
  AND ($jushu = 'すべて' OR 住民種別 = $jushu)
  AND ($chiku = '' OR 地区コード = $chiku)
  AND CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, $kijunbi::DATE) < 0
           THEN $age_from::INTEGER <= 0 AND $age_to::INTEGER >= 130
           ELSE age_on(生年月日, $kijunbi::DATE) BETWEEN $age_from::INTEGER AND $age_to::INTEGER END
ORDER BY 住所コード, 世帯番号, 宛名番号;
