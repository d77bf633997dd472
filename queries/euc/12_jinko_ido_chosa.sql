-- 12 月別 人口移動調査（都道府県報告用） (issue #5 item 5): the monthly figures most prefectures ask for,
-- per calendar month from the month of $from to $to (the last month cut at $to when $to is not a
-- month end; $to is at most processedThrough). The counted rows of changes_in over each month (a
-- change and its 取消し within the same month count nowhere) by the row's own 住民種別 and 性別, as 07.
-- $hyo '動態・月末人口': per month 前月末人口 (as of the month's first day) and 月末人口 (as of the day
-- after the month's last counted day, snapshot-format.md §8) with 世帯数; 出生; 死亡; 転入 (国内転入)
-- 県内 / 県外 by the first two digits of 転入前住所コード against the municipality's own prefecture
-- (no code → 県外); 転入（国外等） (国外転入等); 転出 likewise (国内転出 by 転出先住所コード; 国外転出);
-- その他の増 / その他の減 = every other 記載 / 消除 reason of master_ido_jiyu (職権記載・帰化等, 取消し,
-- 改製 / 再製 by the row's 住民状態). So 月末人口 = 前月末人口 + 出生 − 死亡 + 転入 − 転出 + その他の増
-- − その他の減 for each 住民種別 × 性別 (§8), unless a person's 性別 itself changed in the month.
-- $hyo '転入元・転出先（都道府県別）': 転入 / 転出 per month by 都道府県 (the first two digits of
-- 転入前住所コード / 転出先住所コード, names from master_todofuken), 国外 for 国外転入等 / 国外転出 without
-- a domestic code, （不明） for a domestic move without one; a 計 row per month and direction.
WITH period AS (
  SELECT date_trunc('month', $from::DATE)::DATE AS p_start, ($to::DATE + INTERVAL 1 DAY)::DATE AS p_end
),
own AS (
  SELECT left(municipality_code, 2) AS pref FROM loads ORDER BY load_id DESC LIMIT 1
),
months AS (
  SELECT m::DATE AS ms, least((m + INTERVAL 1 MONTH)::DATE, p.p_end) AS me
  FROM period p, range(p.p_start::TIMESTAMP, p.p_end::TIMESTAMP, INTERVAL 1 MONTH) AS t(m)
),
ch AS (
  -- each month is its own period of changes_in: a change and its 取消し in the same month count
  -- nowhere; one cancelled in a later month counts in its month, the 取消し in the later one
  SELECT mo.ms, c.住民種別, c.性別, c.異動事由,
    CASE WHEN c.異動事由 IN ('国内転入', '国外転入等') THEN c.転入前住所コード
         WHEN c.異動事由 IN ('国内転出', '国外転出') THEN c.転出先住所コード END AS code,
    CASE WHEN m.kind = '記載・消除' THEN CASE WHEN c.住民状態 = '消除' THEN '消除' ELSE '記載' END ELSE m.kind END AS 増減
  FROM months mo,
    LATERAL (SELECT * FROM changes_in(mo.ms, mo.me) WHERE counted) AS c
  LEFT JOIN master_ido_jiyu m ON m.name = c.異動事由
),
dotai AS (
  SELECT ch.ms, ch.住民種別, ch.性別,
    CASE
      WHEN 異動事由 = '出生' THEN 2
      WHEN 異動事由 = '死亡' THEN 3
      WHEN 異動事由 = '国内転入' THEN CASE WHEN left(code, 2) = own.pref THEN 4 ELSE 5 END
      WHEN 異動事由 = '国外転入等' THEN 6
      WHEN 異動事由 = '国内転出' THEN CASE WHEN left(code, 2) = own.pref THEN 7 ELSE 8 END
      WHEN 異動事由 = '国外転出' THEN 9
      WHEN 増減 = '記載' THEN 10
      WHEN 増減 = '消除' THEN 11
    END AS ord
  FROM ch CROSS JOIN own
),
pop_dates AS (
  SELECT d FROM (SELECT ms AS d FROM months UNION SELECT me FROM months) WHERE $hyo = '動態・月末人口'
),
pop AS (
  SELECT pd.d, x.*
  FROM pop_dates pd,
    LATERAL (
      SELECT count(DISTINCT 世帯番号)::BIGINT AS 世帯数,
        count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '男')::BIGINT AS jm,
        count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '女')::BIGINT AS jf,
        count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '男')::BIGINT AS fm,
        count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '女')::BIGINT AS ff
      FROM residents_asof(pd.d)
    ) AS x
),
labels AS (
  SELECT * FROM (VALUES
    (1, '人口', '前月末人口'), (2, '自然動態', '出生'), (3, '自然動態', '死亡'),
    (4, '社会動態', '転入（県内）'), (5, '社会動態', '転入（県外）'), (6, '社会動態', '転入（国外等）'),
    (7, '社会動態', '転出（県内）'), (8, '社会動態', '転出（県外）'), (9, '社会動態', '転出（国外）'),
    (10, 'その他', 'その他の増'), (11, 'その他', 'その他の減'), (12, '人口', '月末人口')
  ) AS t(ord, 区分, 項目)
),
dotai_n AS (
  SELECT ms, ord,
    count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '男') AS jm,
    count(*) FILTER (WHERE 住民種別 = '日本人' AND 性別 = '女') AS jf,
    count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '男') AS fm,
    count(*) FILTER (WHERE 住民種別 = '外国人' AND 性別 = '女') AS ff
  FROM dotai
  WHERE ord IS NOT NULL
  GROUP BY ms, ord
),
table1 AS (
  SELECT mo.ms, l.ord, 0 AS sub, l.区分, l.項目,
    CASE l.ord WHEN 1 THEN p0.jm WHEN 12 THEN p1.jm ELSE coalesce(n.jm, 0) END AS jm,
    CASE l.ord WHEN 1 THEN p0.jf WHEN 12 THEN p1.jf ELSE coalesce(n.jf, 0) END AS jf,
    CASE l.ord WHEN 1 THEN p0.fm WHEN 12 THEN p1.fm ELSE coalesce(n.fm, 0) END AS fm,
    CASE l.ord WHEN 1 THEN p0.ff WHEN 12 THEN p1.ff ELSE coalesce(n.ff, 0) END AS ff,
    CASE l.ord WHEN 1 THEN p0.世帯数 WHEN 12 THEN p1.世帯数 END AS 世帯数
  FROM months mo
  CROSS JOIN labels l
  JOIN pop p0 ON p0.d = mo.ms
  JOIN pop p1 ON p1.d = mo.me
  LEFT JOIN dotai_n n ON n.ms = mo.ms AND n.ord = l.ord
  WHERE $hyo = '動態・月末人口'
),
moves AS (
  SELECT ms, 住民種別, 性別,
    CASE WHEN 異動事由 IN ('国内転入', '国外転入等') THEN '転入' ELSE '転出' END AS 区分,
    CASE WHEN regexp_full_match(coalesce(code, ''), '[0-9]{11}') THEN left(code, 2)
         WHEN 異動事由 IN ('国外転入等', '国外転出') THEN '国外' END AS pref
  FROM ch
  WHERE 異動事由 IN ('国内転入', '国外転入等', '国内転出', '国外転出') AND $hyo = '転入元・転出先（都道府県別）'
),
table2 AS (
  SELECT m.ms, CASE m.区分 WHEN '転入' THEN 1 ELSE 2 END AS ord,
    CASE WHEN grouping(m.pref) = 1 THEN 9 WHEN m.pref = '国外' THEN 1 WHEN m.pref IS NULL THEN 2 ELSE 0 END AS sub,
    m.区分,
    CASE WHEN grouping(m.pref) = 1 THEN '計' WHEN m.pref = '国外' THEN '国外' WHEN m.pref IS NULL THEN '（不明）'
         ELSE coalesce(min(t.name), '（不明）') END AS 項目,
    count(*) FILTER (WHERE m.住民種別 = '日本人' AND m.性別 = '男') AS jm,
    count(*) FILTER (WHERE m.住民種別 = '日本人' AND m.性別 = '女') AS jf,
    count(*) FILTER (WHERE m.住民種別 = '外国人' AND m.性別 = '男') AS fm,
    count(*) FILTER (WHERE m.住民種別 = '外国人' AND m.性別 = '女') AS ff,
    NULL::BIGINT AS 世帯数,
    min(m.pref) AS pref_order
  FROM moves m
  LEFT JOIN master_todofuken t ON t.code = m.pref
  GROUP BY GROUPING SETS ((m.ms, m.区分, m.pref), (m.ms, m.区分))
),
all_rows AS (
  SELECT ms, ord, sub, NULL AS pref_order, 区分, 項目, jm, jf, fm, ff, 世帯数 FROM table1
  UNION ALL
  SELECT ms, ord, sub, pref_order, 区分, 項目, jm, jf, fm, ff, 世帯数 FROM table2
)
SELECT strftime(ms, '%Y-%m') AS 年月, 区分, 項目,
  jm::BIGINT AS 日本人男, jf::BIGINT AS 日本人女, (jm + jf)::BIGINT AS 日本人計,
  fm::BIGINT AS 外国人男, ff::BIGINT AS 外国人女, (fm + ff)::BIGINT AS 外国人計,
  (jm + jf + fm + ff)::BIGINT AS 総数, 世帯数::BIGINT AS 世帯数
FROM all_rows
ORDER BY ms, ord, sub, pref_order NULLS LAST, 項目;
