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
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
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
    insert_with_mrn(conn, v, &format_mrn(seq as u64), now)
}

/// Stores an imported patient under its own MRN when that MRN is valid and free in this vault
/// (moving the MRN sequence past it), otherwise under a new one. Returns the id and the MRN used.
pub(crate) fn insert_imported(
    conn: &Connection,
    v: &ValidPatient,
    mrn: &str,
    now: &str,
) -> CoreResult<(PatientId, String)> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM patient WHERE mrn = ?1)",
        [mrn],
        |r| r.get(0),
    )?;
    let seq = mrn
        .strip_prefix("KC-")
        .and_then(|r| r.split('-').next())
        .and_then(|n| n.parse::<i64>().ok());
    let id = match seq {
        Some(seq) if !taken && super::is_valid_mrn(mrn) => {
            conn.execute(
                "UPDATE vault_meta SET next_mrn = max(next_mrn, ?1 + 1) WHERE id = 1",
                [seq],
            )?;
            insert_with_mrn(conn, v, mrn, now)?
        }
        _ => insert(conn, v, now)?,
    };
    Ok((id, mrn_of(conn, id)?))
}

fn insert_with_mrn(
    conn: &Connection,
    v: &ValidPatient,
    mrn: &str,
    now: &str,
) -> CoreResult<PatientId> {
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
    session.require(Permission::EditPatients)?;
    let v = validate(input, today)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let id = insert(&tx, &v, &now_utc())?;
    let mrn = mrn_of(&tx, id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::PatientCreate).patient(id.0, &mrn),
    )?;
    tx.commit()?;
    load(session.conn(), id)
}

fn mrn_of(conn: &Connection, id: PatientId) -> CoreResult<String> {
    Ok(
        conn.query_row("SELECT mrn FROM patient WHERE id = ?1", [id.0], |r| {
            r.get(0)
        })?,
    )
}

/// Validates and stores many patients in one transaction: all or none. Returns how many.
/// Used by the demo seed and imports; the first invalid input aborts the batch.
pub fn create_batch(
    session: &mut Session,
    inputs: &[PatientInput],
    today: NaiveDate,
) -> CoreResult<usize> {
    session.require(Permission::EditPatients)?;
    let valid = inputs
        .iter()
        .map(|i| validate(i, today))
        .collect::<Result<Vec<_>, _>>()?;
    let now = now_utc();
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    for v in &valid {
        let id = insert(&tx, v, &now)?;
        let mrn = mrn_of(&tx, id)?;
        audit::append(
            &tx,
            &actor,
            &NewEvent::new(AuditAction::PatientCreate).patient(id.0, &mrn),
        )?;
    }
    tx.commit()?;
    Ok(valid.len())
}

/// Opens a chart: the patient's record, with the view audited.
pub fn get(session: &Session, id: PatientId) -> CoreResult<Patient> {
    session.require(Permission::ReadPatients)?;
    let p = load(session.conn(), id)?;
    session.audit(NewEvent::new(AuditAction::PatientView).patient(p.id.0, &p.mrn))?;
    Ok(p)
}

pub(crate) fn load(conn: &Connection, id: PatientId) -> CoreResult<Patient> {
    conn.query_row(
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
    session.require(Permission::ReadPatients)?;
    let p = session
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM patient WHERE mrn = ?1"),
            [mrn.trim().to_uppercase()],
            from_row,
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The patient",
        })?;
    session.audit(NewEvent::new(AuditAction::PatientView).patient(p.id.0, &p.mrn))?;
    Ok(p)
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
    session.require(Permission::EditPatients)?;
    let v = validate(input, today)?;
    let before = load(session.conn(), id)?;
    let actor = session.actor();
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
    let after = load(&tx, id)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::PatientUpdate)
            .patient(id.0, &after.mrn)
            .detail(format!(
                "changed: {}",
                changed_fields(&before, &after).join(", ")
            )),
    )?;
    tx.commit()?;
    Ok(after)
}

/// Names (not values) of the fields an edit changed, for the audit entry.
fn changed_fields(a: &Patient, b: &Patient) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |name: &'static str, changed: bool| {
        if changed {
            out.push(name);
        }
    };
    cmp("givenName", a.given_name != b.given_name);
    cmp("familyName", a.family_name != b.family_name);
    cmp("preferredName", a.preferred_name != b.preferred_name);
    cmp("birthDate", a.birth_date != b.birth_date);
    cmp("sexAtBirth", a.sex_at_birth != b.sex_at_birth);
    cmp("genderIdentity", a.gender_identity != b.gender_identity);
    cmp("phone", a.phone != b.phone);
    cmp("email", a.email != b.email);
    cmp("address", a.address != b.address);
    cmp(
        "emergencyContact",
        a.emergency_contact != b.emergency_contact,
    );
    if out.is_empty() {
        out.push("nothing");
    }
    out
}

/// Patients in alphabetical order (family, then given name), a page at a time.
pub fn list(session: &Session, offset: u32, limit: u32) -> CoreResult<Vec<PatientSummary>> {
    session.require(Permission::ReadPatients)?;
    let mut stmt = session.conn().prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM patient ORDER BY sort_key, id LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt.query_map(params![limit.min(500), offset], summary_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn count(session: &Session) -> CoreResult<u64> {
    session.require(Permission::ReadPatients)?;
    Ok(session
        .conn()
        .query_row("SELECT count(*) FROM patient", [], |r| r.get::<_, i64>(0))? as u64)
}
