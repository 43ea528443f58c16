-- Schema 9: a signed treatment session imported from another vault names its course by that
-- vault's record id inside its signed content (which never changes); the course it belongs to
-- here is recorded beside it. Never changed, never deleted.

CREATE TABLE record_course_alias (
    record_id   INTEGER PRIMARY KEY REFERENCES clinical_record(id),
    course_id   INTEGER NOT NULL REFERENCES clinical_record(id)
) STRICT;

CREATE TRIGGER record_course_alias_is_frozen BEFORE UPDATE ON record_course_alias
BEGIN
    SELECT RAISE(ABORT, 'a course link cannot be changed');
END;

CREATE TRIGGER record_course_alias_no_delete BEFORE DELETE ON record_course_alias
BEGIN
    SELECT RAISE(ABORT, 'a course link cannot be deleted');
END;
