-- Date parsing for the input forms of snapshot-format.md §7, as DuckDB macros.
-- jdate(s) returns a struct:
--   ok       : the text is a date in one of the accepted forms (possibly an impossible day, see real)
--   real     : the calendar has this day (2023-02-29 and 4月31日 are not real)
--   d        : the date; for an impossible day, the last real day before it (used for ages)
--   era_out  : a 和暦 date outside its era (昭和64年1月8日 → 1989-01-08, flagged)
-- Fast paths first: YYYY-MM-DD and YYYYMMDD are by far the most common forms.

CREATE OR REPLACE MACRO jdate_norm(s) AS
  upper(trim(translate(s, '０１２３４５６７８９／－．', '0123456789/-.')));

-- 'G|Y|M|D' where G is AD, an era code digit (1-5), an era letter (MTSHR) or an era name.
CREATE OR REPLACE MACRO jdate_canon(s) AS
  CASE
    WHEN regexp_full_match(s, '\d{4}[-/]\d{1,2}[-/]\d{1,2}')
      THEN regexp_replace(s, '^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$', 'AD|\1|\2|\3')
    WHEN regexp_full_match(s, '\d{8}')
      THEN regexp_replace(s, '^(\d{4})(\d{2})(\d{2})$', 'AD|\1|\2|\3')
    WHEN regexp_full_match(s, '[1-5]\d{6}')
      THEN regexp_replace(s, '^(\d)(\d{2})(\d{2})(\d{2})$', '\1|\2|\3|\4')
    WHEN regexp_full_match(s, '(明治|大正|昭和|平成|令和)(元|\d{1,2})年\d{1,2}月\d{1,2}日')
      THEN regexp_replace(s, '^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$', '\1|\2|\3|\4')
    WHEN regexp_full_match(s, '[MTSHR](元|\d{1,2})\.\d{1,2}\.\d{1,2}')
      THEN regexp_replace(s, '^([MTSHR])(元|\d{1,2})\.(\d{1,2})\.(\d{1,2})$', '\1|\2|\3|\4')
    ELSE NULL
  END;

-- Era number 1..5 (明治..令和) for an era token, 0 for AD.
CREATE OR REPLACE MACRO jdate_era(g) AS
  CASE
    WHEN g = 'AD' THEN 0
    WHEN g IN ('1', 'M', '明治') THEN 1
    WHEN g IN ('2', 'T', '大正') THEN 2
    WHEN g IN ('3', 'S', '昭和') THEN 3
    WHEN g IN ('4', 'H', '平成') THEN 4
    WHEN g IN ('5', 'R', '令和') THEN 5
  END;

CREATE OR REPLACE MACRO jdate_era_base(e) AS [0, 1867, 1911, 1925, 1988, 2018][e + 1];
CREATE OR REPLACE MACRO jdate_era_first(e) AS
  [NULL, DATE '1868-01-25', DATE '1912-07-30', DATE '1926-12-25', DATE '1989-01-08', DATE '2019-05-01'][e + 1];
CREATE OR REPLACE MACRO jdate_era_last(e) AS
  [NULL, DATE '1912-07-29', DATE '1926-12-24', DATE '1989-01-07', DATE '2019-04-30', NULL][e + 1];

-- From a canonical 'G|Y|M|D' string to the result struct.
CREATE OR REPLACE MACRO jdate_build(e, y, m, d) AS
  CASE
    WHEN e IS NULL OR y IS NULL OR m IS NULL OR d IS NULL
      OR m NOT BETWEEN 1 AND 12 OR d NOT BETWEEN 1 AND 31 OR y NOT BETWEEN 1800 AND 2200
      OR (e > 0 AND y <= jdate_era_base(e))
      THEN {'ok': false, 'real': false, 'd': NULL::DATE, 'era_out': false}
    ELSE {
      'ok': true,
      'real': d <= day(last_day(make_date(y, m, 1))),
      'd': make_date(y, m, least(d, day(last_day(make_date(y, m, 1))))),
      'era_out': e > 0 AND list_transform([make_date(y, m, least(d, day(last_day(make_date(y, m, 1)))))], x ->
        x < jdate_era_first(e) OR x > coalesce(jdate_era_last(e), DATE '9999-12-31'))[1]
    }
  END;

-- Lambdas bind each intermediate value once: nested macros would repeat their arguments textually.
CREATE OR REPLACE MACRO jdate_from_canon(c) AS
  list_transform([string_split(c, '|')], p ->
    list_transform([{'e': jdate_era(p[1]), 'yy': p[2], 'm': try_cast(p[3] AS INTEGER), 'd': try_cast(p[4] AS INTEGER)}], q ->
      list_transform([jdate_era_base(q.e) + CASE q.yy WHEN '元' THEN 1 ELSE try_cast(q.yy AS INTEGER) END], y ->
        jdate_build(q.e, y, q.m, q.d))[1])[1])[1];

-- The fast path: plain YYYY-MM-DD or YYYYMMDD of a real day, else NULL.
CREATE OR REPLACE MACRO jdate_fast(s) AS
  CASE
    WHEN length(s) = 10 AND substr(s, 5, 1) = '-' AND substr(s, 8, 1) = '-'
      AND year(try_cast(s AS DATE)) BETWEEN 1800 AND 2200 THEN try_cast(s AS DATE)
    WHEN length(s) = 8 AND year(try_strptime(s, '%Y%m%d')) BETWEEN 1800 AND 2200
      THEN CAST(try_strptime(s, '%Y%m%d') AS DATE)
    WHEN length(s) = 10 AND substr(s, 5, 1) = '/' AND substr(s, 8, 1) = '/'
      AND year(try_cast(replace(s, '/', '-') AS DATE)) BETWEEN 1800 AND 2200 THEN try_cast(replace(s, '/', '-') AS DATE)
  END;

CREATE OR REPLACE MACRO jdate(s) AS
  CASE
    WHEN s IS NULL THEN NULL
    WHEN jdate_fast(s) IS NOT NULL THEN {'ok': true, 'real': true, 'd': jdate_fast(s), 'era_out': false}
    ELSE list_transform([jdate_norm(s)], n -> list_transform([jdate_canon(n)], c ->
           CASE WHEN c IS NULL THEN {'ok': false, 'real': false, 'd': NULL::DATE, 'era_out': false} ELSE jdate_from_canon(c) END)[1])[1]
  END;
