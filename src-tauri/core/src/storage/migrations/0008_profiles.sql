-- Schema 8: the clinic's profile and staff profiles, as forms such as the Spravato REMS
-- Patient Monitoring Form print them. The core validates and normalises every value; the
-- checks here only keep the stored shapes honest.

ALTER TABLE clinic ADD COLUMN address_line1 TEXT CHECK (length(address_line1) BETWEEN 1 AND 120);
ALTER TABLE clinic ADD COLUMN address_line2 TEXT CHECK (length(address_line2) BETWEEN 1 AND 120);
ALTER TABLE clinic ADD COLUMN city TEXT CHECK (length(city) BETWEEN 1 AND 60);
ALTER TABLE clinic ADD COLUMN state TEXT CHECK (state GLOB '[A-Z][A-Z]');
ALTER TABLE clinic ADD COLUMN zip TEXT
    CHECK (zip GLOB '[0-9][0-9][0-9][0-9][0-9]' OR zip GLOB '[0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]');
ALTER TABLE clinic ADD COLUMN phone TEXT CHECK (length(phone) = 14);
ALTER TABLE clinic ADD COLUMN fax TEXT CHECK (length(fax) = 14);
ALTER TABLE clinic ADD COLUMN tin TEXT CHECK (tin GLOB '[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
ALTER TABLE clinic ADD COLUMN npi TEXT CHECK (length(npi) = 10 AND npi NOT GLOB '*[^0-9]*');
ALTER TABLE clinic ADD COLUMN rems_setting_id TEXT CHECK (length(rems_setting_id) BETWEEN 1 AND 40);

CREATE TABLE provider_profile (
    user_id      INTEGER PRIMARY KEY REFERENCES app_user(id),
    given_name   TEXT CHECK (length(given_name) BETWEEN 1 AND 100),
    family_name  TEXT CHECK (length(family_name) BETWEEN 1 AND 100),
    credentials  TEXT CHECK (length(credentials) BETWEEN 1 AND 40),
    npi          TEXT CHECK (length(npi) = 10 AND npi NOT GLOB '*[^0-9]*'),
    phone        TEXT CHECK (length(phone) = 14),
    email        TEXT CHECK (length(email) BETWEEN 3 AND 254),
    prescriber   INTEGER NOT NULL DEFAULT 0 CHECK (prescriber IN (0, 1)),
    updated_at   TEXT NOT NULL
) STRICT;
