//! Reading and writing patients. Writes run in a transaction: a patient is stored whole
//! (row, MRN counter, search index) or not at all.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::fold::sort_key;
use super::mrn::format_mrn;
use super::validate::validate;
use super::{
    Address, EmergencyContact, Patient, PatientId, PatientInput, PatientSummary, SexAtBirth,
    ValidPatient,
};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;

const COLUMNS: &str =
    "id, mrn, given_name, family_name, preferred_name, birth_date, sex_at_birth, \
    gender_identity, phone, email, address_line1, address_line2, city, region, postal_code, \
    emergency_contact_name, emergency_contact_relationship, emergency_contact_phone, version, \
    created_at, updated_at";

pub(super) const SUMMARY_COLUMNS: &str =
    "id, mrn, given_name, family_name, preferred_name, birth_date";

fn date(s: String) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Patient> {
    Ok(Patient {
        id: PatientId(r.get(0)?),
        mrn: r.get(1)?,
        given_name: r.get(2)?,
        family_name: r.get(3)?,
        preferred_name: r.get(4)?,
        birth_date: date(r.get(5)?)?,
        sex_at_birth: r
            .get::<_, Option<String>>(6)?
            .as_deref()
            .and_then(SexAtBirth::parse),
        gender_identity: r.get(7)?,
        phone: r.get(8)?,
        email: r.get(9)?,
        address: Address {
            line1: r.get(10)?,
            line2: r.get(11)?,
            city: r.get(12)?,
            region: r.get(13)?,
            postal_code: r.get(14)?,
        },
        emergency_contact: EmergencyContact {
            name: r.get(15)?,
            relationship: r.get(16)?,
            phone: r.get(17)?,
        },
        version: r.get(18)?,
        created_at: r.get(19)?,
        updated_at: r.get(20)?,
    })
}

pub(super) fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<PatientSummary> {
    Ok(PatientSummary {
        id: PatientId(r.get(0)?),
        mrn: r.get(1)?,
        given_name: r.get(2)?,
        family_name: r.get(3)?,
        preferred_name: r.get(4)?,
        birth_date: date(r.get(5)?)?,
    })
}

fn insert(conn: &Connection, v: &ValidPatient, now: &str) -> CoreResult<PatientId> {
    let seq: i64 = conn.query_row(
        "UPDATE vault_meta SET next_mrn = next_mrn + 1 WHERE id = 1 RETURNING next_mrn - 1",
        [],
        |r| r.get(0),
    )?;
    let mrn = format_mrn(seq as u64);
    conn.execute(
        "INSERT INTO patient (mrn, given_name, family_name, preferred_name, birth_date, sex_at_birth, \
         gender_identity, phone, email, address_line1, address_line2, city, region, postal_code, \
         emergency_contact_name, emergency_contact_relationship, emergency_contact_phone, sort_key, \
         created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
        params![
            mrn,
            v.given_name,
            v.family_name,
            v.preferred_name,
            v.birth_date.format("%Y-%m-%d").to_string(),
            v.sex_at_birth.map(SexAtBirth::as_str),
            v.gender_identity,
            v.phone,
            v.email,
            v.address.line1,
            v.address.line2,
            v.address.city,
            v.address.region,
            v.address.postal_code,
            v.emergency_contact.name,
            v.emergency_contact.relationship,
            v.emergency_contact.phone,
            sort_key(&v.family_name, &v.given_name),
            now,
        ],
    )?;
    Ok(PatientId(conn.last_insert_rowid()))
}

/// Validates and stores a new patient with a fresh MRN.
pub fn create(
    session: &mut Session,
    input: &PatientInput,
    today: NaiveDate,
) -> CoreResult<Patient> {
    let v = validate(input, today)?;
    let tx = session.conn_mut().transaction()?;
    let id = insert(&tx, &v, &now_utc())?;
    tx.commit()?;
    get(session, id)
}

/// Validates and stores many patients in one transaction: all or none. Returns how many.
/// Used by the demo seed and imports; the first invalid input aborts the batch.
pub fn create_batch(
    session: &mut Session,
    inputs: &[PatientInput],
    today: NaiveDate,
) -> CoreResult<usize> {
    let valid = inputs
        .iter()
        .map(|i| validate(i, today))
        .collect::<Result<Vec<_>, _>>()?;
    let now = now_utc();
    let tx = session.conn_mut().transaction()?;
    for v in &valid {
        insert(&tx, v, &now)?;
    }
    tx.commit()?;
    Ok(valid.len())
}

pub fn get(session: &Session, id: PatientId) -> CoreResult<Patient> {
    session
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM patient WHERE id = ?1"),
            [id.0],
            from_row,
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The patient",
        })
}

/// A patient by MRN (case-insensitive).
pub fn get_by_mrn(session: &Session, mrn: &str) -> CoreResult<Patient> {
    session
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM patient WHERE mrn = ?1"),
            [mrn.trim().to_uppercase()],
            from_row,
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The patient",
        })
}

/// Saves an edit. `expected_version` is the version the form was loaded from; if someone
/// else saved in between, nothing is written and `Conflict` says so.
pub fn update(
    session: &mut Session,
    id: PatientId,
    expected_version: i64,
    input: &PatientInput,
    today: NaiveDate,
) -> CoreResult<Patient> {
    let v = validate(input, today)?;
    let tx = session.conn_mut().transaction()?;
    let current: Option<i64> = tx
        .query_row("SELECT version FROM patient WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })
        .optional()?;
    match current {
        None => return Err(CoreError::NotFound { what: "The patient" }),
        Some(cur) if cur != expected_version => {
            return Err(CoreError::Conflict(
                "This patient was changed by someone else since you opened it. Reload the record and make your changes again".into(),
            ))
        }
        Some(_) => {}
    }
    tx.execute(
        "UPDATE patient SET given_name = ?2, family_name = ?3, preferred_name = ?4, birth_date = ?5, \
         sex_at_birth = ?6, gender_identity = ?7, phone = ?8, email = ?9, address_line1 = ?10, \
         address_line2 = ?11, city = ?12, region = ?13, postal_code = ?14, emergency_contact_name = ?15, \
         emergency_contact_relationship = ?16, emergency_contact_phone = ?17, sort_key = ?18, \
         version = version + 1, updated_at = ?19 WHERE id = ?1",
        params![
            id.0,
            v.given_name,
            v.family_name,
            v.preferred_name,
            v.birth_date.format("%Y-%m-%d").to_string(),
            v.sex_at_birth.map(SexAtBirth::as_str),
            v.gender_identity,
            v.phone,
            v.email,
            v.address.line1,
            v.address.line2,
            v.address.city,
            v.address.region,
            v.address.postal_code,
            v.emergency_contact.name,
            v.emergency_contact.relationship,
            v.emergency_contact.phone,
            sort_key(&v.family_name, &v.given_name),
            now_utc(),
        ],
    )?;
    tx.commit()?;
    get(session, id)
}

/// Patients in alphabetical order (family, then given name), a page at a time.
pub fn list(session: &Session, offset: u32, limit: u32) -> CoreResult<Vec<PatientSummary>> {
    let mut stmt = session.conn().prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM patient ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt.query_map(params![limit.min(500), offset], summary_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn count(session: &Session) -> CoreResult<u64> {
    Ok(session
        .conn()
        .query_row("SELECT count(*) FROM patient", [], |r| r.get::<_, i64>(0))? as u64)
}
