//! The self-pay path's superbill: the services a patient received and paid for, with codes,
//! units, the clinic's fees and the diagnosis, so the patient can claim out-of-network
//! reimbursement. Built from signed sessions only (what was actually delivered and signed).

use chrono::NaiveDate;

use super::service::Service;
use crate::access::Permission;
use crate::error::CoreResult;
use crate::patient::{self, Patient, PatientId};
use crate::profile::clinic::ClinicProfile;
use crate::profile::provider::ProviderProfile;
use crate::record::{self, RecordBody, RecordKind};
use crate::session::Session;

#[derive(Debug, Clone, PartialEq)]
pub struct SuperbillLine {
    pub date: String,
    pub code: String,
    pub description: String,
    pub units: u32,
    pub ndc: Option<String>,
    /// `None` when the clinic's fee schedule has no fee for the code.
    pub fee_cents: Option<i64>,
}

impl SuperbillLine {
    pub fn total_cents(&self) -> Option<i64> {
        self.fee_cents.map(|f| f * i64::from(self.units))
    }
}

#[derive(Debug, Clone)]
pub struct SuperbillData {
    pub clinic: ClinicProfile,
    pub patient: Patient,
    pub service: Service,
    pub provider: Option<ProviderProfile>,
    pub diagnoses: Vec<(String, String)>,
    pub lines: Vec<SuperbillLine>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated_by: String,
    /// Codes billed without a fee on the schedule (the clinic should add them).
    pub missing_fees: Vec<String>,
}

impl SuperbillData {
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .filter_map(SuperbillLine::total_cents)
            .sum()
    }
}

/// The signed sessions of the service between two dates, priced from the fee schedule.
pub fn gather(
    session: &Session,
    patient_id: i64,
    service: Service,
    from: NaiveDate,
    to: NaiveDate,
) -> CoreResult<SuperbillData> {
    session.require(Permission::ManageAuthorizations)?;
    session.require(Permission::ReadClinical)?;
    let conn = session.conn();
    let patient = patient::load(conn, PatientId(patient_id))?;
    let fees: Vec<(String, String, i64)> = super::request::list_fees(session)?
        .into_iter()
        .map(|f| (f.code, f.description, f.fee_cents))
        .collect();
    let reference = crate::reference::icd10::bundled()?;
    let courses: Vec<(i64, bool)> = record::list(session, patient_id, Some(RecordKind::Course))?
        .into_iter()
        .filter_map(|r| match &r.body {
            RecordBody::Course(c) => {
                Some((r.id, c.modality.is_some_and(|m| service.delivered_by(m))))
            }
            _ => None,
        })
        .collect();
    let mut lines = Vec::new();
    let mut provider_user: Option<String> = None;
    for r in record::list(session, patient_id, Some(RecordKind::Session))? {
        let RecordBody::Session(s) = &r.body else {
            continue;
        };
        let Some(sig) = &r.signature else { continue };
        // Reading a session applies its course link (record_course_alias) already.
        let course = s.course_id;
        if !courses.iter().any(|(id, ok)| *id == course && *ok) {
            continue;
        }
        let Ok(d) = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d") else {
            continue;
        };
        if d < from || d > to {
            continue;
        }
        provider_user.get_or_insert_with(|| sig.by.clone());
        for b in &s.billing {
            let fee = fees.iter().find(|f| f.0 == b.code);
            lines.push(SuperbillLine {
                date: s.date.clone(),
                code: b.code.clone(),
                description: fee.map(|f| f.1.clone()).unwrap_or_default(),
                units: b.units,
                ndc: b.ndc.clone(),
                fee_cents: fee.map(|f| f.2),
            });
        }
    }
    let mut missing: Vec<String> = lines
        .iter()
        .filter(|l| l.fee_cents.is_none())
        .map(|l| l.code.clone())
        .collect();
    missing.sort();
    missing.dedup();
    let diagnoses = record::list(session, patient_id, Some(RecordKind::Diagnosis))?
        .into_iter()
        .filter_map(|r| match &r.body {
            RecordBody::Diagnosis(d)
                if d.status != Some(crate::record::diagnosis::DiagnosisStatus::Resolved) =>
            {
                Some((
                    d.code.clone(),
                    reference
                        .get(&d.code)
                        .map(|c| c.title.clone())
                        .unwrap_or_default(),
                ))
            }
            _ => None,
        })
        .collect();
    let provider = match provider_user {
        Some(u) => crate::profile::provider::load(conn, &u)?,
        None => None,
    };
    Ok(SuperbillData {
        clinic: crate::profile::clinic::load(conn)?,
        patient,
        service,
        provider,
        diagnoses,
        lines,
        from,
        to,
        generated_by: session.user().display_name.clone(),
        missing_fees: missing,
    })
}

/// Audits that a superbill was written.
pub fn record_export(session: &Session, data: &SuperbillData) -> CoreResult<()> {
    crate::audit::append(
        session.conn(),
        &session.actor(),
        &crate::audit::NewEvent::new(crate::audit::AuditAction::PaDocument)
            .patient(data.patient.id.0, &data.patient.mrn)
            .detail(format!("superbill, {}", data.service.as_str())),
    )?;
    Ok(())
}
