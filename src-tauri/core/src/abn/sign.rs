//! Signing an ABN: the patient's details, the service, why Medicare may not pay, the estimated
//! cost, the option the patient chose and their signature; the staff member giving the notice
//! confirms with their passphrase. Stored as a document of kind ABN linked to the course, in
//! the same transaction as the `abn` row. Signing less than the reference's days before the
//! course start is allowed with a warning.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::{dollars, reference};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::consent::sign::{display_date, patient_line, patient_name, rendered, today};
use crate::consent::signature::{self, Signature, SignatureInput};
use crate::document::{self, DocumentKind, DocumentLink, GeneratedDocument, LinkTarget};
use crate::error::{CoreError, CoreResult};
use crate::pa::request::parse_fee;
use crate::patient::{self, PatientId};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::treatment::consent_gate;
use crate::user::manage::confirm_passphrase;
use crate::validation::ValidationErrors;

const MAX_COST_CENTS: i64 = 10_000_000;

/// What the ABN screen sends.
#[derive(Debug, Clone, Default)]
pub struct AbnSignInput {
    pub patient_id: i64,
    pub course_id: i64,
    pub service: String,
    pub reason: String,
    /// Dollars as typed ("1250", "$1,250.00").
    pub estimated_cost: String,
    /// 1, 2 or 3.
    pub option: Option<u8>,
    pub additional_info: String,
    /// Empty: the patient signs; otherwise a representative's name.
    pub patient_signer_name: String,
    pub patient_signature: SignatureInput,
    /// The staff member's (the signed-in user's) passphrase.
    pub password: String,
}

/// Everything the ABN PDF shows (Form CMS-R-131's boxes).
#[derive(Debug, Clone, PartialEq)]
pub struct AbnDocument {
    pub clinic_name: String,
    /// Box A: the notifier (clinic name, address, phone), one line each.
    pub notifier: Vec<String>,
    pub patient_line: String,
    /// Box B.
    pub patient_name: String,
    /// Box C: the clinic's identification number for the patient (the MRN).
    pub identification_number: String,
    pub notice_text: String,
    /// Box D.
    pub service: String,
    /// Box E.
    pub reason: String,
    /// Box F, e.g. `$1,250.00`.
    pub estimated_cost: String,
    /// Box G: the options in order, and the one chosen.
    pub options: Vec<(u8, String)>,
    pub option: u8,
    /// Box H.
    pub additional_info: String,
    pub signature_text: String,
    /// Box I.
    pub patient_signer_name: String,
    pub representative: bool,
    pub patient_signature: Signature,
    /// Box J, e.g. 03-Mar-2025.
    pub signed_on: String,
    pub signed_at: String,
    pub witness_name: String,
    /// "Based on Form CMS-R-131; compare with the current CMS form before use."
    pub form_note: String,
}

/// A stored, signed ABN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAbn {
    pub id: i64,
    pub patient_id: i64,
    pub course_id: i64,
    pub document_id: i64,
    pub service: String,
    pub reason: String,
    pub estimated_cost_cents: i64,
    pub option: u8,
    pub additional_info: Option<String>,
    pub patient_signer_name: String,
    pub witness_user: String,
    pub witness_name: String,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    pub signed_at: String,
    /// E.g. signed less than a day before the course started.
    pub warnings: Vec<String>,
}

fn text(e: &mut ValidationErrors, field: &str, what: &str, value: &str, max: usize) -> String {
    let t = value.trim();
    if t.chars().count() > max {
        e.add(field, format!("At most {max} characters"));
    } else if t.is_empty() && !what.is_empty() {
        e.add(field, format!("Enter {what}"));
    }
    t.to_string()
}

fn warnings(course_start: Option<NaiveDate>, signed_on: NaiveDate) -> CoreResult<Vec<String>> {
    let r = reference()?;
    let days = i64::from(r.minimum_days_before_start);
    let Some(start) = course_start else {
        return Ok(Vec::new());
    };
    if (start - signed_on).num_days() >= days {
        return Ok(Vec::new());
    }
    Ok(vec![format!(
        "Signed less than {days} day{} before the course start ({}): an ABN should be given before the service, early enough for the patient to decide (UNVERIFIED rule, check with your Medicare contractor)",
        if days == 1 { "" } else { "s" },
        display_date(start)
    )])
}

/// Signs an ABN: checks, renders through `render`, stores document and row in one
/// transaction, audits. Returns the stored notice with its warnings.
pub fn sign(
    session: &Session,
    input: &AbnSignInput,
    render: impl FnOnce(&AbnDocument) -> Result<Vec<u8>, String>,
) -> CoreResult<SignedAbn> {
    session.require(Permission::ManageDocuments)?;
    let conn = session.conn();
    let p = patient::load(conn, PatientId(input.patient_id))?;
    let course = consent_gate::course(conn, input.patient_id, input.course_id)?;
    let r = reference()?;
    let mut e = ValidationErrors::new();
    let service = text(
        &mut e,
        "service",
        "the items or services",
        &input.service,
        500,
    );
    let reason = text(
        &mut e,
        "reason",
        "the reason Medicare may not pay",
        &input.reason,
        1_000,
    );
    let additional = text(&mut e, "additionalInfo", "", &input.additional_info, 2_000);
    let cost = match parse_fee(&input.estimated_cost) {
        Ok(0) => {
            e.add("estimatedCost", "Enter the estimated cost (more than 0)");
            0
        }
        Ok(c) if c > MAX_COST_CENTS => {
            e.add(
                "estimatedCost",
                "The estimated cost must be at most 100,000.00",
            );
            0
        }
        Ok(c) => c,
        Err(m) => {
            e.add("estimatedCost", m.replace("fee", "estimated cost"));
            0
        }
    };
    let option = match input.option {
        Some(o @ 1..=3) => o,
        _ => {
            e.add("option", "The patient must choose option 1, 2 or 3");
            0
        }
    };
    let typed = text(
        &mut e,
        "patientSignerName",
        "",
        &input.patient_signer_name,
        200,
    );
    let signer = if typed.is_empty() {
        patient_name(&p)
    } else {
        typed
    };
    let sig = signature::check(
        &mut e,
        "patientSignature",
        "The patient has not signed yet",
        &input.patient_signature,
    );
    if input.password.is_empty() {
        e.add(
            "password",
            "Enter your passphrase to confirm the notice was given",
        );
    }
    e.into_result()?;
    let Some(sig) = sig else {
        return Err(CoreError::Crypto("a checked signature went missing"));
    };
    confirm_passphrase(session, "password", &input.password)?;

    let clinic = crate::profile::clinic::load(conn)?;
    let mut notifier = vec![clinic.name.clone()];
    let street: Vec<&str> = [&clinic.address_line1, &clinic.address_line2]
        .into_iter()
        .filter_map(|l| l.as_deref())
        .collect();
    if !street.is_empty() {
        notifier.push(street.join(", "));
    }
    let city: Vec<&str> = [&clinic.city, &clinic.state, &clinic.zip]
        .into_iter()
        .filter_map(|l| l.as_deref())
        .collect();
    if !city.is_empty() {
        notifier.push(city.join(" "));
    }
    if let Some(phone) = &clinic.phone {
        notifier.push(format!("Phone {phone}"));
    }
    let on = today();
    let doc = AbnDocument {
        clinic_name: session.clinic_name().to_string(),
        notifier,
        patient_line: patient_line(&p),
        patient_name: patient_name(&p),
        identification_number: p.mrn.clone(),
        notice_text: r.notice_text.clone(),
        service: service.clone(),
        reason: reason.clone(),
        estimated_cost: dollars(cost),
        options: r.options.clone(),
        option,
        additional_info: additional.clone(),
        signature_text: r.signature_text.clone(),
        representative: signer != patient_name(&p),
        patient_signer_name: signer.clone(),
        patient_signature: sig,
        signed_on: display_date(on),
        signed_at: chrono::Local::now().format("%d-%b-%Y %H:%M").to_string(),
        witness_name: session.user().display_name.clone(),
        form_note: r.form_note.clone(),
    };
    let bytes = rendered(render(&doc), "abn")?;

    let actor = session.actor();
    let iso = on.format("%Y-%m-%d").to_string();
    let links = [DocumentLink {
        target: LinkTarget::Course,
        target_id: input.course_id,
        page: None,
    }];
    let tx = conn.unchecked_transaction()?;
    let document_id = document::store_generated(
        &tx,
        session,
        GeneratedDocument {
            patient_id: input.patient_id,
            kind: DocumentKind::Abn,
            title: "Advance Beneficiary Notice of Noncoverage",
            document_date: &iso,
            source: "Signed in KetaChart",
            bytes: &bytes,
            links: &links,
        },
    )?;
    let signed_at = now_utc();
    let additional = (!additional.is_empty()).then_some(additional);
    tx.execute(
        "INSERT INTO abn (patient_id, course_id, document_id, service, reason, estimated_cost_cents, \
         option, additional_info, patient_signer_name, witness_user, witness_name, signed_on, signed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            input.patient_id,
            input.course_id,
            document_id,
            service,
            reason,
            cost,
            option,
            additional,
            signer,
            actor.username,
            doc.witness_name,
            iso,
            signed_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::AbnSign)
            .patient(input.patient_id, &p.mrn)
            .record("abn", id.to_string())
            .detail(format!(
                "course {}; option {option}; document {document_id}",
                input.course_id
            )),
    )?;
    tx.commit()?;
    Ok(SignedAbn {
        id,
        patient_id: input.patient_id,
        course_id: input.course_id,
        document_id,
        service,
        reason,
        estimated_cost_cents: cost,
        option,
        additional_info: additional,
        patient_signer_name: signer,
        witness_user: actor.username,
        witness_name: doc.witness_name,
        signed_on: iso,
        signed_at,
        warnings: warnings(course.start(), on)?,
    })
}

fn rows(conn: &Connection, patient_id: i64) -> CoreResult<Vec<SignedAbn>> {
    let mut st = conn.prepare(
        "SELECT id, patient_id, course_id, document_id, service, reason, estimated_cost_cents, option, \
         additional_info, patient_signer_name, witness_user, witness_name, signed_on, signed_at \
         FROM abn WHERE patient_id = ?1 ORDER BY signed_on DESC, id DESC",
    )?;
    let rows = st.query_map([patient_id], |r| {
        Ok(SignedAbn {
            id: r.get(0)?,
            patient_id: r.get(1)?,
            course_id: r.get(2)?,
            document_id: r.get(3)?,
            service: r.get(4)?,
            reason: r.get(5)?,
            estimated_cost_cents: r.get(6)?,
            option: r.get(7)?,
            additional_info: r.get(8)?,
            patient_signer_name: r.get(9)?,
            witness_user: r.get(10)?,
            witness_name: r.get(11)?,
            signed_on: r.get(12)?,
            signed_at: r.get(13)?,
            warnings: Vec::new(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A patient's signed ABNs, newest first, each with its warnings (anyone who reads the chart).
pub fn list(session: &Session, patient_id: i64) -> CoreResult<Vec<SignedAbn>> {
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    patient::load(conn, PatientId(patient_id))?;
    let mut out = rows(conn, patient_id)?;
    for a in &mut out {
        let start = consent_gate::course(conn, patient_id, a.course_id)
            .ok()
            .and_then(|c| c.start());
        if let Ok(on) = NaiveDate::parse_from_str(&a.signed_on, "%Y-%m-%d") {
            a.warnings = warnings(start, on)?;
        }
    }
    Ok(out)
}
