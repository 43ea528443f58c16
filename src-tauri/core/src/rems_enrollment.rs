//! The patient's SPRAVATO REMS enrollment: the enrollment form's fields as captured, the status
//! (`not_enrolled`, `form_completed`, `enrolled`) with the enrollment date and the REMS patient
//! ID, and who recorded it. It is the gate for Spravato sessions: a session with a dose is
//! refused unless the patient is enrolled on or before the session date
//! (`treatment::validate`, fed by `treatment::context`).
//!
//! The domain reference lists the Patient Monitoring Form's fields but not the enrollment
//! form's: the field set here follows the REMS requirements (patient identity and contact,
//! prescriber, healthcare setting) and is labelled UNVERIFIED wherever it is shown — compare
//! with the current official form ([`FIELDS_NOTE`]).
//!
//! One row per patient (`rems_enrollment`, migration 13); each save is a new version with
//! optimistic concurrency and an audit entry (status and changed field names, never values),
//! and appends a copy of the stored row to `rems_enrollment_history` in the same transaction
//! (triggers refuse changing or deleting it), so every status and enrollment date the session
//! gate ever decided on stays on record ([`history`]).
//! The prescriber's name and NPI come from their provider profile and the healthcare setting
//! (name, REMS setting ID) from the clinic profile, stamped at save time.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::access::Permission;
use crate::audit::{AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::patient::SexAtBirth;
use crate::profile::check;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// Printed on the form and shown in the UI next to the fields.
pub const FIELDS_NOTE: &str = "UNVERIFIED: fields per the REMS requirements; compare with the \
    current official SPRAVATO REMS Patient Enrollment Form before relying on this printout.";

/// Where the enrollment is recorded, as the session gate's message names it.
pub const WHERE_TO_RECORD: &str =
    "Record the REMS patient enrollment on the patient's chart (REMS enrollment)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RemsStatus {
    #[default]
    NotEnrolled,
    FormCompleted,
    Enrolled,
}

impl RemsStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RemsStatus::NotEnrolled => "not_enrolled",
            RemsStatus::FormCompleted => "form_completed",
            RemsStatus::Enrolled => "enrolled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "not_enrolled" => RemsStatus::NotEnrolled,
            "form_completed" => RemsStatus::FormCompleted,
            "enrolled" => RemsStatus::Enrolled,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            RemsStatus::NotEnrolled => "Not enrolled",
            RemsStatus::FormCompleted => "Enrollment form completed, not yet enrolled",
            RemsStatus::Enrolled => "Enrolled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreferredContact {
    Phone,
    Email,
    Mail,
}

impl PreferredContact {
    pub fn as_str(self) -> &'static str {
        match self {
            PreferredContact::Phone => "phone",
            PreferredContact::Email => "email",
            PreferredContact::Mail => "mail",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "phone" => PreferredContact::Phone,
            "email" => PreferredContact::Email,
            "mail" => PreferredContact::Mail,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            PreferredContact::Phone => "Phone",
            PreferredContact::Email => "Email",
            PreferredContact::Mail => "Mail",
        }
    }
}

/// The enrollment as stored (or, before anything is recorded, prefilled from the patient's
/// record and the clinic profile with `version` 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemsEnrollment {
    pub patient_id: i64,
    pub status: RemsStatus,
    pub enrolled_on: Option<NaiveDate>,
    pub rems_patient_id: Option<String>,
    pub first_name: String,
    pub middle_initial: Option<String>,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub sex: Option<SexAtBirth>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_contact: Option<PreferredContact>,
    pub prescriber_user_id: Option<i64>,
    pub prescriber_name: Option<String>,
    pub prescriber_npi: Option<String>,
    /// The clinic's name and REMS setting ID when this was saved (the current ones for a
    /// prefilled form).
    pub setting_name: Option<String>,
    pub rems_setting_id: Option<String>,
    /// 0 = nothing recorded yet.
    pub version: i64,
    pub recorded_by_name: Option<String>,
    pub recorded_at: Option<String>,
    /// Every save, newest first (empty before the first save). Filled by [`get`] and [`save`]
    /// (and for exports); empty in the snapshots inside [`RemsEnrollmentVersion`].
    pub history: Vec<RemsEnrollmentVersion>,
}

/// One save of the enrollment as it was stored (`rems_enrollment_history`; never changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemsEnrollmentVersion {
    pub version: i64,
    pub status: RemsStatus,
    pub enrolled_on: Option<NaiveDate>,
    /// The user who saved it.
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub recorded_at: String,
    /// Every field as that save stored it (its own `history` empty).
    pub stored: RemsEnrollment,
}

/// What the enrollment form sends: text as typed (empty = not given).
#[derive(Debug, Clone, Default)]
pub struct RemsEnrollmentInput {
    pub patient_id: i64,
    /// The version the form started from (0 for a first save).
    pub version: i64,
    pub status: String,
    /// `YYYY-MM-DD`; required when enrolled.
    pub enrolled_on: String,
    pub rems_patient_id: String,
    pub first_name: String,
    pub middle_initial: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// `female`, `male`, `intersex`, `unknown`, or empty.
    pub sex: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub email: String,
    /// `phone`, `email`, `mail`, or empty.
    pub preferred_contact: String,
    pub prescriber_user_id: Option<i64>,
}

/// What the session gate reads: the status and, when enrolled, the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnrollmentGate {
    /// `None`: nothing recorded.
    pub status: Option<RemsStatus>,
    pub enrolled_on: Option<NaiveDate>,
}

impl EnrollmentGate {
    /// Enrolled on or before `date`.
    pub fn enrolled_by(&self, date: NaiveDate) -> bool {
        self.status == Some(RemsStatus::Enrolled) && self.enrolled_on.is_some_and(|d| d <= date)
    }

    /// Why a Spravato dose on `date` is refused, or `None` when the patient is enrolled.
    pub fn refusal(&self, date: Option<NaiveDate>) -> Option<String> {
        let why = match (self.status, self.enrolled_on, date) {
            (Some(RemsStatus::Enrolled), Some(on), Some(d)) if on <= d => return None,
            (Some(RemsStatus::Enrolled), Some(on), Some(_)) => format!(
                "the patient's enrollment date ({}) is after the session date",
                on.format("%d-%b-%Y")
            ),
            (Some(RemsStatus::Enrolled), _, None) => "the session has no date yet".to_string(),
            (Some(RemsStatus::FormCompleted), _, _) => {
                "the enrollment form is completed but the patient is not enrolled yet".to_string()
            }
            _ => "no enrollment is recorded for this patient".to_string(),
        };
        Some(format!(
            "Spravato can be given only to a patient enrolled in the SPRAVATO REMS on or before \
             the session date: {why}. {WHERE_TO_RECORD}."
        ))
    }
}

const COLUMNS: &str = "patient_id, status, enrolled_on, rems_patient_id, first_name, \
    middle_initial, last_name, birth_date, sex, address_line1, address_line2, city, state, zip, \
    phone, email, preferred_contact, prescriber_user_id, prescriber_name, prescriber_npi, \
    setting_name, rems_setting_id, version, recorded_by_name, recorded_at";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RemsEnrollment> {
    let bad = || {
        rusqlite::Error::InvalidColumnType(0, "rems_enrollment".into(), rusqlite::types::Type::Text)
    };
    Ok(RemsEnrollment {
        patient_id: r.get(0)?,
        status: RemsStatus::parse(&r.get::<_, String>(1)?).ok_or_else(bad)?,
        enrolled_on: date(r.get(2)?),
        rems_patient_id: r.get(3)?,
        first_name: r.get(4)?,
        middle_initial: r.get(5)?,
        last_name: r.get(6)?,
        birth_date: date(r.get(7)?).ok_or_else(bad)?,
        sex: r
            .get::<_, Option<String>>(8)?
            .and_then(|s| SexAtBirth::parse(&s)),
        address_line1: r.get(9)?,
        address_line2: r.get(10)?,
        city: r.get(11)?,
        state: r.get(12)?,
        zip: r.get(13)?,
        phone: r.get(14)?,
        email: r.get(15)?,
        preferred_contact: r
            .get::<_, Option<String>>(16)?
            .and_then(|s| PreferredContact::parse(&s)),
        prescriber_user_id: r.get(17)?,
        prescriber_name: r.get(18)?,
        prescriber_npi: r.get(19)?,
        setting_name: r.get(20)?,
        rems_setting_id: r.get(21)?,
        version: r.get(22)?,
        recorded_by_name: r.get(23)?,
        recorded_at: r.get(24)?,
        history: Vec::new(),
    })
}

/// Every save of the patient's enrollment, newest first.
fn history_rows(conn: &Connection, patient_id: i64) -> CoreResult<Vec<RemsEnrollmentVersion>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, recorded_by FROM rems_enrollment_history WHERE patient_id = ?1 \
         ORDER BY version DESC"
    ))?;
    let rows = stmt.query_map([patient_id], |r| {
        let stored = row(r)?;
        Ok(RemsEnrollmentVersion {
            version: stored.version,
            status: stored.status,
            enrolled_on: stored.enrolled_on,
            recorded_by: r.get(25)?,
            recorded_by_name: stored.recorded_by_name.clone().unwrap_or_default(),
            recorded_at: stored.recorded_at.clone().unwrap_or_default(),
            stored,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn stored(conn: &Connection, patient_id: i64) -> CoreResult<Option<RemsEnrollment>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM rems_enrollment WHERE patient_id = ?1"),
            [patient_id],
            row,
        )
        .optional()?)
}

/// The session gate's facts, without a session (read inside the session's transaction).
pub(crate) fn gate(conn: &Connection, patient_id: i64) -> CoreResult<EnrollmentGate> {
    let r: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT status, enrolled_on FROM rems_enrollment WHERE patient_id = ?1",
            [patient_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match r {
        Some((status, on)) => EnrollmentGate {
            status: RemsStatus::parse(&status),
            enrolled_on: date(on),
        },
        None => EnrollmentGate::default(),
    })
}

/// The form as recorded, or prefilled from the chart for a first save. Without a session and
/// without an audit entry: for PDFs and callers that audit themselves.
pub(crate) fn load(conn: &Connection, patient_id: i64) -> CoreResult<RemsEnrollment> {
    if let Some(mut e) = stored(conn, patient_id)? {
        e.history = history_rows(conn, patient_id)?;
        return Ok(e);
    }
    let p = conn
        .query_row(
            "SELECT given_name, family_name, birth_date, sex_at_birth, address_line1, \
             address_line2, city, region, postal_code, phone, email FROM patient WHERE id = ?1",
            [patient_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    [
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                    ],
                ))
            },
        )
        .optional()?
        .ok_or(CoreError::NotFound {
            what: "The patient",
        })?;
    let (given, family, dob, sex, [a1, a2, city, region, zip, phone, email]) = p;
    let clinic = crate::profile::clinic::load(conn)?;
    let some = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    Ok(RemsEnrollment {
        patient_id,
        status: RemsStatus::NotEnrolled,
        enrolled_on: None,
        rems_patient_id: None,
        first_name: given,
        middle_initial: None,
        last_name: family,
        birth_date: date(Some(dob))
            .ok_or(CoreError::Crypto("a stored birth date is not readable"))?,
        sex: sex.and_then(|s| SexAtBirth::parse(&s)),
        address_line1: some(a1),
        address_line2: some(a2),
        city: some(city),
        state: some(region),
        zip: some(zip),
        phone: some(phone),
        email: some(email),
        preferred_contact: None,
        prescriber_user_id: None,
        prescriber_name: None,
        prescriber_npi: None,
        setting_name: Some(clinic.name),
        rems_setting_id: clinic.rems_setting_id,
        version: 0,
        recorded_by_name: None,
        recorded_at: None,
        history: Vec::new(),
    })
}

/// The patient's enrollment (or the prefilled form), for someone who reads the clinical
/// record. Audited as a view.
pub fn get(session: &Session, patient_id: i64) -> CoreResult<RemsEnrollment> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    let mrn = crate::record::patient_mrn(conn, patient_id)?;
    let e = load(conn, patient_id)?;
    session.audit(
        NewEvent::new(AuditAction::RemsEnrollmentView)
            .patient(patient_id, &mrn)
            .record("rems_enrollment", patient_id.to_string()),
    )?;
    Ok(e)
}

/// Every save of the patient's enrollment as it was stored, newest first (empty when nothing was
/// recorded), for someone who reads the clinical record. Audited as a view.
pub fn history(session: &Session, patient_id: i64) -> CoreResult<Vec<RemsEnrollmentVersion>> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    let mrn = crate::record::patient_mrn(conn, patient_id)?;
    let h = history_rows(conn, patient_id)?;
    session.audit(
        NewEvent::new(AuditAction::RemsEnrollmentView)
            .patient(patient_id, &mrn)
            .record("rems_enrollment", patient_id.to_string())
            .detail(format!("history, {} versions", h.len())),
    )?;
    Ok(h)
}

/// The enrollment and the patient's MRN for a PDF export (the caller audits the export with
/// [`record_export`]).
pub fn for_export(session: &Session, patient_id: i64) -> CoreResult<(RemsEnrollment, String)> {
    session.require(Permission::ReadClinical)?;
    let mrn = crate::record::patient_mrn(session.conn(), patient_id)?;
    Ok((load(session.conn(), patient_id)?, mrn))
}

/// Audits that the enrollment form was written to a file.
pub fn record_export(session: &Session, patient_id: i64) -> CoreResult<()> {
    let mrn = crate::record::patient_mrn(session.conn(), patient_id)?;
    session.audit(
        NewEvent::new(AuditAction::RemsEnrollmentExport)
            .patient(patient_id, &mrn)
            .record("rems_enrollment", patient_id.to_string()),
    )?;
    Ok(())
}

fn parse_day(e: &mut ValidationErrors, field: &str, label: &str, raw: &str) -> Option<NaiveDate> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(field, format!("{label} is not a real date"));
            None
        }
    }
}

/// The checked form (prescriber and setting not yet stamped).
fn validate(
    input: &RemsEnrollmentInput,
    today: NaiveDate,
) -> Result<RemsEnrollment, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let status = match RemsStatus::parse(input.status.trim()) {
        Some(s) => s,
        None => {
            e.add("status", "Choose the enrollment status");
            RemsStatus::NotEnrolled
        }
    };
    let first_name = check::line(
        &mut e,
        "firstName",
        "First name",
        &input.first_name,
        100,
        Some("Enter the patient's first name"),
    );
    let middle_initial = check::line(
        &mut e,
        "middleInitial",
        "Middle initial",
        &input.middle_initial,
        4,
        None,
    );
    let last_name = check::line(
        &mut e,
        "lastName",
        "Last name",
        &input.last_name,
        100,
        Some("Enter the patient's last name"),
    );
    let birth_date = parse_day(&mut e, "birthDate", "Date of birth", &input.birth_date);
    match birth_date {
        None if !e.has("birthDate") => e.add("birthDate", "Enter the date of birth"),
        Some(d) if d > today => e.add("birthDate", "The date of birth cannot be in the future"),
        _ => {}
    }
    let sex = match input.sex.trim() {
        "" => None,
        s => match SexAtBirth::parse(s) {
            Some(x) => Some(x),
            None => {
                e.add("sex", "Choose female, male, intersex or unknown");
                None
            }
        },
    };
    let enrolled_on = parse_day(&mut e, "enrolledOn", "Enrollment date", &input.enrolled_on);
    if status == RemsStatus::Enrolled {
        match enrolled_on {
            None if !e.has("enrolledOn") => {
                e.add("enrolledOn", "Enter the date the patient was enrolled")
            }
            Some(d) if d > today => {
                e.add("enrolledOn", "The enrollment date cannot be in the future")
            }
            Some(d) if birth_date.is_some_and(|b| d < b) => e.add(
                "enrolledOn",
                "The enrollment date cannot be before the date of birth",
            ),
            _ => {}
        }
    } else if enrolled_on.is_some() {
        e.add(
            "enrolledOn",
            "Only an enrolled patient has an enrollment date: set the status to Enrolled, or clear the date",
        );
    }
    let rems_patient_id = check::line(
        &mut e,
        "remsPatientId",
        "REMS patient ID",
        &input.rems_patient_id,
        40,
        None,
    );
    let address_line1 = check::line(
        &mut e,
        "addressLine1",
        "Address",
        &input.address_line1,
        120,
        None,
    );
    let address_line2 = check::line(
        &mut e,
        "addressLine2",
        "Address line 2",
        &input.address_line2,
        120,
        None,
    );
    let city = check::line(&mut e, "city", "City", &input.city, 60, None);
    let state = if input.state.trim().is_empty() {
        None
    } else {
        check::us_state(&mut e, "state", &input.state)
    };
    let zip = if input.zip.trim().is_empty() {
        None
    } else {
        check::zip(&mut e, "zip", &input.zip)
    };
    let phone = check::us_phone(&mut e, "phone", "Phone number", &input.phone, None);
    let email = check::email(&mut e, "email", &input.email, None);
    let preferred_contact = match input.preferred_contact.trim() {
        "" => None,
        s => match PreferredContact::parse(s) {
            Some(p) => Some(p),
            None => {
                e.add("preferredContact", "Choose phone, email or mail");
                None
            }
        },
    };
    match preferred_contact {
        Some(PreferredContact::Phone) if phone.is_none() && !e.has("phone") => {
            e.add("phone", "Enter the phone number (the preferred contact)")
        }
        Some(PreferredContact::Email) if email.is_none() && !e.has("email") => {
            e.add("email", "Enter the email address (the preferred contact)")
        }
        Some(PreferredContact::Mail) if address_line1.is_none() && !e.has("addressLine1") => {
            e.add("addressLine1", "Enter the address (the preferred contact)")
        }
        _ => {}
    }
    e.into_result()?;
    Ok(RemsEnrollment {
        patient_id: input.patient_id,
        status,
        enrolled_on,
        rems_patient_id,
        first_name: first_name.unwrap_or_default(),
        middle_initial,
        last_name: last_name.unwrap_or_default(),
        birth_date: birth_date.unwrap_or(today),
        sex,
        address_line1,
        address_line2,
        city,
        state,
        zip,
        phone,
        email,
        preferred_contact,
        prescriber_user_id: input.prescriber_user_id,
        prescriber_name: None,
        prescriber_npi: None,
        setting_name: None,
        rems_setting_id: None,
        version: input.version,
        recorded_by_name: None,
        recorded_at: None,
        history: Vec::new(),
    })
}

/// Records the enrollment form and status (a new version). Needs the permission to file REMS
/// forms. `today` bounds the dates (neither the birth nor the enrollment date in the future).
///
/// # Errors
///
/// `Validation` with camelCase field names; `Conflict` when someone saved it since `version`;
/// `NotFound` for an unknown patient.
pub fn save(
    session: &mut Session,
    input: &RemsEnrollmentInput,
    today: NaiveDate,
) -> CoreResult<RemsEnrollment> {
    session.require(Permission::SubmitForms)?;
    let mrn = crate::record::patient_mrn(session.conn(), input.patient_id)?;
    let mut next = validate(input, today)?;
    if let Some(id) = next.prescriber_user_id {
        let p = crate::profile::provider::load_by_id(session.conn(), id)?.filter(|p| p.prescriber);
        let Some(p) = p else {
            return Err(ValidationErrors::single(
                "prescriberUserId",
                "Choose a prescriber from the clinic's providers (their profile says they prescribe)",
            )
            .into());
        };
        next.prescriber_name = Some(match &p.credentials {
            Some(c) => format!("{}, {c}", p.display_name),
            None => p.display_name.clone(),
        });
        next.prescriber_npi = p.npi.clone();
    }
    let clinic = crate::profile::clinic::load(session.conn())?;
    next.setting_name = Some(clinic.name);
    next.rems_setting_id = clinic.rems_setting_id;

    let before = stored(session.conn(), input.patient_id)?;
    let current = before.as_ref().map_or(0, |b| b.version);
    if current != input.version {
        return Err(CoreError::Conflict(
            "Someone else saved this patient's REMS enrollment since you opened it. Reopen it to see their changes.".into(),
        ));
    }
    let changed = before.as_ref().map(|b| changed_fields(b, &next));
    next.version = current + 1;
    next.recorded_by_name = Some(session.user().display_name.clone());
    next.recorded_at = Some(now_utc());
    let actor = session.actor();
    let user_id = session.user().id;
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO rems_enrollment (patient_id, status, enrolled_on, rems_patient_id, first_name, \
         middle_initial, last_name, birth_date, sex, address_line1, address_line2, city, state, \
         zip, phone, email, preferred_contact, prescriber_user_id, prescriber_name, \
         prescriber_npi, setting_name, rems_setting_id, version, recorded_by, recorded_by_name, \
         recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
         ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) \
         ON CONFLICT (patient_id) DO UPDATE SET status = excluded.status, \
         enrolled_on = excluded.enrolled_on, rems_patient_id = excluded.rems_patient_id, \
         first_name = excluded.first_name, middle_initial = excluded.middle_initial, \
         last_name = excluded.last_name, birth_date = excluded.birth_date, sex = excluded.sex, \
         address_line1 = excluded.address_line1, address_line2 = excluded.address_line2, \
         city = excluded.city, state = excluded.state, zip = excluded.zip, phone = excluded.phone, \
         email = excluded.email, preferred_contact = excluded.preferred_contact, \
         prescriber_user_id = excluded.prescriber_user_id, \
         prescriber_name = excluded.prescriber_name, prescriber_npi = excluded.prescriber_npi, \
         setting_name = excluded.setting_name, rems_setting_id = excluded.rems_setting_id, \
         version = excluded.version, recorded_by = excluded.recorded_by, \
         recorded_by_name = excluded.recorded_by_name, recorded_at = excluded.recorded_at",
        params![
            next.patient_id,
            next.status.as_str(),
            next.enrolled_on.map(|d| d.format("%Y-%m-%d").to_string()),
            next.rems_patient_id,
            next.first_name,
            next.middle_initial,
            next.last_name,
            next.birth_date.format("%Y-%m-%d").to_string(),
            next.sex.map(SexAtBirth::as_str),
            next.address_line1,
            next.address_line2,
            next.city,
            next.state,
            next.zip,
            next.phone,
            next.email,
            next.preferred_contact.map(PreferredContact::as_str),
            next.prescriber_user_id,
            next.prescriber_name,
            next.prescriber_npi,
            next.setting_name,
            next.rems_setting_id,
            next.version,
            user_id,
            next.recorded_by_name,
            next.recorded_at,
        ],
    )?;
    // The row as just stored, copied to the append-only history.
    tx.execute(
        &format!(
            "INSERT INTO rems_enrollment_history ({COLUMNS}, recorded_by) \
             SELECT {COLUMNS}, recorded_by FROM rems_enrollment WHERE patient_id = ?1"
        ),
        [next.patient_id],
    )?;
    next.history = history_rows(&tx, next.patient_id)?;
    crate::audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::RemsEnrollmentSave)
            .patient(next.patient_id, &mrn)
            .record("rems_enrollment", next.patient_id.to_string())
            .detail(format!(
                "status {}, version {}{}",
                next.status.as_str(),
                next.version,
                match changed {
                    None => String::new(),
                    Some(f) if f.is_empty() => "; no field changed".into(),
                    Some(f) => format!("; changed {}", f.join(", ")),
                }
            )),
    )?;
    tx.commit()?;
    Ok(next)
}

/// The names (never values) of the fields a save changes, for the audit entry.
fn changed_fields(a: &RemsEnrollment, b: &RemsEnrollment) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut diff = |name: &'static str, same: bool| {
        if !same {
            out.push(name);
        }
    };
    diff("status", a.status == b.status);
    diff("enrolledOn", a.enrolled_on == b.enrolled_on);
    diff("remsPatientId", a.rems_patient_id == b.rems_patient_id);
    diff(
        "name",
        a.first_name == b.first_name
            && a.middle_initial == b.middle_initial
            && a.last_name == b.last_name,
    );
    diff("birthDate", a.birth_date == b.birth_date);
    diff("sex", a.sex == b.sex);
    diff(
        "address",
        a.address_line1 == b.address_line1
            && a.address_line2 == b.address_line2
            && a.city == b.city
            && a.state == b.state
            && a.zip == b.zip,
    );
    diff("phone", a.phone == b.phone);
    diff("email", a.email == b.email);
    diff(
        "preferredContact",
        a.preferred_contact == b.preferred_contact,
    );
    diff("prescriber", a.prescriber_user_id == b.prescriber_user_id);
    out
}
