-- Sample addresses of each ward (first 5 digits of 住所コード) among the residents on $d: for each
-- 住所コード the address of its resident with the smallest 宛名番号, the first 20 codes of each ward.
-- The report derives the ward's name (…区) from them.
WITH codes AS (
  SELECT 住所コード, arg_min(住所, 宛名番号) AS 住所
  FROM residents_asof($d::DATE)
  WHERE 住所 IS NOT NULL
  GROUP BY 住所コード
)
SELECT left(住所コード, 5) AS ward, list(住所 ORDER BY 住所コード)[1:20] AS addresses
FROM codes
GROUP BY ALL
ORDER BY ALL;
