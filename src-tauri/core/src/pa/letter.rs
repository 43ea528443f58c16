//! The letters a packet carries, written from the structured record: the letter of medical
//! necessity (domain reference §5.1: diagnosis and episode, current severity with dated
//! scores, the treatment-failure narrative, safety, plan, why this treatment now) and the
//! appeal letter (the denial reason, then a rebuttal per criterion with its evidence). Both
//! are plain text the billing staff and provider may edit before finalizing.

use super::evaluate::show_date;
use super::outcome::Status;
use super::packet::{AttachmentEntry, AttachmentSource, PacketData, PacketKind, PacketSection};
use crate::partial_date::PartialDate;
use crate::record::RecordBody;
use crate::reference::drugs::Category;
use crate::trial::model::{Outcome, TrialRole};

fn partial(s: &str) -> String {
    PartialDate::parse(s).map_or_else(|_| s.to_string(), |p| p.display())
}

fn patient_name(d: &PacketData) -> String {
    format!(
        "{} {}",
        d.facts.patient.given_name, d.facts.patient.family_name
    )
}

fn signer(d: &PacketData) -> String {
    match &d.ordering {
        Some(p) => {
            let mut s = p.display_name.clone();
            if let Some(c) = &p.credentials {
                s.push_str(&format!(", {c}"));
            }
            if let Some(n) = &p.npi {
                s.push_str(&format!("\nNPI {n}"));
            }
            s
        }
        None => "Ordering provider".into(),
    }
}

fn outcome_words(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::NoResponse) => "no response",
        Some(Outcome::PartialResponse) => "partial response only",
        Some(Outcome::Intolerance) => "stopped for intolerance",
        Some(Outcome::Response) => "response",
        Some(Outcome::Remission) => "remission",
        None => "outcome not recorded",
    }
}

/// One sentence per trial of the given kind.
fn trial_sentences(d: &PacketData, augmentation: bool) -> Vec<String> {
    d.facts
        .trials
        .iter()
        .filter(|t| {
            let aug = t.data.role == TrialRole::Augmentation
                || t.category == Some(Category::Augmentation);
            aug == augmentation
        })
        .map(|t| {
            let class = t.class.map(|c| c.label()).unwrap_or("class unknown");
            let dose = t
                .durations
                .max_daily
                .map(|m| format!(" up to {m} {}", t.unit.as_deref().unwrap_or("mg/day")))
                .unwrap_or_default();
            let weeks = t
                .durations
                .at_therapeutic
                .map(|r| {
                    if r.is_exact() || r.certain_weeks() == r.max_weeks() {
                        format!(", {} weeks at a therapeutic dose", r.certain_weeks())
                    } else {
                        format!(
                            ", {}–{} weeks at a therapeutic dose",
                            r.certain_weeks(),
                            r.max_weeks()
                        )
                    }
                })
                .unwrap_or_default();
            let end = match (&t.data.stop, t.data.ongoing) {
                (Some(s), _) => format!(" to {}", s.display()),
                (None, true) => " (ongoing)".into(),
                (None, false) => String::new(),
            };
            let change = t
                .data
                .score_change_percent()
                .map(|c| {
                    format!(
                        "; {} {}→{} ({c:.0}% improvement)",
                        t.data.score_instrument.clone().unwrap_or_default(),
                        t.data.pre_score.unwrap_or_default(),
                        t.data.post_score.unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            let ae = t
                .data
                .adverse_effect
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default();
            format!(
                "{} ({class}){dose}, {}{end}{weeks}: {}{ae}{change}.",
                t.data.drug_name,
                t.data.start.display(),
                outcome_words(t.data.outcome)
            )
        })
        .collect()
}

/// The letter of medical necessity.
pub fn medical_necessity(d: &PacketData) -> String {
    let name = patient_name(d);
    let mut out = Vec::new();
    out.push(format!("{}\n", show_date(d.today)));
    out.push(format!(
        "To the utilization review team, {}\nRe: {} — prior authorization request\nPatient: {name}, date of birth {}{}\n",
        d.payer.name,
        d.service.label(),
        show_date(d.facts.patient.birth_date),
        d.payer
            .member_id
            .as_deref()
            .map(|m| format!(", member ID {m}"))
            .unwrap_or_default()
    ));
    out.push(format!(
        "I am writing to request authorization of {} for {name}, under {} ({}).",
        d.service.label(),
        d.rules.policy,
        d.rules.payer
    ));

    // Diagnosis and episode.
    let dx: Vec<String> = d
        .diagnoses
        .iter()
        .map(|x| format!("{} {}", x.code, x.title))
        .collect();
    let mut para = String::from("Diagnosis and episode. ");
    if dx.is_empty() {
        para.push_str("No diagnosis is recorded.");
    } else {
        para.push_str(&format!("{name} is diagnosed with {}.", dx.join("; ")));
    }
    if let Some(e) = d.facts.records.iter().find_map(|r| match &r.body {
        RecordBody::Episode(e) if e.current => Some(e),
        _ => None,
    }) {
        para.push_str(&format!(" The current episode began {}", partial(&e.onset)));
        if let Some(s) = e.severity {
            para.push_str(&format!(", severity {}", format!("{s:?}").to_lowercase()));
        }
        match e.psychotic_features {
            Some(false) => para.push_str(", without psychotic features"),
            Some(true) => para.push_str(", with psychotic features"),
            None => {}
        }
        if let Some(i) = &e.instrument {
            para.push_str(&format!(", confirmed by {i}"));
        }
        para.push('.');
    }
    out.push(para);

    // Current severity.
    let mut sev = Vec::new();
    for t in &d.trends {
        if let Some(a) = t.latest() {
            if let Some(total) = a.total {
                sev.push(format!(
                    "{} {total}{} on {}",
                    t.instrument_name,
                    a.band
                        .as_deref()
                        .map(|b| format!(" ({b})"))
                        .unwrap_or_default(),
                    partial(a.administered_at.get(..10).unwrap_or(&a.administered_at))
                ));
            }
        }
    }
    if !sev.is_empty() {
        out.push(format!(
            "Current severity. Most recent scores: {}.",
            sev.join("; ")
        ));
    }

    // Treatment failure.
    let ads = trial_sentences(d, false);
    if !ads.is_empty() {
        out.push(format!(
            "Treatment history. Despite adequate trials, the patient's depression has not responded to the following antidepressants:\n• {}",
            ads.join("\n• ")
        ));
    }
    let augs = trial_sentences(d, true);
    if !augs.is_empty() {
        out.push(format!("Augmentation trials:\n• {}", augs.join("\n• ")));
    }
    let therapy: Vec<String> = d
        .facts
        .records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Psychotherapy(p) => Some(format!(
                "{} from {}{}{}",
                p.modality
                    .map(|m| m.label().to_string())
                    .or_else(|| p.modality_other.clone())
                    .unwrap_or_else(|| "Psychotherapy".into()),
                partial(&p.start),
                p.end
                    .as_deref()
                    .map(|e| format!(" to {}", partial(e)))
                    .unwrap_or_default(),
                p.sessions
                    .as_deref()
                    .map(|s| format!(", {s} sessions"))
                    .unwrap_or_default()
            )),
            _ => None,
        })
        .collect();
    if !therapy.is_empty() {
        out.push(format!("Psychotherapy: {}.", therapy.join("; ")));
    }

    // Safety.
    let safety: Vec<String> = d
        .evaluation
        .criteria
        .iter()
        .filter(|c| {
            matches!(
                c.id.as_str(),
                "contraindications" | "psychosis" | "substance_use" | "pdmp" | "pregnancy"
            )
        })
        .map(|c| c.explanation.clone())
        .collect();
    if !safety.is_empty() {
        out.push(format!("Safety. {}", safety.join(" ")));
    }

    // Plan.
    let mut plan = format!("Plan. I am requesting {}", d.service.label());
    if let Some(s) = d.sessions {
        plan.push_str(&format!(", {s} sessions"));
    }
    if let (Some(a), Some(b)) = (d.start, d.end) {
        plan.push_str(&format!(", from {} to {}", show_date(a), show_date(b)));
    }
    plan.push_str(&format!(
        " ({}).",
        d.lines
            .iter()
            .map(|l| format!("{} × {}", l.code, l.units))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if matches!(
        d.service,
        super::Service::SpravatoTrd | super::Service::SpravatoMdsi
    ) {
        plan.push_str(" Each session is given under direct observation in our REMS-certified setting with at least two hours of monitoring, blood pressure before and about 40 minutes after the dose, and the REMS Patient Monitoring Form submitted.");
    }
    plan.push_str(
        " Response will be measured with standardized rating scales throughout the course.",
    );
    out.push(plan);

    // Why now.
    let met: Vec<String> = d
        .evaluation
        .criteria
        .iter()
        .filter(|c| c.status == Status::Met)
        .map(|c| c.label.clone())
        .collect();
    out.push(format!(
        "Why this treatment now. The patient meets the policy's criteria{}. Further oral antidepressant trials are unlikely to help after these failures, and the ongoing depression carries a real risk to the patient's functioning and safety. I ask that you approve this request.",
        if met.is_empty() {
            String::new()
        } else {
            format!(" ({})", met.join("; "))
        }
    ));
    out.push(format!("Sincerely,\n\n{}", signer(d)));
    out.join("\n\n")
}

/// The appeal letter: the denial reason, then each criterion with its evidence.
pub fn appeal(d: &PacketData) -> String {
    let name = patient_name(d);
    let mut out = Vec::new();
    out.push(format!("{}\n", show_date(d.today)));
    out.push(format!(
        "To the appeals department, {}\nRe: Appeal of the denial of {} for {name}, date of birth {}{}{}\n",
        d.payer.name,
        d.service.label(),
        show_date(d.facts.patient.birth_date),
        d.payer.member_id.as_deref().map(|m| format!(", member ID {m}")).unwrap_or_default(),
        d.reference.as_deref().map(|r| format!(", reference {r}")).unwrap_or_default(),
    ));
    out.push(format!(
        "I am writing to appeal the denial of this request. The stated reason was: \"{}\". The record shows that each criterion of {} is met, as set out below with the supporting documentation.",
        d.denial_reason.as_deref().unwrap_or("not given"),
        d.rules.policy
    ));
    for c in &d.evaluation.criteria {
        if c.status == Status::NotApplicable {
            continue;
        }
        let ev: Vec<String> = c
            .evidence
            .iter()
            .map(|e| match &e.date {
                Some(dt) => format!("{} ({})", e.label, partial(dt)),
                None => e.label.clone(),
            })
            .collect();
        out.push(format!(
            "• {} — {}. {}{}",
            c.label,
            c.status.label(),
            c.explanation,
            if ev.is_empty() {
                String::new()
            } else {
                format!(" Evidence: {}.", ev.join("; "))
            }
        ));
    }
    out.push("I ask that you reverse the denial and approve the request. The full packet, with the treatment-failure table and the criterion-by-criterion evidence, is enclosed.".into());
    out.push(format!("Sincerely,\n\n{}", signer(d)));
    out.join("\n\n")
}

/// What the packet encloses, in order: its own sections (numbered), then the stored documents
/// (A1, A2, … in the order given).
pub fn attachments_index(
    d: &PacketData,
    documents: Vec<crate::document::DocumentRef>,
) -> Vec<AttachmentEntry> {
    let mut sections = vec![
        (PacketSection::Letter, "Letter of medical necessity"),
        (
            PacketSection::TreatmentFailure,
            "Treatment-failure table (antidepressant and augmentation trials)",
        ),
    ];
    if d.facts
        .records
        .iter()
        .any(|r| matches!(r.body, RecordBody::Psychotherapy(_)))
    {
        sections.push((PacketSection::Psychotherapy, "Psychotherapy history"));
    }
    if !d.trends.is_empty() {
        sections.push((
            PacketSection::ScoreHistory,
            "Rating-scale history with chart",
        ));
    }
    sections.push((
        PacketSection::Screening,
        "Safety and contraindication screening",
    ));
    sections.push((
        PacketSection::Criteria,
        "Criterion-by-criterion evidence table",
    ));
    sections.push((
        PacketSection::Attestation,
        "Provider attestation and signature",
    ));
    if d.kind == PacketKind::Reauthorization {
        sections.push((
            PacketSection::Reauthorization,
            "Re-authorization summary: scores against baseline, sessions, adverse events",
        ));
    }
    let mut v: Vec<AttachmentEntry> = sections
        .into_iter()
        .enumerate()
        .map(|(i, (section, title))| AttachmentEntry {
            label: (i + 1).to_string(),
            kind_label: "Packet section".into(),
            title: title.into(),
            date: None,
            pages: None,
            source: AttachmentSource::Section(section),
        })
        .collect();
    v.extend(
        documents
            .into_iter()
            .enumerate()
            .map(|(i, doc)| AttachmentEntry {
                label: format!("A{}", i + 1),
                kind_label: doc.kind.label().into(),
                title: doc.title,
                date: doc.document_date,
                pages: if doc.media_type.is_image() {
                    Some(1)
                } else {
                    doc.page_count
                },
                source: AttachmentSource::Document {
                    id: doc.id,
                    media_type: doc.media_type,
                    links: doc.links,
                },
            }),
    );
    v
}
