-- Schema 6: name search finds letters that have no Unicode decomposition. SQLite's
-- `remove_diacritics` folds "ü" to "u" but leaves "ø", "ł", "æ", "ß" … as they are, so "odeg" did
-- not find "Ødegård". A generated column spells the names with those letters transliterated
-- (the same table as `patient::fold::TRANSLITERATION`, checked by a test), and the search index
-- covers it too.

ALTER TABLE patient ADD COLUMN search_name TEXT GENERATED ALWAYS AS (
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(given_name || ' ' || family_name || ' ' || coalesce(preferred_name, ''), 'ø', 'o'), 'Ø', 'O'), 'ł', 'l'), 'Ł', 'L'), 'æ', 'ae'), 'Æ', 'Ae'), 'œ', 'oe'), 'Œ', 'Oe'), 'ß', 'ss'), 'đ', 'd'), 'Đ', 'D'), 'ð', 'd'), 'Ð', 'D'), 'þ', 'th'), 'Þ', 'Th'), 'ı', 'i'), 'ħ', 'h'), 'Ħ', 'H')
) VIRTUAL;

DROP TRIGGER patient_fts_insert;
DROP TRIGGER patient_fts_delete;
DROP TRIGGER patient_fts_update;
DROP TABLE patient_fts;

CREATE VIRTUAL TABLE patient_fts USING fts5 (
    given_name, family_name, preferred_name, mrn, search_name,
    content = 'patient', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO patient_fts (patient_fts) VALUES ('rebuild');

CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN
    INSERT INTO patient_fts (rowid, given_name, family_name, preferred_name, mrn, search_name)
    VALUES (new.id, new.given_name, new.family_name, new.preferred_name, new.mrn, new.search_name);
END;

CREATE TRIGGER patient_fts_delete AFTER DELETE ON patient BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name, preferred_name, mrn, search_name)
    VALUES ('delete', old.id, old.given_name, old.family_name, old.preferred_name, old.mrn, old.search_name);
END;

CREATE TRIGGER patient_fts_update AFTER UPDATE OF given_name, family_name, preferred_name, mrn ON patient BEGIN
    INSERT INTO patient_fts (patient_fts, rowid, given_name, family_name, preferred_name, mrn, search_name)
    VALUES ('delete', old.id, old.given_name, old.family_name, old.preferred_name, old.mrn, old.search_name);
    INSERT INTO patient_fts (rowid, given_name, family_name, preferred_name, mrn, search_name)
    VALUES (new.id, new.given_name, new.family_name, new.preferred_name, new.mrn, new.search_name);
END;
