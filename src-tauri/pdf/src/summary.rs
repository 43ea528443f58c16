//! The patient summary PDF: the facts a prior authorization is built from, laid out with the
//! generic engine. One function gathers (core), renders (here) and saves (core's export rules).

use std::path::PathBuf;

use chrono::NaiveDate;
use ketachart_core::document::{DocumentRef, LinkTarget};
use ketachart_core::partial_date::PartialDate;
use ketachart_core::record::coverage::{Benefit, Priority, Relationship};
use ketachart_core::record::episode::{ConfirmedBy, Course, Severity};
use ketachart_core::record::other_treatment::{Response, TreatmentStatus};
use ketachart_core::record::psychotherapy::TherapyOutcome;
use ketachart_core::record::screening::Answer;
use ketachart_core::record::{Record, RecordBody};
use ketachart_core::reference::screening as screening_ref;
use ketachart_core::scales::{self, Change};
use ketachart_core::scores::{Administration, Trend};
use ketachart_core::summary::{self, SummaryData};
use ketachart_core::trial::Trial;
use ketachart_core::{CoreError, CoreResult, Session};

use crate::{render, Block, Cell, ChartBand, Column, Document, LineChart, PageHeader};

/// Gathers the patient's record, renders the summary and saves it to `path` (owner-only,
/// outside the vault, atomically), then audits it. Returns where it was written.
pub fn export(
    session: &Session,
    patient_id: i64,
    path: &str,
    today: NaiveDate,
) -> CoreResult<PathBuf> {
    session.require(ketachart_core::access::Permission::ReadClinical)?;
    ketachart_core::export_file::check_target("path", path)?;
    let data = summary::gather(session, patient_id, today)?;
    let generated_at = local_stamp(chrono::Local::now());
    let bytes = render(&document(&data, &generated_at))
        .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))?;
    let written = ketachart_core::export_file::save_for_user(session, path, &bytes)?;
    summary::record_export(session, patient_id, &data.patient.mrn)?;
    Ok(written)
}

pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

/// A stored partial ISO date as people read it (`03-Mar-2025`, `Mar-2021`, `2021`).
pub(crate) fn pd(s: &str) -> String {
    PartialDate::parse(s)
        .map(|d| d.display())
        .unwrap_or_else(|_| s.to_string())
}

pub(crate) fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "Not recorded".into())
}

/// `2026-11-21T20:10:00.000Z` → `21-Nov-2026 20:10 UTC+00:00`, in the laptop's time zone (the
/// clinic's), with the offset so a reader elsewhere is not misled.
pub(crate) fn stamp(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| local_stamp(t.with_timezone(&chrono::Local)))
        .unwrap_or_else(|_| rfc3339.to_string())
}

pub(crate) fn local_stamp(t: chrono::DateTime<chrono::Local>) -> String {
    t.format("%d-%b-%Y %H:%M UTC%:z").to_string()
}

pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

pub fn document(d: &SummaryData, generated_at: &str) -> Document {
    let p = &d.patient;
    let patient_line = format!(
        "{}, {} · Born {} · MRN {}",
        p.family_name.to_uppercase(),
        p.given_name,
        day(p.birth_date),
        p.mrn
    );
    let signed: Vec<String> = d
        .screenings
        .iter()
        .chain(&d.evaluations)
        .filter_map(|r| r.signature.as_ref().map(|s| (r, s)))
        .map(|(r, s)| {
            format!(
                "{} signed by {}, {}",
                kind_title(r),
                s.by_name,
                stamp(&s.at)
            )
        })
        .collect();
    let header = PageHeader {
        clinic_name: d.clinic_name.clone(),
        document_title: "Patient summary".into(),
        patient_line,
        generated_line: format!("Generated {generated_at} by {}", d.generated_by),
        signed_line: (!signed.is_empty()).then(|| signed.join("; ")),
    };
    let mut b = Vec::new();
    demographics(d, &mut b);
    coverage(d, &mut b);
    diagnoses(d, &mut b);
    trials(&d.trials, &d.documents, &mut b);
    scores(d, &mut b);
    psychotherapy(d, &mut b);
    screenings(d, &mut b);
    evaluations(d, &mut b);
    Document {
        header,
        blocks: b,
        watermark: None,
    }
}

fn kind_title(r: &Record) -> String {
    match &r.body {
        RecordBody::Screening(s) => format!(
            "{} screening",
            s.modality.map(|m| m.label()).unwrap_or("Safety")
        ),
        RecordBody::Evaluation(_) => "Evaluation".into(),
        other => other.kind().label().to_string(),
    }
}

fn demographics(d: &SummaryData, b: &mut Vec<Block>) {
    let p = &d.patient;
    b.push(Block::Heading("Patient".into()));
    let mut kv = vec![
        (
            "Name".to_string(),
            format!("{}, {}", p.family_name.to_uppercase(), p.given_name),
        ),
        (
            "Date of birth".into(),
            format!(
                "{} ({} years)",
                day(p.birth_date),
                ketachart_core::patient::age_on(p.birth_date, d.today)
            ),
        ),
        ("MRN".into(), p.mrn.clone()),
    ];
    if let Some(s) = p.sex_at_birth {
        kv.push(("Sex at birth".into(), s.as_str().to_string()));
    }
    if let Some(ph) = &p.phone {
        kv.push(("Phone".into(), ph.clone()));
    }
    let addr: Vec<String> = [
        &p.address.line1,
        &p.address.line2,
        &p.address.city,
        &p.address.region,
        &p.address.postal_code,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if !addr.is_empty() {
        kv.push(("Address".into(), addr.join(", ")));
    }
    b.push(Block::KeyValues(kv));
}

fn coverage(d: &SummaryData, b: &mut Vec<Block>) {
    b.push(Block::Heading("Coverage".into()));
    if d.coverage.is_empty() {
        b.push(Block::Note("No coverage recorded.".into()));
        return;
    }
    let rows = d
        .coverage
        .iter()
        .map(|c| {
            let v = &c.coverage;
            let priority = match v.priority {
                Some(Priority::Primary) => "Primary",
                Some(Priority::Secondary) => "Secondary",
                Some(Priority::Tertiary) => "Tertiary",
                None => "",
            };
            let benefit = match v.benefit {
                Some(Benefit::Medical) => "Medical",
                Some(Benefit::Pharmacy) => "Pharmacy",
                Some(Benefit::Both) => "Medical and pharmacy",
                None => "",
            };
            let subscriber = match (v.relationship, &v.subscriber_name) {
                (Some(Relationship::Self_), _) => "Self".to_string(),
                (None, None) => "Not recorded".to_string(),
                (r, name) => format!(
                    "{} ({})",
                    name.clone().unwrap_or_default(),
                    match r {
                        Some(Relationship::Spouse) => "spouse",
                        Some(Relationship::Child) => "child",
                        _ => "other",
                    }
                ),
            };
            let dates = format!(
                "{} – {}",
                pd(&v.effective_from),
                v.effective_to
                    .as_deref()
                    .map(pd)
                    .unwrap_or_else(|| "open".into())
            );
            let pa = [
                v.pa_phone
                    .as_ref()
                    .or(c.payer_pa_phone.as_ref())
                    .map(|x| format!("Phone {x}")),
                v.pa_fax
                    .as_ref()
                    .or(c.payer_pa_fax.as_ref())
                    .map(|x| format!("Fax {x}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
            vec![
                Cell::new(priority),
                Cell::new(format!("{}\n{}", c.payer_name, v.plan_name)),
                Cell::new(format!(
                    "{}{}",
                    v.member_id,
                    v.group_number
                        .as_ref()
                        .map(|g| format!("\nGroup {g}"))
                        .unwrap_or_default()
                )),
                Cell::new(subscriber),
                Cell::new(benefit),
                Cell::new(dates),
                Cell::new(pa),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Priority", 1.0),
            Column::new("Payer and plan", 2.0),
            Column::new("Member ID", 1.5),
            Column::new("Subscriber", 1.3),
            Column::new("Benefit", 1.2),
            Column::new("Effective", 1.6),
            Column::new("PA contact", 1.5),
        ],
        rows,
    });
}

fn diagnoses(d: &SummaryData, b: &mut Vec<Block>) {
    b.push(Block::Heading("Diagnoses and episodes".into()));
    if d.diagnoses.is_empty() {
        b.push(Block::Note("No diagnoses recorded.".into()));
    } else {
        let rows = d
            .diagnoses
            .iter()
            .filter_map(|l| match &l.record.body {
                RecordBody::Diagnosis(x) => Some(vec![
                    match &l.pa_note {
                        Some(n) => Cell::flagged(x.code.clone(), n.clone()),
                        None => Cell::new(x.code.clone()),
                    },
                    Cell::new(format!(
                        "{}{}",
                        l.title,
                        if x.primary { " (primary)" } else { "" }
                    )),
                    Cell::new(
                        x.onset
                            .as_deref()
                            .map(pd)
                            .unwrap_or_else(|| "Not recorded".into()),
                    ),
                    Cell::new(if x.is_active() { "Active" } else { "Resolved" }),
                ]),
                _ => None,
            })
            .collect();
        b.push(Block::Table {
            columns: vec![
                Column::new("Code", 1.0),
                Column::new("Diagnosis", 4.0),
                Column::new("Onset", 1.2),
                Column::new("Status", 1.0),
            ],
            rows,
        });
    }
    for r in &d.episodes {
        let RecordBody::Episode(e) = &r.body else {
            continue;
        };
        let course = match e.course {
            Some(Course::Single) => "single episode",
            Some(Course::Recurrent) => "recurrent",
            None => "",
        };
        let severity = match e.severity {
            Some(Severity::Mild) => "mild",
            Some(Severity::Moderate) => "moderate",
            Some(Severity::Severe) => "severe",
            None => "",
        };
        let confirmed = match e.confirmed_by {
            Some(ConfirmedBy::StructuredInterview) => format!(
                "structured interview ({})",
                e.instrument.clone().unwrap_or_default()
            ),
            Some(ConfirmedBy::ClinicalInterview) => "clinical interview".into(),
            None => String::new(),
        };
        b.push(Block::KeyValues(vec![
            (
                if e.current {
                    "Current episode".into()
                } else {
                    "Past episode".into()
                },
                format!(
                    "Onset {}{}; {course}, {severity}, {} psychotic features",
                    pd(&e.onset),
                    e.end
                        .as_deref()
                        .map(|x| format!(", ended {}", pd(x)))
                        .unwrap_or_default(),
                    if e.psychotic_features == Some(true) {
                        "with"
                    } else {
                        "without"
                    }
                ),
            ),
            (
                "Confirmed by".into(),
                format!(
                    "{} by {}{}",
                    confirmed,
                    e.confirming_clinician,
                    e.confirmed_on
                        .as_deref()
                        .map(|x| format!(" on {}", pd(x)))
                        .unwrap_or_default()
                ),
            ),
        ]));
    }
}

pub(crate) fn weeks(t: &Trial) -> String {
    match &t.durations.at_therapeutic {
        None => "unknown".into(),
        Some(r) if r.is_exact() => format!("{} wk", r.certain_weeks()),
        Some(r) => format!("{}–{} wk", r.certain_weeks(), r.max_weeks()),
    }
}

fn trials(ts: &[Trial], docs: &[DocumentRef], b: &mut Vec<Block>) {
    b.push(Block::Heading(
        "Medication trials (treatment-failure table)".into(),
    ));
    if ts.is_empty() {
        b.push(Block::Note("No medication trials recorded.".into()));
        return;
    }
    b.push(Block::Table {
        columns: trial_columns(),
        rows: ts.iter().map(trial_cells).collect(),
    });
    b.extend(trial_sources_cited(ts.iter(), docs));
}

/// The treatment-failure table's columns; [`trial_cells`] fills one row.
pub(crate) fn trial_columns() -> Vec<Column> {
    vec![
        Column::new("Medication", 1.7),
        Column::new("Class", 1.0),
        Column::new("Dose", 1.4),
        Column::new("Dates", 1.5),
        Column::new("At dose", 0.9),
        Column::new("Adherence", 1.3),
        Column::new("Outcome", 1.6),
        Column::new("Current episode", 1.2),
    ]
}

/// One trial as a row of the treatment-failure table: drug and role (with the duration flags),
/// class, maximum dose and floor, dates, weeks at the therapeutic dose (a range when dates are
/// partial), adherence and its source, outcome with the adverse effect and the pre → post
/// score, current episode.
pub(crate) fn trial_cells(t: &Trial) -> Vec<Cell> {
    let v = &t.data;
    let mut flags: Vec<String> = t
        .durations
        .flags
        .iter()
        .map(|f| f.text().to_string())
        .collect();
    if !t.in_reference() {
        flags.insert(0, "not in reference, class unknown".into());
    }
    let class = t
        .class
        .map(|c| {
            if c.is_antidepressant_class() {
                c.label().to_string()
            } else {
                format!("{} (augmentation)", c.label())
            }
        })
        .unwrap_or_else(|| "Unknown".into());
    // Reference units are daily ("mg/day"); a free-text drug has none, so say "mg/day".
    let unit = t.unit.clone().unwrap_or_else(|| "mg/day".into());
    let dose = t
        .durations
        .max_daily
        .map(|m| {
            format!(
                "max {} {unit}{}",
                num(m),
                t.min_therapeutic
                    .map(|f| format!(
                        "\n(min {} {unit}{})",
                        num(f),
                        if t.floor_from_clinic { ", clinic" } else { "" }
                    ))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "Not recorded".into());
    let dates = format!(
        "{} – {}",
        v.start.display(),
        match (&v.stop, v.ongoing) {
            (Some(s), _) => s.display(),
            (None, true) => "ongoing".into(),
            (None, false) => "?".into(),
        }
    );
    let adherence = match (v.adherence_percent, v.adherent) {
        (Some(p), _) => format!("{p}%"),
        (None, Some(true)) => "Adherent".into(),
        (None, Some(false)) => "Not adherent".into(),
        (None, None) => "Not recorded".into(),
    };
    let adherence = match v.adherence_source {
        Some(s) => format!("{adherence}\n({})", s.as_str().replace('_', " ")),
        None => adherence,
    };
    let mut outcome = v
        .outcome
        .map(|o| o.as_str().replace('_', " "))
        .unwrap_or_else(|| "Not recorded".into());
    if let Some(ae) = &v.adverse_effect {
        outcome = format!("{outcome}: {ae}");
    }
    if let Some(c) = v.score_change_percent() {
        outcome = format!(
            "{outcome}\n{} {} → {} ({:+.0}%)",
            v.score_instrument.as_deref().unwrap_or("Score"),
            num(v.pre_score.unwrap_or_default()),
            num(v.post_score.unwrap_or_default()),
            -c
        );
    }
    let medication = format!("{}\n{}", v.drug_name, v.role.as_str());
    vec![
        if flags.is_empty() {
            Cell::new(medication)
        } else {
            Cell::flagged(medication, flags.join("; "))
        },
        Cell::new(class),
        Cell::new(dose),
        Cell::new(dates),
        Cell::new(weeks(t)),
        Cell::new(adherence),
        Cell::new(outcome),
        Cell::new(if v.current_episode { "Yes" } else { "No" }),
    ]
}

/// Where the trials' facts came from (e.g. outside records), when recorded.
pub(crate) fn trial_sources<'a>(ts: impl Iterator<Item = &'a Trial>) -> Vec<Block> {
    trial_sources_cited(ts, &[])
}

/// Where each trial's facts came from: its source note and the stored documents linked to it
/// as evidence, cited with their page, e.g. "Pharmacy fill history — CVS fills 2024
/// (12-Mar-2025), p. 2".
pub(crate) fn trial_sources_cited<'a>(
    ts: impl Iterator<Item = &'a Trial>,
    docs: &[DocumentRef],
) -> Vec<Block> {
    let sources: Vec<(String, String)> = ts
        .filter_map(|t| {
            let mut lines: Vec<String> = t.data.source_note.iter().cloned().collect();
            lines.extend(docs.iter().filter_map(|d| {
                d.link_to(LinkTarget::Trial, t.id)
                    .map(|l| d.citation(l.page))
            }));
            (!lines.is_empty()).then(|| (t.data.drug_name.clone(), lines.join("; ")))
        })
        .collect();
    if sources.is_empty() {
        Vec::new()
    } else {
        vec![Block::Note("Sources".into()), Block::KeyValues(sources)]
    }
}

fn psychotherapy(d: &SummaryData, b: &mut Vec<Block>) {
    b.push(Block::Heading("Psychotherapy and other treatments".into()));
    if d.psychotherapy.is_empty() && d.other_treatments.is_empty() {
        b.push(Block::Note(
            "No psychotherapy or other treatments recorded.".into(),
        ));
        return;
    }
    let rows = d
        .psychotherapy
        .iter()
        .chain(&d.other_treatments)
        .filter_map(therapy_cells)
        .collect();
    b.push(Block::Table {
        columns: therapy_columns(),
        rows,
    });
}

/// Columns of the psychotherapy and other-treatments table; [`therapy_cells`] fills a row.
pub(crate) fn therapy_columns() -> Vec<Column> {
    vec![
        Column::new("Treatment", 1.5),
        Column::new("Dates", 1.6),
        Column::new("Sessions", 1.0),
        Column::new("Therapist / status", 1.5),
        Column::new("Outcome", 2.2),
    ]
}

/// A psychotherapy course (modality, dates, sessions, therapist, outcome) or another
/// treatment (ECT, …: dates, sessions, status, response and reason) as a table row; `None`
/// for any other record.
pub(crate) fn therapy_cells(r: &Record) -> Option<Vec<Cell>> {
    match &r.body {
        RecordBody::Psychotherapy(p) => {
            let outcome = match p.outcome {
                Some(TherapyOutcome::NoResponse) => "No response",
                Some(TherapyOutcome::PartialResponse) => "Partial response",
                Some(TherapyOutcome::Response) => "Response",
                Some(TherapyOutcome::Remission) => "Remission",
                Some(TherapyOutcome::Discontinued) => "Discontinued",
                Some(TherapyOutcome::Unknown) | None => "Not known",
            };
            Some(vec![
                Cell::new(
                    p.modality_other
                        .clone()
                        .or_else(|| p.modality.map(|m| m.label().to_string()))
                        .unwrap_or_default(),
                ),
                Cell::new(format!(
                    "{} – {}",
                    pd(&p.start),
                    p.end.as_deref().map(pd).unwrap_or_else(|| if p.ongoing {
                        "ongoing".into()
                    } else {
                        "?".into()
                    })
                )),
                Cell::new(
                    p.sessions
                        .clone()
                        .map(|s| format!("{s} sessions"))
                        .unwrap_or_else(|| "Not recorded".into()),
                ),
                Cell::new(opt(&p.therapist)),
                Cell::new(outcome),
            ])
        }
        RecordBody::OtherTreatment(o) => {
            let status = match o.status {
                Some(TreatmentStatus::Done) => "Done",
                Some(TreatmentStatus::Considered) => "Considered",
                Some(TreatmentStatus::Contraindicated) => "Contraindicated",
                Some(TreatmentStatus::Declined) => "Declined",
                None => "",
            };
            let response = match o.response {
                Some(Response::None) => "No response",
                Some(Response::Partial) => "Partial response",
                Some(Response::Response) => "Response",
                Some(Response::Remission) => "Remission",
                Some(Response::Unknown) => "Not known",
                None => "",
            };
            Some(vec![
                Cell::new(o.treatment.map(|t| t.label()).unwrap_or_default()),
                Cell::new(match (&o.start, &o.end) {
                    (Some(s), Some(e)) => format!("{} – {}", pd(s), pd(e)),
                    (Some(s), None) => pd(s),
                    _ => String::new(),
                }),
                Cell::new(
                    o.sessions
                        .clone()
                        .map(|s| format!("{s} sessions"))
                        .unwrap_or_default(),
                ),
                Cell::new(status),
                Cell::new(match &o.reason {
                    Some(r) if response.is_empty() => r.clone(),
                    Some(r) => format!("{response}; {r}"),
                    None => response.to_string(),
                }),
            ])
        }
        _ => None,
    }
}

fn signature_lines(r: &Record) -> Vec<(String, String)> {
    let mut kv = Vec::new();
    match &r.signature {
        Some(s) => kv.push((
            "Signed".into(),
            format!(
                "{} ({}), {}. SHA-256 {}{}",
                s.by_name,
                s.by,
                stamp(&s.at),
                &s.sha256[..16.min(s.sha256.len())],
                if s.intact {
                    ""
                } else {
                    " — CONTENT NO LONGER MATCHES THE SIGNATURE"
                }
            ),
        )),
        None => kv.push(("Status".into(), "DRAFT — not signed".into())),
    }
    for a in &r.addenda {
        kv.push((
            format!("Addendum {}", stamp(&a.at)),
            format!("{} — {}", a.text, a.by_name),
        ));
    }
    kv
}

fn screenings(d: &SummaryData, b: &mut Vec<Block>) {
    b.push(Block::Heading("Safety and eligibility screening".into()));
    if d.screenings.is_empty() {
        b.push(Block::Note("No screenings recorded.".into()));
        return;
    }
    for r in &d.screenings {
        b.extend(screening_blocks(r));
    }
}

/// A screening: its title and date, every question of the reference with the answer
/// (contraindications and warnings present are flagged), then blood pressure, the PDMP check,
/// allergies, current medications and the signature. Empty for any other record.
pub(crate) fn screening_blocks(r: &Record) -> Vec<Block> {
    let RecordBody::Screening(s) = &r.body else {
        return Vec::new();
    };
    let reference = screening_ref::bundled().ok();
    let mut b = Vec::new();
    b.push(Block::Paragraph(format!(
        "{} on {}",
        kind_title(r),
        pd(&s.date)
    )));
    let items = reference
        .and_then(|x| s.modality.map(|m| x.items(m.as_str())))
        .unwrap_or_default();
    let rows = items
        .iter()
        .map(|it| {
            let a = s.answers.iter().find(|a| a.item == it.id);
            let answer = match a.and_then(|a| a.answer) {
                Some(Answer::Yes) => "Yes",
                Some(Answer::No) => "No",
                None => "Not answered",
            };
            let kind = match it.kind {
                screening_ref::ItemKind::Contraindication => "Contraindication",
                screening_ref::ItemKind::Warning => "Warning",
            };
            let detail = a.and_then(|a| a.detail.clone()).unwrap_or_default();
            let answer_cell = if answer == "Yes" {
                Cell::flagged(answer, format!("{kind} present"))
            } else {
                Cell::new(answer)
            };
            vec![
                Cell::new(it.label.clone()),
                Cell::new(kind),
                answer_cell,
                Cell::new(detail),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Question", 3.5),
            Column::new("Kind", 1.3),
            Column::new("Answer", 1.0),
            Column::new("Details", 2.5),
        ],
        rows,
    });
    let bp = s
        .blood_pressure
        .iter()
        .map(|x| format!("{}/{} mmHg on {}", x.systolic, x.diastolic, pd(&x.date)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut kv = vec![
        (
            "Blood pressure".to_string(),
            if bp.is_empty() {
                "Not recorded".into()
            } else {
                bp
            },
        ),
        (
            "PDMP checked".into(),
            match (&s.pdmp_checked_on, &s.pdmp_result) {
                (Some(dt), Some(res)) => format!("{} — {res}", pd(dt)),
                (Some(dt), None) => pd(dt),
                _ => "Not recorded".into(),
            },
        ),
        (
            "Allergies".into(),
            if s.no_known_allergies {
                "No known drug allergies".into()
            } else {
                opt(&s.allergies)
            },
        ),
        ("Current medications".into(), opt(&s.current_medications)),
    ];
    kv.extend(signature_lines(r));
    b.push(Block::KeyValues(kv));
    b
}

fn evaluations(d: &SummaryData, b: &mut Vec<Block>) {
    if d.evaluations.is_empty() {
        return;
    }
    b.push(Block::Heading("Evaluations".into()));
    for r in &d.evaluations {
        let RecordBody::Evaluation(e) = &r.body else {
            continue;
        };
        let mut kv = vec![("Date".to_string(), pd(&e.date))];
        for (label, v) in [
            ("History", &e.history),
            ("Examination", &e.examination),
            ("Symptoms", &e.symptoms),
            ("Treatment-history review", &e.treatment_history_review),
            ("Plan", &e.plan),
        ] {
            if let Some(v) = v {
                kv.push((label.into(), v.clone()));
            }
        }
        kv.extend(signature_lines(r));
        b.push(Block::KeyValues(kv));
    }
}

/// `2026-11-14T09:00` → `14-Nov-2026 09:00`.
pub(crate) fn at(s: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .map(|t| t.format("%d-%b-%Y %H:%M").to_string())
        .unwrap_or_else(|_| s.to_string())
}

pub(crate) fn at_date(s: &str) -> Option<NaiveDate> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .ok()
        .map(|t| t.date())
}

/// Rating scales: per instrument, a chart of totals over time with its severity bands, the
/// change from baseline with the response/remission label, and the scores; then safety alerts.
fn scores(d: &SummaryData, b: &mut Vec<Block>) {
    b.push(Block::Heading("Rating scales".into()));
    if d.trends.is_empty() {
        b.push(Block::Note("No rating-scale scores recorded.".into()));
    }
    for t in &d.trends {
        b.extend(trend_chart(t, &d.session_dates).map(Block::Chart));
        b.push(Block::KeyValues(trend_change(t)));
        b.push(Block::Table {
            columns: score_columns(),
            rows: t.points.iter().map(score_cells).collect(),
        });
    }
    if !d.alerts.is_empty() {
        b.push(Block::Heading("Safety alerts".into()));
        let rows = d
            .alerts
            .iter()
            .map(|a| {
                vec![
                    Cell::new(at(&a.administered_at)),
                    Cell::new(a.reason.clone()),
                    match &a.acknowledged {
                        Some(k) => Cell::new(format!(
                            "{} — {}, {}{}",
                            k.action.label(),
                            k.by_name,
                            stamp(&k.at),
                            k.note
                                .as_ref()
                                .map(|n| format!("\n{n}"))
                                .unwrap_or_default()
                        )),
                        None => Cell::flagged("", "Open: not yet acknowledged"),
                    },
                ]
            })
            .collect();
        b.push(Block::Table {
            columns: vec![
                Column::new("Answered", 1.3),
                Column::new("Alert", 2.5),
                Column::new("Acknowledged", 3.0),
            ],
            rows,
        });
    }
}

/// A chart of an instrument's totals over time, with its severity bands and treatment
/// sessions (`YYYY-MM-DD`) as vertical markers; `None` with fewer than two scores.
pub(crate) fn trend_chart(t: &Trend, session_dates: &[String]) -> Option<LineChart> {
    if t.points.len() < 2 {
        return None;
    }
    let reference = scales::bundled().ok();
    let ins = reference.and_then(|r| r.get(&t.instrument));
    let first = t.points.first().and_then(|p| at_date(&p.administered_at));
    let days = |s: &str| -> f32 {
        match (first, at_date(s)) {
            (Some(f), Some(x)) => (x - f).num_days() as f32,
            _ => 0.0,
        }
    };
    let (y_min, y_max) = ins
        .and_then(|i| i.total.as_ref())
        .map(|r| (r.min as f32, r.max as f32))
        .unwrap_or((0.0, 30.0));
    let bands = ins
        .and_then(|i| i.bands.as_ref())
        .map(|bs| {
            bs.bands
                .iter()
                .map(|x| ChartBand {
                    from: x.min as f32,
                    to: x.max as f32,
                    label: x.label.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let points: Vec<(f32, f32)> = t
        .points
        .iter()
        .map(|p| (days(&p.administered_at), p.total.unwrap_or_default() as f32))
        .collect();
    let x_max = points.last().map(|p| p.0).unwrap_or(1.0).max(1.0);
    let x_labels = t
        .points
        .iter()
        .map(|p| {
            let label = at_date(&p.administered_at)
                .map(|d| d.format("%d-%b").to_string())
                .unwrap_or_default();
            (days(&p.administered_at), label)
        })
        .collect();
    Some(LineChart {
        title: format!("{} total over time", t.instrument_name),
        y_min,
        y_max,
        bands,
        points,
        x_min: 0.0,
        x_max,
        x_labels,
        // Treatment sessions within the charted span, as vertical markers.
        markers: session_dates
            .iter()
            .filter_map(|s| {
                let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
                let x = (day - first?).num_days() as f32;
                (0.0..=x_max).contains(&x).then_some(x)
            })
            .collect(),
    })
}

/// Baseline, prior and latest totals and the change from baseline with its response and
/// remission labels, as label/value pairs.
pub(crate) fn trend_change(t: &Trend) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if let (Some(base), Some(latest)) = (t.baseline(), t.latest()) {
        pairs.push((
            format!("{} baseline", t.instrument_name),
            format!(
                "{} on {}",
                base.total.map(|x| x.to_string()).unwrap_or_default(),
                at(&base.administered_at)
            ),
        ));
        if let Some(prior) = t.prior() {
            pairs.push((
                "Prior".into(),
                format!(
                    "{} on {}",
                    prior.total.map(|x| x.to_string()).unwrap_or_default(),
                    at(&prior.administered_at)
                ),
            ));
        }
        if t.points.len() >= 2 {
            pairs.push((
                "Latest".into(),
                format!(
                    "{} on {}",
                    latest.total.map(|x| x.to_string()).unwrap_or_default(),
                    at(&latest.administered_at)
                ),
            ));
        }
    }
    if let Some(c) = &t.change {
        pairs.push(("Change".into(), change_text(c)));
    }
    pairs
}

/// `−40 % from baseline: response; not in remission (remission is ≤ 4)`.
pub(crate) fn change_text(c: &Change) -> String {
    let pct = c
        .reduction_percent
        .map(|p| {
            format!(
                "{}{:.0} % from baseline",
                if p >= 0.0 { "−" } else { "+" },
                p.abs()
            )
        })
        .unwrap_or_else(|| "baseline 0: % change not computable".into());
    let remission = match (c.remission, &c.remission_threshold) {
        (Some(true), Some(th)) => format!("; in remission ({})", th.text()),
        (Some(false), Some(th)) => {
            format!("; not in remission (remission is {})", th.text())
        }
        _ => String::new(),
    };
    format!(
        "{pct}: {}{remission}{}",
        c.response.label(),
        if c.verified {
            ""
        } else {
            " (definition requires clinical review)"
        }
    )
}

/// Columns of an instrument's score table; [`score_cells`] fills a row.
pub(crate) fn score_columns() -> Vec<Column> {
    vec![
        Column::new("Date", 1.4),
        Column::new("Total", 0.7),
        Column::new("Severity", 1.4),
        Column::new("Answered by", 1.6),
        Column::new("Safety", 1.9),
    ]
}

/// One administration: date, total, severity band, who answered, safety flags.
pub(crate) fn score_cells(p: &Administration) -> Vec<Cell> {
    vec![
        Cell::new(at(&p.administered_at)),
        Cell::new(p.total.map(|x| x.to_string()).unwrap_or_default()),
        Cell::new(p.band.clone().unwrap_or_else(|| "—".into())),
        Cell::new(match p.mode {
            ketachart_core::scores::Mode::SelfReport => "Patient (self-report)".to_string(),
            ketachart_core::scores::Mode::Clinician => {
                p.rater.clone().unwrap_or_else(|| "Clinician".into())
            }
        }),
        if p.result.flags.is_empty() {
            Cell::new("")
        } else {
            Cell::flagged("", p.result.flags.join("; "))
        },
    ]
}
