-- The snapshot a report is made from: the store's latest load (municipality, processedThrough),
-- with the 都道府県名 of the municipality code.
SELECT l.load_id, l.municipality_code, l.municipality_name, strftime(l.processed_through, '%Y-%m-%d') AS processed_through,
  l.package_fingerprint, t.name AS prefecture_name
FROM loads l
LEFT JOIN master_todofuken t ON t.code = left(l.municipality_code, 2)
ORDER BY l.load_id DESC
LIMIT 1;
