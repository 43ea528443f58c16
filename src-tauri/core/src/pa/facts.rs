//! What a payer's criteria are checked against, read from the chart in one go: the patient,
//! trials with their durations, diagnoses, episodes, psychotherapy, screenings, rating scores,
//! the ordering provider and the clinic's REMS setting, and the request's attestations.

use chrono::NaiveDate;

use super::attestation::Attestation;
use crate::access::Permission;
use crate::error::CoreResult;
use crate::patient::{self, Patient, PatientId};
use crate::profile::provider::ProviderProfile;
use crate::record::{self, Record, RecordBody};
use crate::scores::Administration;
use crate::session::Session;
use crate::trial::{self, Trial};

#[derive(Debug, Clone)]
pub struct PaFacts {
    pub patient: Patient,
    pub trials: Vec<Trial>,
    /// Diagnoses, episodes, psychotherapy, screenings, evaluations and other treatments.
    pub records: Vec<Record>,
    pub scores: Vec<Administration>,
    /// `None` when no ordering provider was chosen.
    pub ordering_provider: Option<OrderingProvider>,
    pub clinic_rems_setting_id: Option<String>,
    pub attestations: Vec<Attestation>,
}

#[derive(Debug, Clone)]
pub struct OrderingProvider {
    pub profile: ProviderProfile,
    /// Why this provider: chosen on the request, or "signed the evaluation of …".
    pub chosen_because: String,
}

impl PaFacts {
    pub fn records<'a>(&'a self) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter()
    }
}

/// Reads the chart (clinical read permission). `ordering_provider` is a user id; when `None`,
/// the provider who signed the latest evaluation is assumed, and said so.
pub fn gather(
    session: &Session,
    patient_id: i64,
    ordering_provider: Option<i64>,
    attestations: Vec<Attestation>,
    today: NaiveDate,
) -> CoreResult<PaFacts> {
    session.require(Permission::ReadClinical)?;
    let patient = patient::load(session.conn(), PatientId(patient_id))?;
    let trials = trial::list(session, patient_id, today)?;
    let records: Vec<Record> = record::list(session, patient_id, None)?
        .into_iter()
        .filter(|r| !matches!(r.body, RecordBody::Session(_) | RecordBody::Course(_)))
        .collect();
    let scores = crate::scores::list(session, patient_id, None)?;
    let conn = session.conn();
    let ordering = match ordering_provider {
        Some(id) => crate::profile::provider::load_by_id(conn, id)?.map(|p| OrderingProvider {
            profile: p,
            chosen_because: "ordering provider on the request".into(),
        }),
        None => {
            // The psychiatrist who signed (else wrote) the most recent evaluation is the usual
            // orderer; a request names its ordering provider explicitly.
            let latest = records
                .iter()
                .filter(|r| matches!(r.body, RecordBody::Evaluation(_)))
                .max_by(|a, b| {
                    (a.signature.is_some(), record_date(a), a.id).cmp(&(
                        b.signature.is_some(),
                        record_date(b),
                        b.id,
                    ))
                });
            match latest {
                Some(r) => {
                    let (user, verb) = match &r.signature {
                        Some(s) => (s.by.clone(), "signed"),
                        None => (r.created_by.clone(), "wrote"),
                    };
                    crate::profile::provider::load(conn, &user)?.map(|p| OrderingProvider {
                        profile: p,
                        chosen_because: format!(
                            "{verb} the evaluation of {}",
                            record_date(r)
                                .map(|d| super::evaluate::show_partial_pub(&d))
                                .unwrap_or_default()
                        ),
                    })
                }
                None => None,
            }
        }
    };
    let clinic = crate::profile::clinic::load(conn)?;
    Ok(PaFacts {
        patient,
        trials,
        records,
        scores,
        ordering_provider: ordering,
        clinic_rems_setting_id: clinic.rems_setting_id,
        attestations,
    })
}

/// The date a record is about (`YYYY-MM-DD` or partial), for evidence citations.
pub fn record_date(r: &Record) -> Option<String> {
    match &r.body {
        RecordBody::Coverage(c) => Some(c.effective_from.clone()),
        RecordBody::Diagnosis(d) => d.onset.clone(),
        RecordBody::Episode(e) => Some(e.onset.clone()),
        RecordBody::Psychotherapy(p) => Some(p.start.clone()),
        RecordBody::OtherTreatment(o) => o.start.clone(),
        RecordBody::Screening(s) => Some(s.date.clone()),
        RecordBody::Evaluation(e) => Some(e.date.clone()),
        RecordBody::Session(s) => Some(s.date.clone()),
        RecordBody::Course(c) => Some(c.start_date.clone()),
    }
}
