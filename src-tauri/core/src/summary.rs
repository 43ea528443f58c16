//! What a patient summary shows, gathered in one read: demographics, coverage with payer names,
//! diagnoses with titles, episodes, the trials with their durations, psychotherapy, other
//! treatments, screenings and evaluations with signatures. Rendering is `ketachart-pdf`'s job.

use chrono::NaiveDate;

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::CoreResult;
use crate::patient::{self, Patient, PatientId};
use crate::payer;
use crate::record::coverage::Coverage;
use crate::record::{self, Record, RecordBody};
use crate::reference::icd10;
use crate::session::Session;
use crate::trial::{self, Trial};

pub struct CoverageLine {
    pub coverage: Coverage,
    pub payer_name: String,
    /// The payer's prior-authorization phone and fax from the clinic's payer list, used where
    /// the coverage does not name its own.
    pub payer_pa_phone: Option<String>,
    pub payer_pa_fax: Option<String>,
}

pub struct DiagnosisLine {
    pub record: Record,
    pub title: String,
    pub pa_note: Option<String>,
}

pub struct SummaryData {
    pub clinic_name: String,
    pub patient: Patient,
    pub generated_by: String,
    pub today: NaiveDate,
    pub coverage: Vec<CoverageLine>,
    pub diagnoses: Vec<DiagnosisLine>,
    pub episodes: Vec<Record>,
    pub trials: Vec<Trial>,
    pub psychotherapy: Vec<Record>,
    pub other_treatments: Vec<Record>,
    pub screenings: Vec<Record>,
    pub evaluations: Vec<Record>,
    /// Rating-scale trends, one per instrument the patient has a total on.
    pub trends: Vec<crate::scores::Trend>,
    /// Safety alerts, open and acknowledged, newest first.
    pub alerts: Vec<crate::scores::SafetyAlert>,
    /// Dates of the patient's treatment sessions (`YYYY-MM-DD`), marked on the score charts.
    pub session_dates: Vec<String>,
    /// Stored documents linked to the patient's records (trial evidence cites them).
    pub documents: Vec<crate::document::DocumentRef>,
}

/// Reads everything the summary shows (clinical read permission).
pub fn gather(session: &Session, patient_id: i64, today: NaiveDate) -> CoreResult<SummaryData> {
    session.require(Permission::ReadClinical)?;
    let p = patient::load(session.conn(), PatientId(patient_id))?;
    let trials = trial::list(session, patient_id, today)?;
    let reference = icd10::bundled()?;
    let mut d = SummaryData {
        clinic_name: session.clinic_name().to_string(),
        patient: p,
        generated_by: session.user().display_name.clone(),
        today,
        coverage: Vec::new(),
        diagnoses: Vec::new(),
        episodes: Vec::new(),
        trials,
        psychotherapy: Vec::new(),
        other_treatments: Vec::new(),
        screenings: Vec::new(),
        evaluations: Vec::new(),
        trends: crate::scores::trends(session, patient_id)?,
        alerts: crate::scores::alert::for_patient(session, patient_id)?,
        session_dates: Vec::new(),
        documents: crate::document::linked_documents(session.conn(), patient_id)?,
    };
    for r in record::list(session, patient_id, None)? {
        match &r.body {
            RecordBody::Coverage(c) => {
                let p = payer::get(session.conn(), c.payer_id)?;
                d.coverage.push(CoverageLine {
                    coverage: c.clone(),
                    payer_name: p.name,
                    payer_pa_phone: p.pa_phone,
                    payer_pa_fax: p.pa_fax,
                });
            }
            RecordBody::Diagnosis(x) => {
                let code = reference.get(&x.code);
                d.diagnoses.push(DiagnosisLine {
                    title: code.map(|c| c.title.clone()).unwrap_or_default(),
                    pa_note: code.and_then(|c| c.pa_note.clone()),
                    record: r,
                });
            }
            RecordBody::Episode(_) => d.episodes.push(r),
            RecordBody::Psychotherapy(_) => d.psychotherapy.push(r),
            RecordBody::OtherTreatment(_) => d.other_treatments.push(r),
            RecordBody::Screening(_) => d.screenings.push(r),
            RecordBody::Evaluation(_) => d.evaluations.push(r),
            // Courses and sessions have their own documents (session summary, REMS form).
            RecordBody::Session(s) => d.session_dates.push(s.date.clone()),
            RecordBody::Course(_) => {}
        }
    }
    Ok(d)
}

/// Audits that a summary was produced (after it was written).
pub fn record_export(session: &Session, patient_id: i64, mrn: &str) -> CoreResult<()> {
    let actor = session.actor();
    audit::append(
        session.conn(),
        &actor,
        &NewEvent::new(AuditAction::PatientSummary).patient(patient_id, mrn),
    )?;
    Ok(())
}
