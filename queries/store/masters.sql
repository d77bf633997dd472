-- Reloads the masters from queries/master/*.csv into the store, and builds the lookup tables the
-- loader uses (every spelling → the master name; keys are upper-cased and trimmed).
DELETE FROM master_nationality;
INSERT INTO master_nationality SELECT * FROM read_csv($nationality, header = true, auto_detect = false,
  columns = {'name': 'VARCHAR', 'iso2': 'VARCHAR', 'iso3': 'VARCHAR', 'aliases': 'VARCHAR'});
DELETE FROM master_zairyu_shikaku;
INSERT INTO master_zairyu_shikaku SELECT * FROM read_csv($zairyu_shikaku, header = true, auto_detect = false,
  columns = {'name': 'VARCHAR', 'kind': 'VARCHAR', 'aliases': 'VARCHAR'});
DELETE FROM master_ido_jiyu;
INSERT INTO master_ido_jiyu SELECT * FROM read_csv($ido_jiyu, header = true, auto_detect = false,
  columns = {'name': 'VARCHAR', 'kind': 'VARCHAR', 'sign': 'VARCHAR', 'note': 'VARCHAR'});
DELETE FROM master_todofuken;
INSERT INTO master_todofuken SELECT * FROM read_csv($todofuken, header = true, auto_detect = false,
  columns = {'code': 'VARCHAR', 'name': 'VARCHAR'});

CREATE OR REPLACE TEMP TABLE lookup_nationality AS
SELECT DISTINCT upper(trim(k)) AS key, name FROM (
  SELECT name AS k, name FROM master_nationality
  UNION ALL SELECT iso2, name FROM master_nationality
  UNION ALL SELECT iso3, name FROM master_nationality
  UNION ALL SELECT unnest(string_split(aliases, '|')), name FROM master_nationality WHERE aliases IS NOT NULL
) WHERE k IS NOT NULL AND trim(k) <> '';

CREATE OR REPLACE TEMP TABLE lookup_zairyu_shikaku AS
SELECT DISTINCT upper(trim(k)) AS key, name FROM (
  SELECT name AS k, name FROM master_zairyu_shikaku
  UNION ALL SELECT unnest(string_split(aliases, '|')), name FROM master_zairyu_shikaku WHERE aliases IS NOT NULL
) WHERE k IS NOT NULL AND trim(k) <> '';
