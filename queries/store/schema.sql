-- The store: persons' history (異動履歴, typed), the load log and the masters.
-- Column names are the item names of snapshot-format.md (標準仕様書); technical columns are English.

CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value VARCHAR);

-- One row per successful load (the store's snapshot list); report_json is the load report.
CREATE TABLE IF NOT EXISTS loads (
  load_id             INTEGER,
  loaded_at           TIMESTAMPTZ,
  municipality_code   VARCHAR,
  municipality_name   VARCHAR,
  extracted_at        VARCHAR,
  processed_through   DATE,
  history_mode        VARCHAR,
  history_since       DATE,
  encoding            VARCHAR,
  package_fingerprint VARCHAR,
  residents_rows      BIGINT,
  history_rows        BIGINT,
  history_rows_new    BIGINT,
  duration_ms         BIGINT,
  report_json         VARCHAR
);

-- Every history row ever loaded. Each row is the full state of the person after that change.
-- Derived columns (recomputed per person whenever a person's rows change):
--   eff_date    効力発生日 = max(異動日, 処理日)
--   ignored     cancelled before it took effect (or the cancelling row of such a pair): never counts
--   cancel_eff  for a row cancelled after it took effect: the 効力発生日 of the cancelling row
--   cancels_eff for an 異動の取消し row that is not ignored: the 効力発生日 of the row it cancels
--   next_eff    the 効力発生日 of the person's next row (order: eff_date, 履歴番号; ignored rows skipped)
--   prev_rireki the 履歴番号 of the person's previous row in that order
CREATE TABLE IF NOT EXISTS history (
  宛名番号 VARCHAR NOT NULL,
  履歴番号 INTEGER NOT NULL,
  異動事由 VARCHAR NOT NULL,
  異動事由詳細 VARCHAR,
  異動日 DATE NOT NULL,
  処理日 DATE NOT NULL,
  届出日 DATE,
  取消対象履歴番号 INTEGER,
  修正対象履歴番号 INTEGER,
  住居地届出区分 VARCHAR,
  世帯番号 VARCHAR NOT NULL,
  住民種別 VARCHAR NOT NULL,
  住民状態 VARCHAR NOT NULL,
  氏名 VARCHAR,
  氏名カナ VARCHAR,
  氏名英字 VARCHAR,
  通称 VARCHAR,
  生年月日 DATE,
  生年月日_記載 VARCHAR,
  生年月日不詳 BOOLEAN NOT NULL,
  性別 VARCHAR NOT NULL,
  続柄 VARCHAR,
  住民となった年月日 DATE NOT NULL,
  住所コード VARCHAR NOT NULL,
  住所 VARCHAR,
  方書 VARCHAR,
  郵便番号 VARCHAR,
  地区コード VARCHAR,
  住定日 DATE NOT NULL,
  転入前住所コード VARCHAR,
  転入前住所 VARCHAR,
  転出予定年月日 DATE,
  転出先住所コード VARCHAR,
  転出先住所 VARCHAR,
  消除年月日 DATE,
  消除事由 VARCHAR,
  "国籍・地域" VARCHAR,
  "国籍・地域_記載" VARCHAR,
  法30条45区分 VARCHAR,
  在留資格 VARCHAR,
  在留期間 VARCHAR,
  在留期間満了日 DATE,
  在留カード等番号 VARCHAR,
  支援措置 BOOLEAN NOT NULL,
  eff_date DATE NOT NULL,
  ignored BOOLEAN NOT NULL,
  cancel_eff DATE,
  cancels_eff DATE,
  next_eff DATE,
  prev_rireki INTEGER,
  load_id INTEGER NOT NULL,
  row_hash UBIGINT NOT NULL
);

-- Data-quality findings of each load (not errors: the load went through).
CREATE TABLE IF NOT EXISTS load_findings (
  load_id INTEGER,
  kind VARCHAR,
  宛名番号 VARCHAR,
  履歴番号 INTEGER,
  detail VARCHAR
);

-- Masters, reloaded from queries/master/*.csv by every load.
CREATE TABLE IF NOT EXISTS master_nationality (name VARCHAR, iso2 VARCHAR, iso3 VARCHAR, aliases VARCHAR);
CREATE TABLE IF NOT EXISTS master_zairyu_shikaku (name VARCHAR, kind VARCHAR, aliases VARCHAR);
CREATE TABLE IF NOT EXISTS master_ido_jiyu (name VARCHAR, kind VARCHAR, sign VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS master_todofuken (code VARCHAR, name VARCHAR);

-- One row per person of the last loaded 住民.csv, so a nightly load re-checks only what changed
-- (src/ingest/findings.ts). line_hash: hash of the row's text values (mapping.json applied);
-- typed_hash: hash of the typed columns compared with the state derived from history;
-- differs: the differing column names (NULL if equal); no_history: no state derived from history;
-- birth_note: an impossible or era-out 生年月日 as written; gaiji_cols / outside_cols: columns with
-- 外字 / characters outside CP932; outside_chars: those characters as '<column>:<char>'.
-- Empty in a store loaded before it existed: the next load fills it as a first load of residents.
CREATE TABLE IF NOT EXISTS resident_rows (
  宛名番号 VARCHAR,
  line_hash UBIGINT,
  typed_hash UBIGINT,
  differs VARCHAR,
  no_history BOOLEAN,
  birth_note VARCHAR,
  gaiji_cols VARCHAR[],
  outside_cols VARCHAR[],
  outside_chars VARCHAR[]
);
