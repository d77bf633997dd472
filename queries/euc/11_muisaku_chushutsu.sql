-- 11 無作為抽出 (euc.md §1, a person list; 標準仕様書 9.6): $n persons drawn from the residents as of
-- $kijunbi matching 性別 $seibetsu, 満年齢 in [$age_from, $age_to] (unknown ages only with the whole
-- 0～130), 地区 $chiku ('' = all) and 住民種別 $jushu. Each person's draw key is md5(宛名番号 | $seed):
-- the same seed and register give the same sample on any machine and thread count (md5, unlike
-- hash(), does not change between DuckDB versions), and excluding one person only moves the next
-- key into the sample. 支援措置 subjects are never in the pool unless $include_shien. 抽出順 = rank of
-- the draw key (for 補欠); the list is ordered by 住所コード, 世帯番号, 宛名番号. 住民種別 is hidden.
WITH pool AS (
  SELECT *
  FROM residents_asof($kijunbi::DATE)
  WHERE (NOT 支援措置 OR $include_shien)
    AND ($seibetsu = 'すべて' OR 性別 = $seibetsu)
    AND ($jushu = 'すべて' OR 住民種別 = $jushu)
    AND ($chiku = '' OR 地区コード = $chiku)
    AND CASE WHEN 生年月日不詳 OR 生年月日 IS NULL OR age_on(生年月日, $kijunbi::DATE) < 0
             THEN $age_from::INTEGER <= 0 AND $age_to::INTEGER >= 130
             ELSE age_on(生年月日, $kijunbi::DATE) BETWEEN $age_from::INTEGER AND $age_to::INTEGER END
),
drawn AS (
  SELECT *, row_number() OVER (ORDER BY md5(宛名番号 || '|' || $seed), 宛名番号) AS 抽出順
  FROM pool
  QUALIFY 抽出順 <= $n::INTEGER
)
SELECT 抽出順::BIGINT AS 抽出順, 宛名番号, 氏名, 氏名カナ, 生年月日, 性別, 住所, 方書, 世帯番号, 続柄, 住民種別
FROM drawn
ORDER BY 住所コード, 世帯番号, 宛名番号;
