-- Loads the 住居地届出区分 derivation rules (kubun_rules.csv, path bound as $path) into TEMP TABLE
-- zairyu_rules. 詳しさ: 異動事由詳細 named 2, each other condition 1; the most specific rule wins.
CREATE OR REPLACE TEMP TABLE zairyu_rules AS
SELECT
  法30条45区分,
  異動事由,
  nullif(異動事由詳細, '') AS 異動事由詳細,
  coalesce(直前が中長期在留者以外, '') = '1' AS 直前が中長期在留者以外,
  coalesce(届出日あり, '') = '1' AS 届出日あり,
  住居地届出区分,
  CASE WHEN nullif(異動事由詳細, '') IS NOT NULL THEN 2 ELSE 0 END
    + CASE WHEN coalesce(直前が中長期在留者以外, '') = '1' THEN 1 ELSE 0 END
    + CASE WHEN coalesce(届出日あり, '') = '1' THEN 1 ELSE 0 END AS 詳しさ
FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');
