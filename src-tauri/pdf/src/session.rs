//! The treatment-session summary PDF: the course, the dose with its arithmetic, the drug or TMS
//! parameters, the timed vitals (table and systolic chart, out-of-range values flagged), the
//! pre-dose hold, adverse events, discharge, billing, the note and the signature. Drafts may be
//! printed and say so on every page. One function gathers (core), renders (here) and saves
//! (core's export rules); [`crate::rems_form`] shares the helpers below.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use ketachart_core::access::Permission;
use ketachart_core::billing::{self, MtDetermination};
use ketachart_core::export_file::{check_target, save_for_user};
use ketachart_core::treatment::document::{
    gather, record_export, SessionDocument, SessionDocumentKind,
};
use ketachart_core::treatment::entry::trim;
use ketachart_core::treatment::session::{Severity, VitalsRow};
use ketachart_core::treatment::settings::{self, TreatmentSettings};
use ketachart_core::treatment::validate::DoseLevel;
use ketachart_core::treatment::Modality;
use ketachart_core::{CoreError, CoreResult, Session};

use crate::{render, Block, Cell, ChartBand, Column, Document, LineChart, PageHeader};

/// Gathers the session (signed or draft), renders its summary and saves it to `path`
/// (owner-only, outside the vault, atomically), then audits it. Returns where it was written.
pub fn export(session: &Session, record_id: i64, path: &str) -> CoreResult<PathBuf> {
    session.require(Permission::ReadClinical)?;
    check_target("path", path)?;
    let d = gather(session, record_id, SessionDocumentKind::Summary)?;
    let settings = settings::get(session)?.settings;
    let generated_at = generated(session);
    let bytes = render(&document(&d, &settings, &generated_at)).map_err(render_error)?;
    let written = save_for_user(session, path, &bytes)?;
    record_export(session, &d)?;
    Ok(written)
}

/// `21-Nov-2026 20:15 UTC+01:00 by Dr A`: when and by whom a document is generated.
pub(crate) fn generated(session: &Session) -> String {
    format!(
        "{} by {}",
        local_stamp(chrono::Local::now()),
        session.user().display_name
    )
}

pub(crate) fn render_error(e: crate::PdfError) -> CoreError {
    CoreError::Io(std::io::Error::other(e.to_string()))
}

pub(crate) const NOT_RECORDED: &str = "Not recorded";

pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

/// A stored ISO date (`2026-11-21`) as `21-Nov-2026`; anything else as stored.
pub(crate) fn iso_day(s: &str) -> String {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(day)
        .unwrap_or_else(|_| s.to_string())
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

/// The value, or "Not recorded" when it is missing or blank.
pub(crate) fn or_not(v: Option<&str>) -> String {
    match v.map(str::trim) {
        Some(x) if !x.is_empty() => x.to_string(),
        _ => NOT_RECORDED.into(),
    }
}

pub(crate) fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => NOT_RECORDED.into(),
    }
}

/// `132/84`, or "Not recorded" without both numbers.
pub(crate) fn bp(r: &VitalsRow) -> String {
    match (r.systolic.as_deref(), r.diastolic.as_deref()) {
        (Some(s), Some(d)) if !s.trim().is_empty() && !d.trim().is_empty() => {
            format!("{}/{}", s.trim(), d.trim())
        }
        _ => NOT_RECORDED.into(),
    }
}

pub(crate) fn severity(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Mild) => "Mild",
        Some(Severity::Moderate) => "Moderate",
        Some(Severity::Severe) => "Severe",
        None => NOT_RECORDED,
    }
}

/// The signer as printed: the profile's name and credentials, else the signature's name.
pub(crate) fn signer_name(d: &SessionDocument) -> Option<String> {
    let sig = d.record.signature.as_ref()?;
    let from_profile = d.signer.as_ref().and_then(|p| {
        let name = [p.given_name.as_deref(), p.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then(|| match p.credentials.as_deref() {
            Some(c) if !c.trim().is_empty() => format!("{name}, {}", c.trim()),
            _ => name,
        })
    });
    Some(from_profile.unwrap_or_else(|| sig.by_name.clone()))
}

/// The page header both session documents print on every page.
pub(crate) fn header(d: &SessionDocument, title: &str, generated_at: &str) -> PageHeader {
    let p = &d.patient;
    PageHeader {
        clinic_name: d.clinic.name.clone(),
        document_title: title.into(),
        patient_line: format!(
            "{}, {} · DOB {} · MRN {}",
            p.family_name.to_uppercase(),
            p.given_name,
            day(p.birth_date),
            p.mrn
        ),
        generated_line: format!("Generated {generated_at}"),
        signed_line: Some(match (&d.record.signature, signer_name(d)) {
            (Some(s), Some(name)) => format!(
                "Session of {} signed by {name}, {}",
                iso_day(&d.session.date),
                stamp(&s.at)
            ),
            _ => format!(
                "Session of {} — DRAFT, not signed",
                iso_day(&d.session.date)
            ),
        }),
    }
}

/// Signed by / at / content hash (and addenda), or the draft status.
pub(crate) fn signature_block(d: &SessionDocument) -> Vec<(String, String)> {
    let mut kv = Vec::new();
    match (&d.record.signature, signer_name(d)) {
        (Some(s), Some(name)) => {
            kv.push(("Signed by".to_string(), name));
            kv.push(("Signed at".into(), stamp(&s.at)));
            kv.push((
                "Content SHA-256".into(),
                format!(
                    "{}…{}",
                    &s.sha256[..16.min(s.sha256.len())],
                    if s.intact {
                        ""
                    } else {
                        " — CONTENT NO LONGER MATCHES THE SIGNATURE"
                    }
                ),
            ));
        }
        _ => kv.push(("Status".into(), "DRAFT — not signed".into())),
    }
    for a in &d.record.addenda {
        kv.push((
            format!("Addendum {}", stamp(&a.at)),
            format!("{} — {}", a.text, a.by_name),
        ));
    }
    kv
}

pub(crate) fn parse_time(s: Option<&str>) -> Option<NaiveTime> {
    s.and_then(|x| NaiveTime::parse_from_str(x.trim(), "%H:%M").ok())
}

/// The session summary: everything recorded and computed for one session.
pub fn document(d: &SessionDocument, settings: &TreatmentSettings, generated_at: &str) -> Document {
    let title = format!("{} session summary", d.facts.modality.label());
    let title = capitalise(&title);
    let mut b = Vec::new();
    let draft = d.record.signature.is_none();
    if draft {
        b.push(Block::Note(
            "DRAFT — not signed. This session may still change; it is not the signed record."
                .into(),
        ));
    }
    course(d, &mut b);
    dose(d, &mut b);
    vitals(d, settings, &mut b);
    hold(d, &mut b);
    adverse_events(d, &mut b);
    discharge(d, &mut b);
    billing_lines(d, &mut b);
    if let Some(n) = d.session.note.as_deref().filter(|n| !n.trim().is_empty()) {
        b.push(Block::Heading("Note".into()));
        b.push(Block::Paragraph(n.to_string()));
    }
    b.push(Block::Heading("Signature".into()));
    b.push(Block::KeyValues(signature_block(d)));
    if draft && !d.facts.missing.is_empty() {
        b.push(Block::Note(format!(
            "Still needed before a provider can sign: {}.",
            d.facts
                .missing
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    Document {
        header: header(d, &title, generated_at),
        blocks: b,
        watermark: draft.then(|| "DRAFT — not signed".to_string()),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn course(d: &SessionDocument, b: &mut Vec<Block>) {
    let c = &d.course;
    let f = &d.facts;
    b.push(Block::Heading("Course".into()));
    let mut number = format!("Session {}", f.session_number);
    if f.planned_total > 0 {
        number.push_str(&format!(" of {} planned", f.planned_total));
    }
    if let Some(a) = f.authorized_units {
        number.push_str(&format!("; {a} authorized"));
        if let Some(n) = c.authorization_number.as_deref() {
            number.push_str(&format!(" (authorization {n})"));
        }
    }
    b.push(Block::KeyValues(vec![
        (
            "Treatment".into(),
            c.modality
                .map(Modality::label)
                .unwrap_or(NOT_RECORDED)
                .to_string(),
        ),
        (
            "Indication".into(),
            c.indication
                .map(|i| i.label())
                .unwrap_or(NOT_RECORDED)
                .to_string(),
        ),
        ("Session".into(), number),
        (
            "Course".into(),
            format!(
                "{} since {}{}",
                c.status.label(),
                iso_day(&c.start_date),
                c.end_date
                    .as_deref()
                    .map(|e| format!(", ended {}", iso_day(e)))
                    .unwrap_or_default()
            ),
        ),
        ("Session date".into(), iso_day(&d.session.date)),
    ]));
    if !f.warnings.is_empty() {
        b.push(Block::Note(format!("⚠ {}", f.warnings.join("\n⚠ "))));
    }
}

fn weight_line(d: &SessionDocument) -> String {
    let f = &d.facts;
    match (f.weight_kg, &f.weight_arithmetic) {
        (Some(kg), Some(arith)) => format!("{} kg ({arith})", trim(kg)),
        (Some(kg), None) => format!("{} kg", trim(kg)),
        _ => NOT_RECORDED.into(),
    }
}

fn start_stop(start: Option<&str>, stop: Option<&str>, minutes: Option<u32>) -> String {
    match (start, stop) {
        (Some(a), Some(z)) => format!(
            "{a} – {z}{}",
            minutes.map(|m| format!(" ({m} min)")).unwrap_or_default()
        ),
        (Some(a), None) => format!("{a} – stop not recorded"),
        (None, Some(z)) => format!("start not recorded – {z}"),
        (None, None) => NOT_RECORDED.into(),
    }
}

fn dose(d: &SessionDocument, b: &mut Vec<Block>) {
    let f = &d.facts;
    let s = &d.session;
    b.push(Block::Heading(match f.modality {
        Modality::Tms => "Stimulation".to_string(),
        _ => "Dose".to_string(),
    }));
    let mut kv: Vec<(String, String)> = Vec::new();
    if s.weight.is_some() || f.modality.is_ketamine() {
        let mut w = weight_line(d);
        if s.weight.as_ref().is_some_and(|w| w.confirmed) {
            w.push_str("\nConfirmed by the nurse despite the change from the last weight");
        }
        kv.push(("Weight".into(), w));
    }
    if let Some(k) = &s.ketamine {
        let mut dose = f
            .dose_arithmetic
            .clone()
            .unwrap_or_else(|| format!("{} mg/kg (weight not recorded)", k.mg_per_kg));
        match f.dose_level {
            DoseLevel::Within => {}
            DoseLevel::AboveWarning => {
                dose.push_str("\n⚠ Above the clinic's usual limit");
            }
            DoseLevel::AboveStop => dose.push_str("\n⚠ Above the clinic's hard stop"),
        }
        kv.push(("Dose".into(), dose));
        if let Some(o) = &k.limit_override {
            kv.push(("Dose-limit override".into(), override_text(o)));
        }
        kv.push((
            "Vial concentration".into(),
            format!("{} mg/mL", k.concentration_mg_per_ml),
        ));
        kv.push((
            "Volume".into(),
            f.volume_arithmetic
                .clone()
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        if f.modality == Modality::IvKetamine {
            kv.push((
                "Bag".into(),
                k.diluent_ml
                    .as_deref()
                    .map(|x| format!("{x} mL"))
                    .unwrap_or_else(|| NOT_RECORDED.into()),
            ));
            kv.push((
                "Planned infusion time".into(),
                k.infusion_minutes
                    .as_deref()
                    .map(|x| format!("{x} min"))
                    .unwrap_or_else(|| NOT_RECORDED.into()),
            ));
            kv.push((
                "Rate".into(),
                f.rate_arithmetic
                    .clone()
                    .unwrap_or_else(|| NOT_RECORDED.into()),
            ));
            kv.push((
                "Infusion".into(),
                start_stop(
                    k.start_time.as_deref(),
                    k.stop_time.as_deref(),
                    f.infusion_minutes,
                ),
            ));
        } else {
            kv.push(("Injection time".into(), or_not(k.start_time.as_deref())));
        }
        kv.push(("Lot".into(), or_not(k.lot.as_deref())));
        kv.push((
            "Expiry".into(),
            k.expiry
                .as_deref()
                .map(iso_day)
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push(("NDC".into(), or_not(k.ndc.as_deref())));
    }
    if let Some(sp) = &s.spravato {
        kv.push((
            "Dose".into(),
            f.dose_arithmetic
                .clone()
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push((
            "Device times".into(),
            if sp.device_times.is_empty() {
                NOT_RECORDED.into()
            } else {
                sp.device_times.join(", ")
            },
        ));
        kv.push(("Lot".into(), or_not(sp.lot.as_deref())));
        kv.push((
            "Expiry".into(),
            sp.expiry
                .as_deref()
                .map(iso_day)
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push((
            "Enrolled in the SPRAVATO REMS".into(),
            yes_no(sp.rems_enrolled),
        ));
        let c = &sp.concomitant;
        let taking: Vec<String> = [
            ("Benzodiazepines", c.benzodiazepines),
            (
                "Non-benzodiazepine sedative hypnotics",
                c.non_benzodiazepine_hypnotics,
            ),
            ("Psychostimulants", c.psychostimulants),
            ("MAOIs", c.maois),
            ("Opioids", c.opioids),
        ]
        .iter()
        .map(|(name, v)| format!("{name}: {}", yes_no(*v).to_lowercase()))
        .collect();
        kv.push(("Concomitant medications".into(), taking.join("\n")));
        kv.push((
            "Ready to leave without the 2-hour rule".into(),
            sp.ready_to_leave_minutes
                .as_deref()
                .map(|m| format!("{m} min after the first device"))
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push(("Sedation".into(), yes_no(sp.sedation)));
        kv.push(("Dissociation".into(), yes_no(sp.dissociation)));
        kv.push((
            "Respiratory depression".into(),
            yes_no(sp.respiratory_depression),
        ));
    }
    if let Some(t) = &s.tms {
        kv.push((
            "Motor threshold".into(),
            match t.mt_determination {
                MtDetermination::None => format!(
                    "Not determined this session{}",
                    t.motor_threshold_percent
                        .as_deref()
                        .map(|m| format!(" ({m}% machine output)"))
                        .unwrap_or_default()
                ),
                MtDetermination::Initial => format!(
                    "Initial mapping: {}",
                    t.motor_threshold_percent
                        .as_deref()
                        .map(|m| format!("{m}% machine output"))
                        .unwrap_or_else(|| NOT_RECORDED.into())
                ),
                MtDetermination::Redetermination => format!(
                    "Re-determined: {}",
                    t.motor_threshold_percent
                        .as_deref()
                        .map(|m| format!("{m}% machine output"))
                        .unwrap_or_else(|| NOT_RECORDED.into())
                ),
            },
        ));
        kv.push(("Coil location".into(), or_not(t.coil_location.as_deref())));
        kv.push((
            "Intensity".into(),
            t.intensity_percent_mt
                .as_deref()
                .map(|x| format!("{x}% of motor threshold"))
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push((
            "Protocol".into(),
            t.protocol
                .map(|p| p.label().to_string())
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push((
            "Frequency".into(),
            t.frequency_hz
                .as_deref()
                .map(|x| format!("{x} Hz"))
                .unwrap_or_else(|| NOT_RECORDED.into()),
        ));
        kv.push((
            "Pulses".into(),
            match (&t.trains, &t.pulses_per_train, &t.total_pulses) {
                (Some(n), Some(p), Some(tot)) => {
                    format!("{n} trains × {p} pulses = {tot} pulses")
                }
                (_, _, Some(tot)) => format!("{tot} pulses"),
                _ => NOT_RECORDED.into(),
            },
        ));
        kv.push((
            "Session time".into(),
            start_stop(
                t.start_time.as_deref(),
                t.stop_time.as_deref(),
                parse_time(t.start_time.as_deref())
                    .zip(parse_time(t.stop_time.as_deref()))
                    .and_then(|(a, z)| u32::try_from((z - a).num_minutes()).ok()),
            ),
        ));
    }
    b.push(Block::KeyValues(kv));
}

fn override_text(o: &ketachart_core::treatment::session::ProviderOverride) -> String {
    let who = [
        o.by_name.clone().or_else(|| o.by.clone()),
        o.at.as_deref().map(stamp),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    if who.is_empty() {
        o.reason.clone()
    } else {
        format!("{} — {who}", o.reason)
    }
}

/// The clinic's label for a timepoint id (`recheck`: "Recheck").
fn timepoint_label(settings: &TreatmentSettings, m: Modality, id: &str) -> String {
    if id == "recheck" {
        return "Recheck".into();
    }
    let find = |tps: &[ketachart_core::treatment::reference::Timepoint]| {
        tps.iter().find(|t| t.id == id).map(|t| t.label.clone())
    };
    find(settings.timepoints.for_modality(m))
        .or_else(|| {
            // A row whose timepoint the clinic has since removed: the reference's label.
            ketachart_core::treatment::reference::bundled()
                .ok()
                .and_then(|r| find(r.timepoints.for_modality(m)))
        })
        .unwrap_or_else(|| id.to_string())
}

fn vitals(d: &SessionDocument, settings: &TreatmentSettings, b: &mut Vec<Block>) {
    let f = &d.facts;
    let s = &d.session;
    b.push(Block::Heading("Vital signs".into()));
    let rows: Vec<&VitalsRow> = s.vitals.iter().collect();
    let has_reading = |r: &VitalsRow| {
        [
            &r.systolic,
            &r.diastolic,
            &r.heart_rate,
            &r.spo2,
            &r.respiratory_rate,
            &r.moaas,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|x| !x.trim().is_empty()))
    };
    if !rows.iter().any(|r| has_reading(r)) {
        b.push(Block::Note("No vital signs recorded.".into()));
        return;
    }
    let cell = |i: usize, fields: &[&str], text: String| {
        let flags: Vec<&str> = f
            .vitals_flags
            .iter()
            .filter(|fl| fl.row == i && fields.contains(&fl.field.as_str()))
            .map(|fl| fl.message.as_str())
            .collect();
        if flags.is_empty() {
            Cell::new(text)
        } else {
            Cell::flagged(text, flags.join("; "))
        }
    };
    let val = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::new(timepoint_label(settings, f.modality, &r.timepoint)),
                Cell::new(r.time.clone().unwrap_or_else(|| "—".into())),
                cell(
                    i,
                    &["systolic", "diastolic"],
                    match bp(r).as_str() {
                        NOT_RECORDED => "—".into(),
                        x => x.to_string(),
                    },
                ),
                cell(i, &["heartRate"], val(&r.heart_rate)),
                cell(i, &["spo2"], val(&r.spo2)),
                cell(i, &["respiratoryRate"], val(&r.respiratory_rate)),
                cell(i, &["moaas"], val(&r.moaas)),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Timepoint", 1.6),
            Column::new("Time", 0.9),
            Column::new("BP (mmHg)", 1.5),
            Column::new("HR (/min)", 1.3),
            Column::new("SpO₂ (%)", 1.2),
            Column::new("RR (/min)", 1.3),
            Column::new("MOAA/S", 1.1),
        ],
        rows: table_rows,
    });
    let r = &settings.alert_ranges;
    b.push(Block::Note(format!(
        "Flagged outside the clinic's alert ranges: systolic {}–{}, diastolic {}–{}, heart rate {}–{}, SpO₂ {}–{}, respiratory rate {}–{}, MOAA/S {}–{}.",
        r.systolic[0], r.systolic[1], r.diastolic[0], r.diastolic[1], r.heart_rate[0],
        r.heart_rate[1], r.spo2[0], r.spo2[1], r.respiratory_rate[0], r.respiratory_rate[1],
        r.moaas[0], r.moaas[1]
    )));
    if let Some((chart, note)) = systolic_chart(d, settings) {
        b.push(Block::Chart(chart));
        b.push(Block::Note(note));
    }
}

/// Minutes from `origin` to `t` (negative before it).
fn minutes(origin: NaiveTime, t: NaiveTime) -> f32 {
    (t - origin).num_minutes() as f32
}

/// Systolic blood pressure over minutes from the first device / dose (x = 0), with the clinic's
/// systolic alert range shaded; vertical lines at each device (Spravato) or the dose's start
/// and stop, and at discharge, named in the note returned with it. None with fewer than two
/// timed readings.
fn systolic_chart(
    d: &SessionDocument,
    settings: &TreatmentSettings,
) -> Option<(LineChart, String)> {
    let s = &d.session;
    let readings: Vec<(NaiveTime, f32)> = s
        .vitals
        .iter()
        .filter_map(|r| {
            let t = parse_time(r.time.as_deref())?;
            let v = r.systolic.as_deref()?.trim().parse::<f32>().ok()?;
            Some((t, v))
        })
        .collect();
    if readings.len() < 2 {
        return None;
    }
    let origin = d
        .facts
        .monitoring_start
        .or_else(|| readings.iter().map(|r| r.0).min())?;
    let mut points: Vec<(f32, f32)> = readings
        .iter()
        .map(|(t, v)| (minutes(origin, *t), *v))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Vertical lines, each named in the note under the chart.
    let mut named: Vec<(String, NaiveTime)> = Vec::new();
    if let Some(sp) = &s.spravato {
        for (i, t) in sp.device_times.iter().enumerate() {
            named.extend(parse_time(Some(t)).map(|t| (format!("device {}", i + 1), t)));
        }
    }
    if let Some(k) = &s.ketamine {
        let (a, z) = if d.facts.modality == Modality::IvKetamine {
            ("infusion start", "infusion stop")
        } else {
            ("injection", "stop")
        };
        named.extend(parse_time(k.start_time.as_deref()).map(|t| (a.to_string(), t)));
        named.extend(parse_time(k.stop_time.as_deref()).map(|t| (z.to_string(), t)));
    }
    if let Some(t) = &s.tms {
        named.extend(parse_time(t.start_time.as_deref()).map(|t| ("start".to_string(), t)));
        named.extend(parse_time(t.stop_time.as_deref()).map(|t| ("stop".to_string(), t)));
    }
    named.extend(parse_time(s.discharge.time.as_deref()).map(|t| ("discharge".to_string(), t)));
    let markers: Vec<f32> = named.iter().map(|(_, t)| minutes(origin, *t)).collect();
    let note = format!(
        "Vertical lines: {}. Shaded: the clinic's systolic alert range.",
        named
            .iter()
            .map(|(what, t)| format!(
                "{what} {} ({} min)",
                t.format("%H:%M"),
                format!("{}", minutes(origin, *t) as i64).replace('-', "−")
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let lo_x = points
        .iter()
        .map(|p| p.0)
        .chain(markers.iter().copied())
        .fold(0.0_f32, f32::min);
    let hi_x = points
        .iter()
        .map(|p| p.0)
        .chain(markers.iter().copied())
        .fold(0.0_f32, f32::max);
    let pad = ((hi_x - lo_x) * 0.04).max(2.0);
    let (x_min, x_max) = (lo_x - pad, hi_x + pad);
    // A label per reading and at 0, skipping one that would collide with the previous label.
    let mut xs: Vec<f32> = points.iter().map(|p| p.0).chain([0.0]).collect();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.dedup();
    let min_gap = (x_max - x_min) * 0.07;
    let mut x_labels: Vec<(f32, String)> = Vec::new();
    for x in xs {
        if x_labels.last().is_some_and(|(px, _)| x - px < min_gap) {
            continue;
        }
        x_labels.push((x, format!("{}", x as i64).replace('-', "−")));
    }
    let [alert_lo, alert_hi] = settings.alert_ranges.systolic.map(|v| v as f32);
    let v_lo = points.iter().map(|p| p.1).fold(alert_lo, f32::min);
    let v_hi = points.iter().map(|p| p.1).fold(alert_hi, f32::max);
    let y_min = ((v_lo - 10.0) / 10.0).floor() * 10.0;
    let y_max = ((v_hi + 10.0) / 10.0).ceil() * 10.0;
    let what = match d.facts.modality {
        Modality::Spravato => "the first device",
        Modality::IvKetamine => "the infusion start",
        Modality::ImKetamine => "the injection",
        Modality::Tms => "the session start",
    };
    let chart = LineChart {
        title: format!(
            "Systolic blood pressure (mmHg) by minutes from {what} ({})",
            origin.format("%H:%M")
        ),
        y_min,
        y_max,
        bands: vec![ChartBand {
            from: alert_lo,
            to: alert_hi,
            label: format!("Alert range {}–{}", alert_lo, alert_hi),
        }],
        points,
        x_min,
        x_max,
        x_labels,
        markers,
    };
    Some((chart, note))
}

fn hold(d: &SessionDocument, b: &mut Vec<Block>) {
    let f = &d.facts;
    if f.hold_reasons.is_empty() && d.session.hold_override.is_none() {
        return;
    }
    b.push(Block::Heading("Pre-dose hold".into()));
    let mut kv = Vec::new();
    if !f.hold_reasons.is_empty() {
        kv.push(("Held because".to_string(), f.hold_reasons.join("\n")));
    }
    kv.push((
        "Resolved by".into(),
        f.hold_resolution
            .clone()
            .unwrap_or_else(|| "Not resolved".into()),
    ));
    if let Some(o) = &d.session.hold_override {
        kv.push(("Override reason".into(), override_text(o)));
    }
    b.push(Block::KeyValues(kv));
}

fn adverse_events(d: &SessionDocument, b: &mut Vec<Block>) {
    b.push(Block::Heading("Adverse events".into()));
    if d.session.adverse_events.is_empty() {
        b.push(Block::Note("No adverse events recorded.".into()));
        return;
    }
    let rows = d
        .session
        .adverse_events
        .iter()
        .map(|a| {
            vec![
                Cell::new(
                    d.reference
                        .adverse_event_label(&a.event)
                        .unwrap_or(&a.event)
                        .to_string(),
                ),
                Cell::new(severity(a.severity)),
                Cell::new(a.action.clone().unwrap_or_default()),
                Cell::new(a.detail.clone().unwrap_or_default()),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Event", 1.6),
            Column::new("Severity", 1.0),
            Column::new("Action taken", 2.2),
            Column::new("Detail", 2.2),
        ],
        rows,
    });
}

fn discharge(d: &SessionDocument, b: &mut Vec<Block>) {
    let f = &d.facts;
    let dc = &d.session.discharge;
    if !f.modality.has_discharge() {
        return;
    }
    b.push(Block::Heading("Discharge".into()));
    let mut kv = vec![(
        "Discharge time".to_string(),
        match (&dc.time, f.monitoring_minutes) {
            (Some(t), Some(m)) => format!("{t} ({m} min after the {})", start_word(f.modality)),
            (Some(t), None) => t.clone(),
            (None, _) => NOT_RECORDED.into(),
        },
    )];
    if let Some(e) = f.earliest_discharge {
        kv.push((
            "Earliest permitted".into(),
            format!(
                "{} ({} min after the first device)",
                e.format("%H:%M"),
                d.reference.spravato.observation_minutes
            ),
        ));
    }
    kv.push(("Escort".into(), or_not(dc.escort_name.as_deref())));
    if let Some(n) = dc.note.as_deref().filter(|n| !n.trim().is_empty()) {
        kv.push(("Discharge note".into(), n.to_string()));
    }
    b.push(Block::KeyValues(kv));
    let mut rows: Vec<Vec<Cell>> = d
        .reference
        .discharge
        .iter()
        .map(|c| {
            vec![
                Cell::new(c.label.clone()),
                if dc.criteria.contains(&c.id) {
                    Cell::new("Met")
                } else {
                    Cell::flagged("Not met", "not documented as met")
                },
            ]
        })
        .collect();
    // A criterion the reference no longer lists is still shown as recorded.
    for id in &dc.criteria {
        if d.reference.discharge_label(id).is_none() {
            rows.push(vec![Cell::new(id.clone()), Cell::new("Met")]);
        }
    }
    b.push(Block::Table {
        columns: vec![
            Column::new("Discharge criterion", 5.0),
            Column::new("Status", 1.6),
        ],
        rows,
    });
}

fn start_word(m: Modality) -> &'static str {
    match m {
        Modality::Spravato => "first device",
        Modality::IvKetamine => "infusion start",
        Modality::ImKetamine => "injection",
        Modality::Tms => "session start",
    }
}

fn billing_lines(d: &SessionDocument, b: &mut Vec<Block>) {
    b.push(Block::Heading("Billing".into()));
    let reference = billing::bundled().ok();
    let descriptor = |code: &str| {
        reference
            .and_then(|r| r.code(code))
            .map(|c| c.descriptor.clone())
            .unwrap_or_default()
    };
    let (lines, suggested) = if d.session.billing.is_empty() {
        (&d.facts.suggested_billing, true)
    } else {
        (&d.session.billing, false)
    };
    if lines.is_empty() {
        b.push(Block::Note("No billing codes recorded.".into()));
        return;
    }
    if suggested {
        b.push(Block::Note(
            "No billing codes were recorded; these are the codes KetaChart suggests from the session's facts."
                .into(),
        ));
    }
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                Cell::new(format!(
                    "{}{}",
                    l.code,
                    l.modifier
                        .as_deref()
                        .map(|m| format!("-{m}"))
                        .unwrap_or_default()
                )),
                Cell::new(descriptor(&l.code)),
                Cell::new(l.units.to_string()),
                Cell::new(l.ndc.clone().unwrap_or_else(|| "—".into())),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column::new("Code", 1.0),
            Column::new("Description", 4.5),
            Column::new("Units", 0.7),
            Column::new("NDC", 1.6),
        ],
        rows,
    });
    if suggested && !d.facts.billing_notes.is_empty() {
        b.push(Block::Note(d.facts.billing_notes.join("\n")));
    }
}
