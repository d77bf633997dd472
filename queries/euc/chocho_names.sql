-- 町丁字名 for the EUC extracts (euc.md §1: "with names from a master"). The snapshot format has no
-- 町丁字 master, so one is derived from the register itself: for each 住所コード, the most frequent
-- 町丁字 part of the 住所 text among all history rows (ties: the smaller text). The 町丁字 part is the
-- text up to the first 丁目 when there is one (本町2丁目3番5号 → 本町2丁目), else the text before the
-- first digit (字みほん12番地 → 字みほん; half- and full-width digits); then the leading
-- 都道府県名 + 市区町村名 of the latest load is removed (a designated city's ward name stays:
-- 中央区本町1丁目), and surrounding spaces and hyphens. Addresses written with hyphens only
-- (南町3-16-24) give 南町. A TEMP macro, created on the connection before each extract runs.
CREATE OR REPLACE TEMP MACRO euc_chocho_names() AS TABLE
WITH prefix AS (
  SELECT coalesce(t.name, '') || l.municipality_name AS full_prefix, l.municipality_name AS municipality
  FROM loads l
  LEFT JOIN master_todofuken t ON t.code = left(l.municipality_code, 2)
  ORDER BY l.load_id DESC
  LIMIT 1
),
parts AS (
  SELECT 住所コード,
    CASE WHEN contains(住所, '丁目') THEN regexp_extract(住所, '^(.*?丁目)', 1)
         ELSE regexp_replace(住所, '[0-9０-９].*$', '') END AS part
  FROM history
  WHERE 住所 IS NOT NULL
),
named AS (
  SELECT 住所コード,
    trim(CASE
      WHEN p.full_prefix <> '' AND starts_with(part, p.full_prefix) THEN substr(part, length(p.full_prefix) + 1)
      WHEN p.municipality <> '' AND starts_with(part, p.municipality) THEN substr(part, length(p.municipality) + 1)
      ELSE part
    END, ' 　-－‐') AS name
  FROM parts
  CROSS JOIN prefix p
),
counted AS (
  SELECT 住所コード, name, count(*) AS n FROM named WHERE name <> '' GROUP BY ALL
)
SELECT 住所コード, first(name ORDER BY n DESC, name) AS 町丁字名
FROM counted
GROUP BY 住所コード;
