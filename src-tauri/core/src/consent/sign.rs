//! A consent for one patient: prepared (the current template version rendered with the
//! patient's details), read on screen, signed by the patient (or a representative) and by the
//! witnessing staff member, who confirms with their passphrase. The flattened PDF is rendered
//! by the caller's `render` (the core cannot depend on `ketachart-pdf`) and stored in the
//! document store in the same transaction as the consent row; nothing is stored on any error.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::requirement;
use super::signature::{self, Signature, SignatureInput};
use super::template::{self, ConsentTemplate, Values};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::document::{self, DocumentKind, DocumentLink, GeneratedDocument, LinkTarget};
use crate::error::{CoreError, CoreResult};
use crate::patient::{self, Patient, PatientId};
use crate::record::RecordBody;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::treatment::{CourseStatus, Modality};
use crate::user::manage::confirm_passphrase;
use crate::validation::ValidationErrors;

pub(crate) fn display_date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub(crate) fn patient_name(p: &Patient) -> String {
    format!("{} {}", p.given_name.trim(), p.family_name.trim())
}

/// The header line PDFs print on every page: "Family, Given · DOB 03-Mar-1980 · MRN K-000123".
pub(crate) fn patient_line(p: &Patient) -> String {
    format!(
        "{}, {} · DOB {} · MRN {}",
        p.family_name.trim(),
        p.given_name.trim(),
        display_date(p.birth_date),
        p.mrn
    )
}

/// A consent ready to read with the patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDraft {
    pub template_key: String,
    pub template_version: i64,
    pub title: String,
    pub text: String,
    /// Shown in the app while the template is the bundled sample; never printed.
    pub review_note: Option<&'static str>,
}

fn values(session: &Session, p: &Patient, on: NaiveDate) -> Values {
    Values {
        patient_name: patient_name(p),
        patient_dob: display_date(p.birth_date),
        clinic_name: session.clinic_name().to_string(),
        date: display_date(on),
        provider_name: session.user().display_name.clone(),
    }
}

fn template_or_missing(conn: &Connection, key: &str) -> CoreResult<ConsentTemplate> {
    template::current(conn, key)?
        .ok_or_else(|| ValidationErrors::single("templateKey", "Choose a consent form").into())
}

/// The current version of `template_key` rendered for the patient, today.
pub fn prepare(session: &Session, patient_id: i64, template_key: &str) -> CoreResult<ConsentDraft> {
    session.require(Permission::ManageDocuments)?;
    let p = patient::load(session.conn(), PatientId(patient_id))?;
    let t = template_or_missing(session.conn(), template_key)?;
    Ok(ConsentDraft {
        text: template::render(&t.body, &values(session, &p, today())),
        review_note: t.review_note(),
        template_key: t.key,
        template_version: t.version,
        title: t.title,
    })
}

/// What the signing screen sends.
#[derive(Debug, Clone, Default)]
pub struct ConsentSignInput {
    pub patient_id: i64,
    pub template_key: String,
    /// The version the patient read; signing is refused if it is no longer the current one.
    pub template_version: i64,
    /// Empty: the patient signs; otherwise a representative's name.
    pub patient_signer_name: String,
    pub patient_signature: SignatureInput,
    pub witness_signature: SignatureInput,
    /// The witnessing staff member's (the signed-in user's) passphrase.
    pub password: String,
    /// A course the consent is for (linked in the document store), if any.
    pub course_id: Option<i64>,
}

/// Everything the flattened consent PDF shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentDocument {
    pub clinic_name: String,
    pub title: String,
    pub template_key: String,
    pub template_version: i64,
    /// "Family, Given · DOB … · MRN …".
    pub patient_line: String,
    pub patient_name: String,
    pub patient_dob: String,
    pub mrn: String,
    pub text: String,
    /// Display date of signing, e.g. 03-Mar-2025.
    pub signed_on: String,
    /// Local date and time of signing, e.g. 03-Mar-2025 14:02.
    pub signed_at: String,
    pub patient_signer_name: String,
    /// The signer is a representative, not the patient.
    pub representative: bool,
    pub patient_signature: Signature,
    pub witness_name: String,
    pub witness_signature: Signature,
}

/// A stored, signed consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedConsent {
    pub id: i64,
    pub patient_id: i64,
    pub template_key: String,
    pub template_version: i64,
    pub title: String,
    pub document_id: i64,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    pub patient_signer_name: String,
    pub witness_user: String,
    pub witness_name: String,
    /// UTC timestamp.
    pub signed_at: String,
}

/// The rendered PDF or the renderer's complaint (never shown: it is a bug).
pub(crate) fn rendered(result: Result<Vec<u8>, String>, what: &'static str) -> CoreResult<Vec<u8>> {
    result.map_err(|_| {
        tracing::warn!(document = what, "a signed form could not be rendered");
        CoreError::Crypto("the signed form's PDF could not be produced")
    })
}

/// Checks a course id for the patient (`field` names it in errors).
pub(crate) fn check_course(
    conn: &Connection,
    patient_id: i64,
    course_id: i64,
) -> CoreResult<crate::treatment::Course> {
    crate::treatment::consent_gate::course(conn, patient_id, course_id)
}

/// Signs a consent today: checks, renders the PDF through `render`, stores document and
/// consent in one transaction, audits.
pub fn sign(
    session: &Session,
    input: &ConsentSignInput,
    render: impl FnOnce(&ConsentDocument) -> Result<Vec<u8>, String>,
) -> CoreResult<SignedConsent> {
    sign_as_of(session, input, today(), render)
}

/// As [`sign`], with the signing date `on` (today or earlier): for seeding history — the demo
/// clinic and test fixtures whose sessions lie in the past. The app's commands always sign
/// today; a backdated signing is audited with its date. The stored `signed_at` is the real
/// time it was recorded.
pub fn sign_as_of(
    session: &Session,
    input: &ConsentSignInput,
    on: NaiveDate,
    render: impl FnOnce(&ConsentDocument) -> Result<Vec<u8>, String>,
) -> CoreResult<SignedConsent> {
    session.require(Permission::ManageDocuments)?;
    if on > today() {
        return Err(ValidationErrors::single(
            "signedOn",
            "A consent cannot be signed in the future",
        )
        .into());
    }
    let conn = session.conn();
    let p = patient::load(conn, PatientId(input.patient_id))?;
    let t = template_or_missing(conn, &input.template_key)?;
    if let Some(c) = input.course_id {
        check_course(conn, input.patient_id, c)?;
    }
    if t.version != input.template_version {
        return Err(CoreError::Conflict(format!(
            "The clinic changed this consent form (now version {}) since it was opened. Read the current text with the patient, then sign",
            t.version
        )));
    }
    let mut e = ValidationErrors::new();
    let typed = input.patient_signer_name.trim();
    if typed.chars().count() > 200 {
        e.add("patientSignerName", "At most 200 characters");
    }
    let signer = if typed.is_empty() {
        patient_name(&p)
    } else {
        typed.to_string()
    };
    let patient_sig = signature::check(
        &mut e,
        "patientSignature",
        "The patient has not signed yet",
        &input.patient_signature,
    );
    let witness_sig = signature::check(
        &mut e,
        "witnessSignature",
        "The witness has not signed yet",
        &input.witness_signature,
    );
    if input.password.is_empty() {
        e.add("password", "Enter your passphrase to witness the signature");
    }
    e.into_result()?;
    let (Some(patient_sig), Some(witness_sig)) = (patient_sig, witness_sig) else {
        return Err(CoreError::Crypto("a checked signature went missing"));
    };
    confirm_passphrase(session, "password", &input.password)?;

    let now = chrono::Local::now();
    let at = if on == now.date_naive() {
        now.format("%d-%b-%Y %H:%M").to_string()
    } else {
        display_date(on)
    };
    let doc = ConsentDocument {
        clinic_name: session.clinic_name().to_string(),
        title: t.title.clone(),
        template_key: t.key.clone(),
        template_version: t.version,
        patient_line: patient_line(&p),
        patient_name: patient_name(&p),
        patient_dob: display_date(p.birth_date),
        mrn: p.mrn.clone(),
        text: template::render(&t.body, &values(session, &p, on)),
        signed_on: display_date(on),
        signed_at: at,
        representative: signer != patient_name(&p),
        patient_signer_name: signer.clone(),
        patient_signature: patient_sig,
        witness_name: session.user().display_name.clone(),
        witness_signature: witness_sig,
    };
    let bytes = rendered(render(&doc), "consent")?;

    let actor = session.actor();
    let iso = on.format("%Y-%m-%d").to_string();
    let links: Vec<DocumentLink> = input
        .course_id
        .map(|c| DocumentLink {
            target: LinkTarget::Course,
            target_id: c,
            page: None,
        })
        .into_iter()
        .collect();
    let title = format!("{} (version {})", t.title, t.version);
    let tx = conn.unchecked_transaction()?;
    let document_id = document::store_generated(
        &tx,
        session,
        GeneratedDocument {
            patient_id: input.patient_id,
            kind: DocumentKind::Consent,
            title: &title,
            document_date: &iso,
            source: "Signed in KetaChart",
            bytes: &bytes,
            links: &links,
        },
    )?;
    let signed_at = now_utc();
    tx.execute(
        "INSERT INTO consent (patient_id, template_key, template_version, document_id, signed_on, \
         patient_signer_name, witness_user, witness_name, signed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            input.patient_id,
            t.key,
            t.version,
            document_id,
            iso,
            signer,
            actor.username,
            doc.witness_name,
            signed_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ConsentSign)
            .patient(input.patient_id, &p.mrn)
            .record("consent", id.to_string())
            .detail(if on == today() {
                format!("{} v{}; document {document_id}", t.key, t.version)
            } else {
                format!(
                    "{} v{}; document {document_id}; signed on {iso} (recorded later)",
                    t.key, t.version
                )
            }),
    )?;
    tx.commit()?;
    Ok(SignedConsent {
        id,
        patient_id: input.patient_id,
        template_key: t.key,
        template_version: t.version,
        title: t.title,
        document_id,
        signed_on: iso,
        patient_signer_name: signer,
        witness_user: actor.username,
        witness_name: doc.witness_name,
        signed_at,
    })
}

fn signed(conn: &Connection, patient_id: i64) -> CoreResult<Vec<SignedConsent>> {
    let mut st = conn.prepare(
        "SELECT c.id, c.patient_id, c.template_key, c.template_version, t.title, c.document_id, \
         c.signed_on, c.patient_signer_name, c.witness_user, c.witness_name, c.signed_at \
         FROM consent c JOIN consent_template t ON t.key = c.template_key AND t.version = c.template_version \
         WHERE c.patient_id = ?1 ORDER BY c.signed_on DESC, c.id DESC",
    )?;
    let rows = st.query_map([patient_id], |r| {
        Ok(SignedConsent {
            id: r.get(0)?,
            patient_id: r.get(1)?,
            template_key: r.get(2)?,
            template_version: r.get(3)?,
            title: r.get(4)?,
            document_id: r.get(5)?,
            signed_on: r.get(6)?,
            patient_signer_name: r.get(7)?,
            witness_user: r.get(8)?,
            witness_name: r.get(9)?,
            signed_at: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The template keys the patient has signed (any version) on or before `on`.
pub(crate) fn signed_keys_by(
    conn: &Connection,
    patient_id: i64,
    on: NaiveDate,
) -> CoreResult<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT DISTINCT template_key FROM consent WHERE patient_id = ?1 AND signed_on <= ?2",
    )?;
    let rows = st.query_map(
        params![patient_id, on.format("%Y-%m-%d").to_string()],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The titles of the consents `modality` requires that the patient had not signed by `on`.
pub(crate) fn missing_titles(
    conn: &Connection,
    patient_id: i64,
    modality: Modality,
    on: NaiveDate,
) -> CoreResult<Vec<(String, String)>> {
    let required = requirement::for_modality(conn, modality)?;
    if required.is_empty() {
        return Ok(Vec::new());
    }
    let have = signed_keys_by(conn, patient_id, on)?;
    let mut out = Vec::new();
    for key in required {
        if have.contains(&key) {
            continue;
        }
        let title = template::current(conn, &key)?.map_or_else(|| key.clone(), |t| t.title);
        out.push((key, title));
    }
    Ok(out)
}

/// A consent a running course still needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingConsent {
    pub course_id: i64,
    pub course_title: String,
    pub template_key: String,
    pub title: String,
}

/// A patient's signed consents and those their active or paused courses still need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentOverview {
    pub signed: Vec<SignedConsent>,
    pub missing: Vec<MissingConsent>,
}

/// The patient's consents (anyone who reads the clinical record).
pub fn list(session: &Session, patient_id: i64) -> CoreResult<ConsentOverview> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    patient::load(conn, PatientId(patient_id))?;
    template::ensure_seeded(conn)?;
    let signed_all = signed(conn, patient_id)?;
    let mut missing = Vec::new();
    // Any consent signed so far counts (the gate itself compares with the session date).
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    for (course_id, course) in courses(conn, patient_id)? {
        if !matches!(course.status, CourseStatus::Active | CourseStatus::Paused) {
            continue;
        }
        let Some(m) = course.modality else { continue };
        let title = format!(
            "{} course from {}",
            m.label(),
            NaiveDate::parse_from_str(&course.start_date, "%Y-%m-%d")
                .map_or_else(|_| course.start_date.clone(), display_date)
        );
        for (key, t) in missing_titles(conn, patient_id, m, far)? {
            missing.push(MissingConsent {
                course_id,
                course_title: title.clone(),
                template_key: key,
                title: t,
            });
        }
    }
    Ok(ConsentOverview {
        signed: signed_all,
        missing,
    })
}

/// The patient's courses with their ids.
pub(crate) fn courses(
    conn: &Connection,
    patient_id: i64,
) -> CoreResult<Vec<(i64, crate::treatment::Course)>> {
    let mut st = conn.prepare(
        "SELECT id, body FROM clinical_record WHERE patient_id = ?1 AND kind = 'course' ORDER BY sort_date, id",
    )?;
    let rows = st.query_map([patient_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, body) = row?;
        if let Ok(RecordBody::Course(c)) = serde_json::from_str::<RecordBody>(&body) {
            out.push((id, c));
        }
    }
    Ok(out)
}
