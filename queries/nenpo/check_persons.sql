-- 整合性チェック2〜4 (nenpo.md §5) の原因: residents on $d whose row cannot be put in the tables —
-- a 住民種別 other than 日本人/外国人 (breaks 総計 = 日本人 + 外国人 and the household kinds),
-- a 性別 other than 男/女 (breaks 男 + 女 = 計), no 生年月日 without 生年月日不詳, or a 生年月日 after
-- $d (both break Σ年齢階級 + 生年月日不詳 = 総数).
WITH r AS (SELECT * FROM residents_asof($d::DATE)),
bad AS (
  SELECT 宛名番号, 履歴番号, 住所コード, 住民種別, 性別, '住民種別が日本人・外国人のどちらでもない' AS 理由 FROM r
  WHERE 住民種別 NOT IN ('日本人', '外国人')
  UNION ALL
  SELECT 宛名番号, 履歴番号, 住所コード, 住民種別, 性別, '性別が男・女のどちらでもない' FROM r
  WHERE 性別 NOT IN ('男', '女')
  UNION ALL
  SELECT 宛名番号, 履歴番号, 住所コード, 住民種別, 性別, '生年月日がなく、生年月日不詳でもない' FROM r
  WHERE NOT 生年月日不詳 AND 生年月日 IS NULL
  UNION ALL
  SELECT 宛名番号, 履歴番号, 住所コード, 住民種別, 性別, '生年月日が基準日より後' FROM r
  WHERE NOT 生年月日不詳 AND 生年月日 IS NOT NULL AND age_on(生年月日, $d::DATE) < 0
)
SELECT 宛名番号, 履歴番号, left(住所コード, 5) AS ward, 住民種別, 性別, 理由
FROM bad
ORDER BY 理由, length(宛名番号), 宛名番号
LIMIT $limit::INTEGER;
