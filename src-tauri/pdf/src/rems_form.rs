//! The SPRAVATO® REMS Patient Monitoring Form (outpatient) for one signed Spravato session,
//! field for field in the form's order, so it can be typed into the REMS portal or faxed. A
//! field with nothing recorded says "Not recorded" rather than being left blank. Only a signed
//! session has a form (the core refuses a draft with `Conflict`).

use std::path::PathBuf;

use chrono::NaiveDate;
use ketachart_core::access::Permission;
use ketachart_core::export_file::{check_target, save_for_user};
use ketachart_core::treatment::document::{
    gather, record_export, SessionDocument, SessionDocumentKind,
};
use ketachart_core::treatment::session::{SpravatoDose, VitalsRow};
use ketachart_core::{CoreResult, Session};

use crate::session::{
    bp, day, generated, header, iso_day, or_not, render_error, severity, signature_block, yes_no,
    NOT_RECORDED,
};
use crate::{render, Block, Cell, Column, Document};

/// The document title (and PDF title metadata).
pub const TITLE: &str = "SPRAVATO® REMS Patient Monitoring Form (outpatient)";

/// The REMS fax number printed on the form.
pub const REMS_FAX: &str = "1-877-778-0091";

/// Gathers the signed Spravato session, renders its REMS Patient Monitoring Form and saves it
/// to `path` (owner-only, outside the vault, atomically), then audits it. A draft or a session
/// of another treatment is refused (`Conflict`) before anything is written.
pub fn export(session: &Session, record_id: i64, path: &str) -> CoreResult<PathBuf> {
    session.require(Permission::ReadClinical)?;
    check_target("path", path)?;
    let d = gather(session, record_id, SessionDocumentKind::RemsForm)?;
    let generated_at = generated(session);
    let bytes = render(&document(&d, &generated_at)).map_err(render_error)?;
    let written = save_for_user(session, path, &bytes)?;
    record_export(session, &d)?;
    Ok(written)
}

/// The form for `d`. `generated_at` is printed in every page's footer after "Generated".
pub fn document(d: &SessionDocument, generated_at: &str) -> Document {
    let empty = SpravatoDose {
        rems_enrolled: None,
        concomitant: Default::default(),
        dose_mg: None,
        device_times: Vec::new(),
        lot: None,
        expiry: None,
        ready_to_leave_minutes: None,
        vitals_acceptable_before: None,
        vitals_acceptable_at_end: None,
        sedation: None,
        dissociation: None,
        respiratory_depression: None,
    };
    let sp = d.session.spravato.as_ref().unwrap_or(&empty);
    let mut b = Vec::new();
    instructions(d, &mut b);
    patient(d, sp, &mut b);
    concomitant(sp, &mut b);
    provider(d, &mut b);
    setting(d, &mut b);
    treatment(d, sp, &mut b);
    vital_signs(sp, &mut b);
    blood_pressure(&d.session.vitals, &mut b);
    adverse_effects(d, sp, &mut b);
    b.push(Block::Heading("Signature".into()));
    b.push(Block::KeyValues(signature_block(d)));
    let draft = d.record.signature.is_none();
    Document {
        header: header(d, TITLE, generated_at),
        blocks: b,
        watermark: draft.then(|| "DRAFT — not signed".to_string()),
    }
}

fn instructions(d: &SessionDocument, b: &mut Vec<Block>) {
    let days = d.reference.spravato.rems_form_due_days;
    let due = NaiveDate::parse_from_str(&d.session.date, "%Y-%m-%d")
        .ok()
        .and_then(|s| s.checked_add_days(chrono::Days::new(u64::from(days))));
    let mut text = format!(
        "Submit within {days} days of the session: online at the SPRAVATO REMS portal or by fax to {REMS_FAX}."
    );
    if let Some(due) = due {
        text.push_str(&format!("\nDue by {}.", day(due)));
    }
    match &d.submission {
        Some(s) => text.push_str(&format!(
            "\nMarked submitted on {} ({}{}).",
            iso_day(&s.submitted_on),
            s.method.as_str(),
            s.confirmation
                .as_deref()
                .map(|c| format!(", confirmation {c}"))
                .unwrap_or_else(|| ", no confirmation number".into())
        )),
        None => text.push_str("\nNot yet marked submitted."),
    }
    b.push(Block::Note(text));
}

fn kv(pairs: &[(&str, String)]) -> Block {
    Block::KeyValues(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    )
}

fn patient(d: &SessionDocument, sp: &SpravatoDose, b: &mut Vec<Block>) {
    let p = &d.patient;
    b.push(Block::Heading("Patient".into()));
    b.push(kv(&[
        ("First name", or_not(Some(&p.given_name))),
        ("MI", NOT_RECORDED.into()),
        ("Last name", or_not(Some(&p.family_name))),
        ("Date of birth", day(p.birth_date)),
        (
            "Sex",
            p.sex_at_birth
                .map(|s| {
                    let s = s.as_str();
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ),
        (
            "First treatment?",
            if d.facts.first_spravato_session {
                "Yes".into()
            } else {
                "No".into()
            },
        ),
        ("Enrolled in the SPRAVATO REMS?", yes_no(sp.rems_enrolled)),
    ]));
}

fn concomitant(sp: &SpravatoDose, b: &mut Vec<Block>) {
    let c = &sp.concomitant;
    b.push(Block::Heading("Concomitant medications".into()));
    b.push(Block::Note(
        "Is the patient currently taking any of the following medications that may cause sedation or blood pressure changes?"
            .into(),
    ));
    b.push(kv(&[
        ("Benzodiazepines", yes_no(c.benzodiazepines)),
        (
            "Non-benzodiazepine sedative hypnotics",
            yes_no(c.non_benzodiazepine_hypnotics),
        ),
        ("Psychostimulants", yes_no(c.psychostimulants)),
        ("Monoamine oxidase inhibitors (MAOIs)", yes_no(c.maois)),
        ("Opioids", yes_no(c.opioids)),
    ]));
}

fn provider(d: &SessionDocument, b: &mut Vec<Block>) {
    b.push(Block::Heading("Monitoring healthcare provider".into()));
    match &d.signer {
        None => {
            b.push(Block::Note(format!(
                "⚠ Provider profile not completed{}: enter the monitoring provider's name, phone and email in their profile, or on the form by hand.",
                d.record
                    .signature
                    .as_ref()
                    .map(|s| format!(" for {}", s.by_name))
                    .unwrap_or_default()
            )));
            b.push(kv(&[
                ("First name", NOT_RECORDED.into()),
                ("Last name", NOT_RECORDED.into()),
                ("Phone", NOT_RECORDED.into()),
                ("Email", NOT_RECORDED.into()),
            ]));
        }
        Some(p) => {
            let fields = [
                ("First name", or_not(p.given_name.as_deref())),
                ("Last name", or_not(p.family_name.as_deref())),
                ("Phone", or_not(p.phone.as_deref())),
                ("Email", or_not(p.email.as_deref())),
            ];
            let missing: Vec<&str> = fields
                .iter()
                .filter(|(_, v)| v == NOT_RECORDED)
                .map(|(k, _)| *k)
                .collect();
            if !missing.is_empty() {
                b.push(Block::Note(format!(
                    "⚠ Provider profile not completed for {}: {} missing.",
                    p.display_name,
                    missing.join(", ").to_lowercase()
                )));
            }
            b.push(kv(&fields));
        }
    }
}

fn setting(d: &SessionDocument, b: &mut Vec<Block>) {
    let c = &d.clinic;
    b.push(Block::Heading("Healthcare setting".into()));
    b.push(kv(&[
        ("Name", or_not(Some(&c.name))),
        ("Address 1", or_not(c.address_line1.as_deref())),
        ("Address 2", or_not(c.address_line2.as_deref())),
        ("City", or_not(c.city.as_deref())),
        ("State", or_not(c.state.as_deref())),
        ("ZIP", or_not(c.zip.as_deref())),
        ("REMS setting ID", or_not(c.rems_setting_id.as_deref())),
    ]));
}

fn treatment(d: &SessionDocument, sp: &SpravatoDose, b: &mut Vec<Block>) {
    let f = &d.facts;
    let per_device = d.reference.spravato.mg_per_device;
    b.push(Block::Heading("Session".into()));
    let devices = if !sp.device_times.is_empty() {
        sp.device_times.len().to_string()
    } else {
        sp.dose_mg
            .filter(|_| per_device > 0)
            .map(|mg| (mg / per_device).to_string())
            .unwrap_or_else(|| NOT_RECORDED.into())
    };
    let total = match f.monitoring_minutes {
        Some(m) => format!(
            "{m}{}",
            match (sp.device_times.first(), d.session.discharge.time.as_deref()) {
                (Some(a), Some(z)) => format!(" (first device {a}, end of monitoring {z})"),
                _ => String::new(),
            }
        ),
        None => NOT_RECORDED.into(),
    };
    b.push(kv(&[
        ("Treatment date", iso_day(&d.session.date)),
        (
            "Dose administered",
            sp.dose_mg
                .map(|mg| format!("{mg} mg"))
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ),
        ("Number of devices", devices),
        (
            "Device times",
            if sp.device_times.is_empty() {
                NOT_RECORDED.into()
            } else {
                sp.device_times.join(", ")
            },
        ),
        ("Lot number", or_not(sp.lot.as_deref())),
        (
            "Total time from first device to end of monitoring (minutes)",
            total,
        ),
        (
            "If there were no 2-hour requirement, when would the patient have been ready to leave? (minutes from start)",
            or_not(sp.ready_to_leave_minutes.as_deref()),
        ),
    ]));
}

fn vital_signs(sp: &SpravatoDose, b: &mut Vec<Block>) {
    b.push(Block::Heading("Vital signs".into()));
    b.push(kv(&[
        (
            "Vital signs within acceptable range before administration?",
            yes_no(sp.vitals_acceptable_before),
        ),
        (
            "Vital signs within acceptable range before session completion?",
            yes_no(sp.vitals_acceptable_at_end),
        ),
    ]));
}

fn blood_pressure(vitals: &[VitalsRow], b: &mut Vec<Block>) {
    b.push(Block::Heading("Blood pressure".into()));
    let row = |label: &str, r: Option<&VitalsRow>| {
        vec![
            Cell::new(label),
            Cell::new(or_not(r.and_then(|r| r.time.as_deref()))),
            Cell::new(r.map(bp).unwrap_or_else(|| NOT_RECORDED.into())),
        ]
    };
    let first = |tp: &str| vitals.iter().find(|r| r.timepoint == tp);
    let mut rows = vec![row("Pre-administration", first("pre"))];
    for r in vitals.iter().filter(|r| r.timepoint == "recheck") {
        rows.push(row("Pre-administration (recheck)", Some(r)));
    }
    rows.push(row("40 minutes post-administration", first("m40")));
    // The reading closest to the end of the session.
    rows.push(row(
        "Prior to session completion",
        vitals.iter().rev().find(|r| r.timepoint == "discharge"),
    ));
    b.push(Block::Table {
        columns: vec![
            Column::new("Reading", 3.0),
            Column::new("Time", 1.2),
            Column::new("Systolic/diastolic (mmHg)", 2.2),
        ],
        rows,
    });
}

fn adverse_effects(d: &SessionDocument, sp: &SpravatoDose, b: &mut Vec<Block>) {
    b.push(Block::Heading("Adverse effects".into()));
    b.push(kv(&[
        ("Sedation", yes_no(sp.sedation)),
        ("Dissociation", yes_no(sp.dissociation)),
        ("Respiratory depression", yes_no(sp.respiratory_depression)),
    ]));
    if d.session.adverse_events.is_empty() {
        b.push(Block::Note(
            "No other adverse events recorded in the session.".into(),
        ));
        return;
    }
    let rows = d
        .session
        .adverse_events
        .iter()
        .map(|a| {
            let label = d
                .reference
                .adverse_event_label(&a.event)
                .unwrap_or(&a.event);
            vec![
                Cell::new(match a.detail.as_deref() {
                    Some(x) if !x.trim().is_empty() => format!("{label}: {x}"),
                    _ => label.to_string(),
                }),
                Cell::new(severity(a.severity)),
                Cell::new(or_not(a.action.as_deref())),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Adverse event in the session", 2.5),
            Column::new("Severity", 1.0),
            Column::new("Action taken", 2.5),
        ],
        rows,
    });
}
