//! Everything the session PDFs (REMS Patient Monitoring Form, session summary) show, read in
//! one go: clinic and monitoring-provider profiles, the patient, the course, the signed
//! session with its computed facts, and whether its REMS form was submitted.

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::patient::{self, Patient, PatientId};
use crate::profile::{self, ClinicProfile, ProviderProfile};
use crate::record::{self, Record, RecordBody};
use crate::session::Session;

use super::course::Course;
use super::reference::{self, TreatmentReference};
use super::rems::{self, Submission};
use super::session::TreatmentSession;
use super::validate::SessionFacts;
use super::{context, local_now};

#[derive(Debug, Clone)]
pub struct SessionDocument {
    pub clinic: ClinicProfile,
    pub patient: Patient,
    pub course: Course,
    pub record: Record,
    pub session: TreatmentSession,
    pub facts: SessionFacts,
    /// The provider who signed (the REMS form's monitoring HCP).
    pub signer: Option<ProviderProfile>,
    pub submission: Option<Submission>,
    pub reference: &'static TreatmentReference,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionDocumentKind {
    RemsForm,
    Summary,
}

pub fn gather(
    session: &Session,
    record_id: i64,
    kind: SessionDocumentKind,
) -> CoreResult<SessionDocument> {
    session.require(Permission::ReadClinical)?;
    let rec = record::get(session, record_id)?;
    let RecordBody::Session(s) = rec.body.clone() else {
        return Err(CoreError::NotFound {
            what: "The session",
        });
    };
    if kind == SessionDocumentKind::RemsForm {
        if s.spravato.is_none() {
            return Err(CoreError::Conflict(
                "Only Spravato sessions have a REMS monitoring form".into(),
            ));
        }
        if rec.signature.is_none() {
            return Err(CoreError::Conflict(
                "Sign the session first: the REMS form is produced from the signed session".into(),
            ));
        }
    }
    let conn = session.conn();
    let course = context::course(conn, rec.patient_id, s.course_id)?;
    let facts = super::evaluate_session(conn, rec.patient_id, &s, Some(record_id), local_now())?.0;
    let signer = match &rec.signature {
        Some(sig) => profile::provider::load(conn, &sig.by)?,
        None => None,
    };
    Ok(SessionDocument {
        clinic: profile::clinic::load(conn)?,
        patient: patient::get(session, PatientId(rec.patient_id))?,
        course,
        session: s,
        facts,
        signer,
        submission: rems::submission(conn, record_id)?,
        reference: reference::bundled()?,
        record: rec,
    })
}

/// Audits that a session PDF left the vault.
pub fn record_export(session: &Session, doc: &SessionDocument) -> CoreResult<()> {
    session.require(Permission::ReadClinical)?;
    audit::append(
        session.conn(),
        &session.actor(),
        &NewEvent::new(AuditAction::SessionDocument)
            .patient(doc.record.patient_id, &doc.patient.mrn)
            .record("session", doc.record.id.to_string()),
    )?;
    Ok(())
}
