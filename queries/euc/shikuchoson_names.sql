-- 市区町村名 for 転入元 / 転出先 (extract 08). There is no 市区町村 master, so a name is derived from
-- the address texts: for each 5-digit code (都道府県2 + 市区町村3; a designated city's ward) the
-- most frequent municipality part among all history rows of 転入前住所 / 転出先住所 / 住所 with that
-- code prefix. The part is the text after the 都道府県名 (master_todofuken) up to the municipality:
-- a few names that a pattern would cut wrongly (四日市市 …), else …郡…町/村, …市…区 (a designated
-- city's ward, 1–4 characters), else the first 市/区/町/村 after at least two characters (so 大町市,
-- 東村山市, 町田市 come out whole). A heuristic: the code is authoritative, the name is a label.
CREATE OR REPLACE TEMP MACRO euc_shikuchoson_names() AS TABLE
WITH texts AS (
  SELECT left(転入前住所コード, 5) AS code, 転入前住所 AS addr FROM history WHERE 転入前住所コード IS NOT NULL AND 転入前住所 IS NOT NULL
  UNION ALL
  SELECT left(転出先住所コード, 5), 転出先住所 FROM history WHERE 転出先住所コード IS NOT NULL AND 転出先住所 IS NOT NULL
  UNION ALL
  SELECT left(住所コード, 5), 住所 FROM history WHERE 住所 IS NOT NULL
),
stripped AS (
  SELECT x.code,
    CASE WHEN t.name IS NOT NULL AND starts_with(x.addr, t.name) THEN substr(x.addr, length(t.name) + 1) ELSE x.addr END AS rest
  FROM texts x
  LEFT JOIN master_todofuken t ON t.code = left(x.code, 2)
),
named AS (
  SELECT code,
    regexp_extract(rest, '^(四日市市|廿日市市|野々市市|大和郡山市|武蔵村山市|十日町市|蒲郡市|小郡市|津市|北区|港区|[^0-9０-９]+?郡[^0-9０-９]+?[町村]|[^0-9０-９]{1,5}?市[^0-9０-９]{1,4}?区|[^0-9０-９]{2,}?[市区町村])', 1) AS name
  FROM stripped
),
counted AS (
  SELECT code, name, count(*) AS n FROM named WHERE name <> '' GROUP BY ALL
)
SELECT code AS 市区町村コード, first(name ORDER BY n DESC, name) AS 市区町村名
FROM counted
GROUP BY code;
