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
    spravato_course(session, patient_id, today)
}

/// A Spravato TRD course started 12 days ago: four signed sessions (56, 56, 84, 84 mg), the
/// first three REMS forms filed, the last one due.
fn spravato_course(session: &mut Session, patient_id: i64, today: NaiveDate) -> CoreResult<()> {
    use crate::treatment::rems::{self, SubmissionInput, SubmissionMethod};
    use crate::treatment::session::*;
    use crate::treatment::{Course, CourseStatus, Indication, Modality};
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    rems_enrollment(session, patient_id, today - Duration::days(14), today)?;
    let course = record::create(
        session,
        patient_id,
        &RecordBody::Course(Course {
            modality: Some(Modality::Spravato),
            indication: Some(Indication::Trd),
            protocol_id: Some("spravato_trd".into()),
            phases: vec![],
            start_date: iso(today - Duration::days(12)),
            status: CourseStatus::Active,
            status_reason: None,
            end_date: None,
            authorized_units: Some("16".into()),
            authorization_number: Some("DEMO-PA-20418".into()),
            note: None,
        }),
        today,
    )?;
    let row = |tp: &str, time: &str, sys: u32, dia: u32, hr: u32| VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some(sys.to_string()),
        diastolic: Some(dia.to_string()),
        heart_rate: Some(hr.to_string()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    };
    for (i, (ago, dose)) in [(12, 56), (9, 56), (5, 84), (2, 84)]
        .into_iter()
        .enumerate()
    {
        let mut devices = vec!["09:30".to_string(), "09:35".to_string()];
        if dose == 84 {
            devices.push("09:40".into());
        }
        let body = TreatmentSession {
            course_id: course.id,
            date: iso(today - Duration::days(ago)),
            weight: None,
            ketamine: None,
            spravato: Some(SpravatoDose {
                rems_enrolled: Some(true),
                concomitant: Concomitant {
                    benzodiazepines: Some(true),
                    non_benzodiazepine_hypnotics: Some(false),
                    psychostimulants: Some(false),
                    maois: Some(false),
                    opioids: Some(false),
                },
                dose_mg: Some(dose),
                device_times: devices,
                lot: Some("DEMO-ESK-2291".into()),
                expiry: Some(iso(today + Duration::days(300))),
                ready_to_leave_minutes: Some(["95", "90", "100", "85"][i].into()),
                vitals_acceptable_before: Some(true),
                vitals_acceptable_at_end: Some(true),
                sedation: Some(i == 2),
                dissociation: Some(i < 3),
                respiratory_depression: Some(false),
            }),
            tms: None,
            vitals: vec![
                row("pre", "09:20", 128, 82, 74),
                row("m40", "10:10", 142 - 2 * i as u32, 88, 80),
                row("m90", "11:00", 134, 84, 76),
                row("discharge", "11:35", 126, 80, 72),
            ],
            hold_override: None,
            adverse_events: if i < 3 {
                vec![AdverseEvent {
                    event: "dissociation".into(),
                    severity: Some(Severity::Mild),
                    action: Some("Reassurance; resolved by 60 minutes".into()),
                    detail: None,
                }]
            } else {
                vec![]
            },
            discharge: Discharge {
                criteria: [
                    "mental_status",
                    "vitals_near_baseline",
                    "ambulatory",
                    "escort",
                    "no_driving",
                ]
                .map(String::from)
                .to_vec(),
                time: Some("11:35".into()),
                escort_name: Some("Partner (drove her home)".into()),
                note: None,
            },
            billing: vec![],
            note: None,
        };
        let mut body = body;
        let (facts, _) = crate::treatment::evaluate_session(
            session.conn(),
            patient_id,
            &body,
            None,
            crate::treatment::local_now(),
        )?;
        body.billing = facts.suggested_billing;
        let saved = record::create(session, patient_id, &RecordBody::Session(body), today)?;
        record::sign(session, saved.id, saved.version, DEMO_PASSPHRASE)?;
        if ago > 2 {
            let filed = today - Duration::days(ago - 1);
            rems::mark_submitted(
                session,
                saved.id,
                &SubmissionInput {
                    submitted_on: iso(filed),
                    method: Some(SubmissionMethod::Online),
                    confirmation: Some(format!("DEMO-REMS-{}", 4100 + i)),
                },
                today,
            )?;
        }
    }
    Ok(())
}

/// The patient's SPRAVATO REMS enrollment (the gate for every Spravato dose), recorded from the
/// chart with the demo provider as prescriber when their profile says they prescribe.
fn rems_enrollment(
    session: &mut Session,
    patient_id: i64,
    enrolled_on: NaiveDate,
    today: NaiveDate,
) -> CoreResult<()> {
    use crate::rems_enrollment::{self as rems, RemsEnrollmentInput};
    let form = rems::load(session.conn(), patient_id)?;
    let me = session.user().id;
    let prescriber = crate::profile::provider::load_by_id(session.conn(), me)?
        .filter(|p| p.prescriber)
        .map(|p| p.user_id);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    // The chart's free-text contact details go on the form only in the shapes it accepts.
    let digits = |v: &Option<String>| {
        v.as_deref()
            .map_or(0, |s| s.chars().filter(char::is_ascii_digit).count())
    };
    let phone = if digits(&form.phone) == 10 {
        text(&form.phone)
    } else {
        String::new()
    };
    let state = form
        .state
        .clone()
        .filter(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
        .unwrap_or_default();
    let zip = if digits(&form.zip) == 5 {
        text(&form.zip)
    } else {
        String::new()
    };
    rems::save(
        session,
        &RemsEnrollmentInput {
            patient_id,
            version: form.version,
            status: "enrolled".into(),
            enrolled_on: enrolled_on.format("%Y-%m-%d").to_string(),
            rems_patient_id: "DEMO-REMS-PT-0001".into(),
            first_name: form.first_name.clone(),
            middle_initial: String::new(),
            last_name: form.last_name.clone(),
            birth_date: form.birth_date.format("%Y-%m-%d").to_string(),
            sex: form.sex.map(|s| s.as_str().to_string()).unwrap_or_default(),
            address_line1: text(&form.address_line1),
            address_line2: text(&form.address_line2),
            city: text(&form.city),
            preferred_contact: if phone.is_empty() {
                String::new()
            } else {
                "phone".into()
            },
            state,
            zip,
            phone,
            email: String::new(),
            prescriber_user_id: prescriber,
        },
        today,
    )?;
    Ok(())
}

/// A complete Spravato screening two weeks ago: everything answered no except a nightly
/// benzodiazepine, which the chart flags as a concomitant sedating medication.
fn spravato_screening(today: NaiveDate) -> CoreResult<Screening> {
    let on = (today - Duration::days(14)).format("%Y-%m-%d").to_string();
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
