//! The second demo patient: a chart that meets Cigna's Spravato TRD policy — two failed
//! antidepressants from different classes with dates, doses, adherence and reasons, a severe
//! current episode without psychotic features, a recent PHQ-9, a signed Spravato screening
//! with the PDMP check, and a psychiatrist's signed evaluation — so the prior-authorization
//! gap check shows "ready to submit" and a packet can be produced. All of it fictional. The
//! demo payers are linked to the rule sets that would apply to them.

use chrono::{Duration, NaiveDate};

use crate::error::CoreResult;
use crate::patient;
use crate::record::coverage::{Benefit, Coverage, Priority, Relationship};
use crate::record::diagnosis::{Diagnosis, DiagnosisStatus};
use crate::record::episode::{ConfirmedBy, Course, Episode, Severity};
use crate::record::evaluation::Evaluation;
use crate::record::screening::{Answer, Screening, ScreeningAnswer, ScreeningModality};
use crate::record::{self, RecordBody};
use crate::reference::screening as screening_ref;
use crate::trial::{self, DoseInput, TrialInput};
use crate::Session;

use super::{DEMO_DISPLAY_NAME, DEMO_PASSPHRASE};

pub(super) fn seed(session: &mut Session, today: NaiveDate) -> CoreResult<()> {
    let Some(second) = patient::list(session, 1, 1)?.into_iter().next() else {
        return Ok(());
    };
    let patient_id = second.id.0;
    let payers = crate::payer::list(session)?;
    let Some(commercial) = payers
        .iter()
        .find(|p| p.payer_type == crate::payer::PayerType::Commercial)
    else {
        return Ok(());
    };
    crate::pa::registry::link_payer(
        session,
        commercial.id,
        &[
            "cigna-spravato-trd".into(),
            "evicore-spravato-trd".into(),
            "aetna-cpb0469-tms".into(),
            "aetna-cpb0938-iv-ketamine".into(),
        ],
    )?;
    if let Some(medicaid) = payers
        .iter()
        .find(|p| p.payer_type == crate::payer::PayerType::MedicaidManaged)
    {
        crate::pa::registry::link_payer(
            session,
            medicaid.id,
            &[
                "texas-medicaid-spravato-mdsi".into(),
                "ambetter-cpbh200-tms".into(),
            ],
        )?;
    }
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let dose = |from: NaiveDate, daily: &str| DoseInput {
        from: iso(from),
        daily: daily.into(),
    };
    let d = |days: i64| today - Duration::days(days);
    trial::create(
        session,
        patient_id,
        &TrialInput {
            drug: "sertraline".into(),
            role: "monotherapy".into(),
            start_date: iso(d(300)),
            stop_date: iso(d(210)),
            doses: vec![dose(d(300), "50"), dose(d(286), "150")],
            adherence_percent: "95".into(),
            adherence_source: "pharmacy_fills".into(),
            outcome: "no_response".into(),
            reason_stopped: "No response after 10 weeks at 150 mg".into(),
            current_episode: true,
            score_instrument: "PHQ-9".into(),
            pre_score: "21".into(),
            post_score: "19".into(),
            source_note: "Pharmacy fill history (fictional)".into(),
            ..Default::default()
        },
        today,
    )?;
    trial::create(
        session,
        patient_id,
        &TrialInput {
            drug: "bupropion".into(),
            role: "monotherapy".into(),
            start_date: iso(d(200)),
            stop_date: iso(d(110)),
            doses: vec![dose(d(200), "150"), dose(d(186), "300")],
            adherence_percent: "90".into(),
            adherence_source: "pharmacy_fills".into(),
            outcome: "no_response".into(),
            reason_stopped: "No response after 10 weeks at 300 mg".into(),
            current_episode: true,
            score_instrument: "PHQ-9".into(),
            pre_score: "20".into(),
            post_score: "18".into(),
            ..Default::default()
        },
        today,
    )?;
    let create =
        |session: &mut Session, body: RecordBody| record::create(session, patient_id, &body, today);
    create(
        session,
        RecordBody::Coverage(Coverage {
            payer_id: commercial.id,
            plan_name: "Open Access Plus".into(),
            member_id: "HHP-7781-DEMO".into(),
            group_number: Some("G-2290".into()),
            relationship: Some(Relationship::Self_),
            subscriber_name: None,
            benefit: Some(Benefit::Both),
            priority: Some(Priority::Primary),
            effective_from: iso(d(400)),
            effective_to: None,
            pa_phone: None,
            pa_fax: None,
        }),
    )?;
    create(
        session,
        RecordBody::Diagnosis(Diagnosis {
            code: "F33.2".into(),
            onset: Some(iso(d(320))),
            status: Some(DiagnosisStatus::Active),
            primary: true,
            note: None,
        }),
    )?;
    create(
        session,
        RecordBody::Episode(Episode {
            onset: iso(d(320)),
            end: None,
            current: true,
            course: Some(Course::Recurrent),
            severity: Some(Severity::Severe),
            psychotic_features: Some(false),
            confirmed_by: Some(ConfirmedBy::StructuredInterview),
            instrument: Some("SCID-5-CV".into()),
            confirming_clinician: DEMO_DISPLAY_NAME.into(),
            confirmed_on: Some(iso(d(20))),
            note: None,
        }),
    )?;
    let reference = screening_ref::bundled()?;
    let screening = create(
        session,
        RecordBody::Screening(Screening {
            modality: Some(ScreeningModality::Spravato),
            date: iso(d(7)),
            answers: reference
                .items("spravato")
                .iter()
                .map(|it| ScreeningAnswer {
                    item: it.id.clone(),
                    answer: Some(Answer::No),
                    detail: None,
                })
                .collect(),
            blood_pressure: vec![crate::record::screening::BloodPressure {
                date: iso(d(7)),
                systolic: "124".into(),
                diastolic: "78".into(),
            }],
            pdmp_checked_on: Some(iso(d(7))),
            pdmp_result: Some("No controlled substances".into()),
            no_known_allergies: true,
            allergies: None,
            current_medications: Some("None".into()),
            note: None,
        }),
    )?;
    record::sign(session, screening.id, screening.version, DEMO_PASSPHRASE)?;
    let evaluation = create(
        session,
        RecordBody::Evaluation(Evaluation {
            date: iso(d(7)),
            history: Some("Recurrent major depression since early adulthood; current episode for ten months despite two adequate antidepressant trials (fictional).".into()),
            examination: Some("Psychomotor slowing, constricted affect, no psychotic features; denies current suicidal intent.".into()),
            symptoms: Some("Low mood, anhedonia, insomnia, poor concentration, fatigue; unable to work for three months.".into()),
            treatment_history_review: Some("Sertraline 150 mg for 10 weeks and bupropion XL 300 mg for 10 weeks, both with pharmacy-confirmed adherence and no response.".into()),
            plan: Some("Spravato 56 mg twice weekly for four weeks under REMS monitoring, then reassess; request prior authorization.".into()),
        }),
    )?;
    record::sign(session, evaluation.id, evaluation.version, DEMO_PASSPHRASE)?;
    crate::scores::record(
        session,
        patient_id,
        &crate::scores::ScoreInput {
            instrument: "phq9".into(),
            administered_at: format!("{}T10:00", iso(d(3))),
            mode: Some(crate::scores::Mode::SelfReport),
            answers: (1..=9)
                .map(|i| (i.to_string(), if i == 9 { 0 } else { 2 }))
                .chain([("10".to_string(), 2)])
                .collect(),
            ..Default::default()
        },
        today.and_hms_opt(12, 0, 0).unwrap_or_default(),
    )?;
    Ok(())
}
