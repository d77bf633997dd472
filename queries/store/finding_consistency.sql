-- snapshot-format.md §8: a row whose reason and effect disagree — a 記載 reason for a person who
-- is already 現存, a 消除 reason for one already 消除 (or never recorded), or a row whose own
-- 住民状態 contradicts its reason. Rows of load $load_id only; ignored rows are skipped.
SELECT h.宛名番号, h.履歴番号,
  h.異動事由 || '（直前: ' || coalesce(p.住民状態, '記録なし') || '、この行: ' || h.住民状態 || '）' AS detail
FROM history h
JOIN master_ido_jiyu m ON m.name = h.異動事由
LEFT JOIN history p ON p.宛名番号 = h.宛名番号 AND p.履歴番号 = h.prev_rireki
WHERE h.load_id = $load_id AND NOT h.ignored AND (
     (m.kind = '記載' AND (p.住民状態 = '現存' OR h.住民状態 <> '現存'))
  OR (m.kind = '消除' AND (coalesce(p.住民状態, '消除') = '消除' OR h.住民状態 <> '消除'))
)
