-- Benchmark baseline for the 定期報告: foreign residents' rows by 住居地届出区分 and month, one plain query.
SELECT 住居地届出区分, date_trunc('month', eff_date) AS month, count(*) AS n
FROM history
WHERE NOT ignored AND 住民種別 = '外国人' AND eff_date >= $d1::DATE AND eff_date < $d2::DATE
GROUP BY ALL;
