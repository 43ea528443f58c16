//! The first demo patient's chart: two failed antidepressant trials, coverage, a diagnosis and
//! its episode, psychotherapy, ECT considered, and a signed Spravato screening, so every section
//! of the chart, the timeline and the summary PDF can be seen filled in. All of it fictional.

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::CoreResult;
use crate::patient;
use crate::payer::{self, PayerInput, PayerType};
use crate::record::coverage::{Benefit, Coverage, Priority, Relationship};
use crate::record::diagnosis::{Diagnosis, DiagnosisStatus};
use crate::record::episode::{ConfirmedBy, Course, Episode, Severity};
use crate::record::other_treatment::{OtherTreatment, Treatment, TreatmentStatus};
use crate::record::psychotherapy::{Modality, Psychotherapy, TherapyOutcome};
use crate::record::screening::{
    Answer, BloodPressure, Screening, ScreeningAnswer, ScreeningModality,
};
use crate::record::{self, RecordBody};
use crate::reference::screening as screening_ref;
use crate::trial::{self, DoseInput, TrialInput};
use crate::Session;

use super::{DEMO_DISPLAY_NAME, DEMO_PASSPHRASE};

pub(super) fn seed(session: &mut Session, today: NaiveDate) -> CoreResult<()> {
    let Some(first) = patient::list(session, 0, 1)?.into_iter().next() else {
        return Ok(());
    };
    let patient_id = first.id.0;
    trials(session, patient_id, today)?;
    let payer_id = payers(session)?;
    chart(session, patient_id, payer_id, today)?;
    scores(session, patient_id, today)
}

/// Weekly PHQ-9 (self-report) and MADRS (clinician) scores over six weeks, improving to a
/// response, so the trends chart and table have something to show. No safety item is endorsed.
fn scores(session: &mut Session, patient_id: i64, today: NaiveDate) -> CoreResult<()> {
    use crate::scores::{self, Mode, ScoreInput};
    let now = today.and_hms_opt(0, 0, 0).unwrap_or_default();
    let phq = [20, 18, 15, 12, 10, 8];
    let madrs = [32, 30, 26, 22, 18, 15];
    for (week, (p, m)) in phq.iter().zip(madrs).enumerate() {
        let day = today - Duration::days(7 * (6 - week as i64));
        // Spread the PHQ-9 total over items 1–8 (0–3 each); item 9 stays 0.
        let answers = (1..=9)
            .map(|i| {
                let v = if i == 9 { 0 } else { ((p - (i - 1)) + 7) / 8 };
                (i.to_string(), v.clamp(0, 3))
            })
            .chain([("10".to_string(), 1)])
            .collect();
        scores::record(
            session,
            patient_id,
            &ScoreInput {
                instrument: "phq9".into(),
                administered_at: format!("{}T09:00", day.format("%Y-%m-%d")),
                mode: Some(Mode::SelfReport),
                answers,
                ..Default::default()
            },
            now,
        )?;
        scores::record(
            session,
            patient_id,
            &ScoreInput {
                instrument: "madrs".into(),
                administered_at: format!("{}T09:30", day.format("%Y-%m-%d")),
                mode: Some(Mode::Clinician),
                rater: Some(DEMO_DISPLAY_NAME.into()),
                total: Some(m),
                ..Default::default()
            },
            now,
        )?;
    }
    Ok(())
}

/// The clinic's payer list: fictional plans, one of them inactive.
fn payers(session: &mut Session) -> CoreResult<i64> {
    let primary = payer::create(
        session,
        &PayerInput {
            name: "Harbor Health Plan (demo)".into(),
            payer_type: Some(PayerType::Commercial),
            pa_phone: Some("555 0100 2000".into()),
            pa_fax: Some("555 0100 2001".into()),
            active: true,
        },
    )?;
    payer::create(
        session,
        &PayerInput {
            name: "Lakeview Medicaid (demo)".into(),
            payer_type: Some(PayerType::MedicaidManaged),
            pa_phone: Some("555 0100 3000".into()),
            pa_fax: None,
            active: true,
        },
    )?;
    Ok(primary.id)
}

fn chart(
    session: &mut Session,
    patient_id: i64,
    payer_id: i64,
    today: NaiveDate,
) -> CoreResult<()> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let create =
        |session: &mut Session, body: RecordBody| record::create(session, patient_id, &body, today);
    create(
        session,
        RecordBody::Coverage(Coverage {
            payer_id,
            plan_name: "Choice PPO".into(),
            member_id: "HHP-0042-DEMO".into(),
            group_number: Some("G-1187".into()),
            relationship: Some(Relationship::Self_),
            subscriber_name: None,
            benefit: Some(Benefit::Both),
            priority: Some(Priority::Primary),
            effective_from: format!("{}-01-01", today.year()),
            effective_to: None,
            pa_phone: None,
            pa_fax: None,
        }),
    )?;
    create(
        session,
        RecordBody::Diagnosis(Diagnosis {
            code: "F33.2".into(),
            onset: Some("2024-09".into()),
            status: Some(DiagnosisStatus::Active),
            primary: true,
            note: None,
        }),
    )?;
    create(
        session,
        RecordBody::Episode(Episode {
            onset: "2024-09".into(),
            end: None,
            current: true,
            course: Some(Course::Recurrent),
            severity: Some(Severity::Severe),
            psychotic_features: Some(false),
            confirmed_by: Some(ConfirmedBy::StructuredInterview),
            instrument: Some("SCID-5-CV".into()),
            confirming_clinician: DEMO_DISPLAY_NAME.into(),
            confirmed_on: Some(day(today - Duration::days(30))),
            note: None,
        }),
    )?;
    create(
        session,
        RecordBody::Psychotherapy(Psychotherapy {
            modality: Some(Modality::Cbt),
            modality_other: None,
            start: "2025-04".into(),
            end: Some("2025-08".into()),
            ongoing: false,
            sessions: Some("14".into()),
            therapist: Some("Sam Therapist, LCSW (demo)".into()),
            outcome: Some(TherapyOutcome::NoResponse),
            current_episode: true,
            source_note: None,
        }),
    )?;
    create(
        session,
        RecordBody::OtherTreatment(OtherTreatment {
            treatment: Some(Treatment::Ect),
            status: Some(TreatmentStatus::Declined),
            reason: Some("Patient declined after discussion of memory effects".into()),
            start: None,
            end: None,
            sessions: None,
            response: None,
            current_episode: true,
            note: None,
        }),
    )?;
    let screening = create(session, RecordBody::Screening(spravato_screening(today)?))?;
    record::sign(session, screening.id, screening.version, DEMO_PASSPHRASE)?;
    Ok(())
}

/// A complete Spravato screening dated yesterday: everything answered no except a nightly
/// benzodiazepine, which the chart flags as a concomitant sedating medication.
fn spravato_screening(today: NaiveDate) -> CoreResult<Screening> {
    let on = (today - Duration::days(1)).format("%Y-%m-%d").to_string();
    let reference = screening_ref::bundled()?;
    let answers = reference
        .items("spravato")
        .iter()
        .map(|it| {
            let yes = it.id == "med_benzodiazepines";
            ScreeningAnswer {
                item: it.id.clone(),
                answer: Some(if yes { Answer::Yes } else { Answer::No }),
                detail: yes.then(|| "Lorazepam 0.5 mg at night".to_string()),
            }
        })
        .collect();
    Ok(Screening {
        modality: Some(ScreeningModality::Spravato),
        date: on.clone(),
        answers,
        blood_pressure: vec![BloodPressure {
            date: on.clone(),
            systolic: "128".into(),
            diastolic: "82".into(),
        }],
        pdmp_checked_on: Some(on),
        pdmp_result: Some("No controlled substances other than lorazepam".into()),
        no_known_allergies: true,
        allergies: None,
        current_medications: Some("Lorazepam 0.5 mg at night".into()),
        note: None,
    })
}

/// Two failed antidepressant trials for the first demo patient, so the treatment history and
/// its flags can be seen: one complete, one from outside records with partial dates.
fn trials(session: &mut Session, patient_id: i64, today: NaiveDate) -> CoreResult<()> {
    let dose = |from: &str, daily: &str| DoseInput {
        from: from.into(),
        daily: daily.into(),
    };
    trial::create(
        session,
        patient_id,
        &TrialInput {
            drug: "escitalopram".into(),
            role: "monotherapy".into(),
            start_date: "2023".into(),
            stop_date: "2023-09".into(),
            doses: vec![dose("2023", "10"), dose("2023-05", "20")],
            outcome: "partial_response".into(),
            source_note: "Outside records, previous psychiatrist (fictional)".into(),
            ..Default::default()
        },
        today,
    )?;
    trial::create(
        session,
        patient_id,
        &TrialInput {
            drug: "Cymbalta".into(),
            role: "monotherapy".into(),
            start_date: "2025-01-06".into(),
            stop_date: "2025-03-31".into(),
            doses: vec![dose("2025-01-06", "30"), dose("2025-01-20", "60")],
            adherence_percent: "90".into(),
            adherence_source: "pharmacy_fills".into(),
            outcome: "no_response".into(),
            current_episode: true,
            ..Default::default()
        },
        today,
    )?;
    Ok(())
}
