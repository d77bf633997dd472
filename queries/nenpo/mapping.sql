-- Loads the 異動事由 → 集計列 table (column_mapping.csv, path bound as $path) into TEMP TABLE
-- nenpo_mapping. 詳しさ ranks the rules: a rule naming 異動事由詳細 beats one naming 住民種別, which
-- beats a rule with both empty (empty = any value).
CREATE OR REPLACE TEMP TABLE nenpo_mapping AS
SELECT
  異動事由,
  nullif(異動事由詳細, '') AS 異動事由詳細,
  nullif(住民種別, '') AS 住民種別,
  集計列,
  CASE WHEN nullif(異動事由詳細, '') IS NOT NULL THEN 2 ELSE 0 END
    + CASE WHEN nullif(住民種別, '') IS NOT NULL THEN 1 ELSE 0 END AS 詳しさ
FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');
