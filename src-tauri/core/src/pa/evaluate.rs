//! The evaluation engine: a patient's chart facts against one rule set on one date gives a
//! status per criterion, each with its explanation, fix and evidence, alternative pathways
//! evaluated side by side, and an overall verdict. Deterministic: the same facts, rules and
//! date always give the same result; there is no weighting or hidden score — a criterion is
//! met, not met, insufficiently documented, or not applicable, and the verdict follows from
//! those by the rules in `verdict`.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::attestation::AttestationKind;
use super::facts::{record_date, PaFacts};
use super::load::code_matches;
use super::outcome::{
    CriterionResult, Evaluation, Evidence, EvidenceKind, PathwayResult, Status, TrialCheck, Verdict,
};
use super::rules::{
    CoverageStatus, EpisodeScope, MinSeverity, Provenance, PsychosisHandling, PsychotherapyRule,
    RuleSet, TrialRule,
};
use crate::partial_date::PartialDate;
use crate::profile::provider::Specialty;
use crate::record::diagnosis::DiagnosisStatus;
use crate::record::episode::{ConfirmedBy, Severity};
use crate::record::psychotherapy::TherapyOutcome;
use crate::record::screening::{Answer, Screening};
use crate::record::{Record, RecordBody};
use crate::reference::drugs::Category;
use crate::trial::model::{Outcome, TrialRole};
use crate::trial::Trial;

/// `03-Mar-2026`, as the UI guide shows full dates.
pub fn show_date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

/// A full or partial date as the UI shows it.
pub fn show_partial_pub(s: &str) -> String {
    show_partial(s)
}

fn show_partial(s: &str) -> String {
    PartialDate::parse(s).map_or_else(|_| s.to_string(), |p| p.display())
}

/// Evaluates `facts` against `rules` for a service on `on`.
pub fn evaluate(facts: &PaFacts, rules: &RuleSet, on: NaiveDate) -> Evaluation {
    let mut criteria = Vec::new();
    if rules.coverage == CoverageStatus::NotCovered {
        let reason = rules
            .not_covered_reason
            .clone()
            .unwrap_or_else(|| "The payer does not cover this service".into());
        criteria.push(CriterionResult {
            id: "coverage".into(),
            label: format!("{} covers {}", rules.payer, rules.service.label()),
            status: Status::NotMet,
            explanation: reason.clone(),
            fix: Some(
                "Offer the self-pay path: a self-pay agreement and a superbill the patient may submit".into(),
            ),
            evidence: Vec::new(),
            verified: rules.verified,
            note: rules.note.clone(),
            decides_eligibility: true,
            needs_provider: false,
        });
        return Evaluation {
            rule_set_id: rules.id.clone(),
            rule_set_version: rules.version.clone(),
            payer: rules.payer.clone(),
            policy: rules.policy.clone(),
            service: rules.service,
            on,
            rule_set_verified: rules.verified,
            criteria,
            pathways: Vec::new(),
            best_pathway: None,
            verdict: Verdict::NotCovered,
            summary: format!(
                "{} does not cover {} under {}: self-pay path.",
                rules.payer,
                rules.service.label(),
                rules.policy
            ),
            not_covered_reason: Some(reason),
        };
    }
    let c = &rules.criteria;
    let screening = latest_screening(facts, rules, on);
    if let Some(r) = &c.age {
        criteria.push(age(facts, r.min, r.under, &r.provenance, on));
    }
    if let Some(r) = &c.prescriber {
        criteria.push(prescriber(facts, &r.allowed, &r.provenance));
    }
    if let Some(r) = &c.diagnosis {
        criteria.push(diagnosis(facts, &r.include, &r.exclude, &r.provenance));
    }
    if let Some(r) = &c.episode {
        criteria.push(episode(facts, r, on));
    }
    if let Some(r) = &c.psychosis {
        criteria.push(psychosis(facts, screening, r.handling, &r.provenance));
    }
    if let Some(r) = &c.substance_use {
        criteria.push(substance_use(
            facts,
            screening,
            r.remission_months,
            &r.provenance,
        ));
    }
    if let Some(r) = &c.pregnancy {
        if r.excludes {
            criteria.push(pregnancy(screening, &r.provenance));
        }
    }
    if let Some(r) = &c.baseline_score {
        criteria.push(baseline_score(facts, r, on));
    }
    if let Some(r) = &c.suicidal_ideation {
        criteria.push(suicidal_ideation(facts, r.within_days, &r.provenance, on));
    }
    if let Some(r) = &c.contraindications {
        criteria.push(contraindications(
            rules,
            screening,
            r.max_age_days,
            &r.provenance,
            on,
        ));
    }
    if let Some(r) = &c.concomitant_oral_antidepressant {
        if r.required {
            criteria.push(concomitant(facts, &r.provenance, on));
        }
    }
    if let Some(r) = &c.rems {
        if r.certified_setting {
            criteria.push(rems(facts, &r.provenance));
        }
    }
    if let Some(r) = &c.pdmp {
        criteria.push(pdmp(facts, r.max_age_days, &r.provenance, on));
    }

    let pathways: Vec<PathwayResult> = rules
        .pathways
        .iter()
        .map(|p| {
            let mut crit = Vec::new();
            let mut checks = Vec::new();
            if let Some(t) = &p.antidepressant_trials {
                let (r, ch) = trials(facts, t, false, on);
                crit.push(r);
                checks.extend(ch);
            }
            if let Some(t) = &p.augmentation_trials {
                let (r, ch) = trials(facts, t, true, on);
                crit.push(r);
                checks.extend(ch);
            }
            if let Some(t) = &p.psychotherapy {
                crit.push(psychotherapy(facts, t));
            }
            let status = crit
                .iter()
                .map(|c| c.status)
                .fold(Status::Met, Status::worst);
            PathwayResult {
                id: p.id.clone(),
                label: p.label.clone(),
                status,
                criteria: crit,
                trial_checks: checks,
            }
        })
        .collect();
    let best = pathways
        .iter()
        .enumerate()
        .min_by_key(|(i, p)| {
            let not_met = p
                .criteria
                .iter()
                .filter(|c| c.status == Status::NotMet)
                .count();
            let insufficient = p
                .criteria
                .iter()
                .filter(|c| c.status == Status::Insufficient)
                .count();
            (not_met, insufficient, *i)
        })
        .map(|(_, p)| p);
    if let Some(b) = best {
        let others: Vec<String> = pathways
            .iter()
            .filter(|p| p.id != b.id)
            .map(|p| format!("\"{}\": {}", p.label, p.status.label().to_lowercase()))
            .collect();
        for mut cr in b.criteria.clone() {
            if pathways.len() > 1 {
                cr.label = format!("{} (option \"{}\")", cr.label, b.label);
                cr.note = Some(
                    [
                        cr.note.unwrap_or_default(),
                        format!("Other options: {}.", others.join("; ")),
                    ]
                    .join(" ")
                    .trim()
                    .to_string(),
                );
            }
            criteria.push(cr);
        }
    }
    for item in &rules.not_in_rule_set {
        criteria.push(CriterionResult {
            id: "not_in_rule_set".into(),
            label: item.clone(),
            status: Status::NotApplicable,
            explanation: "Not in rule set: the reference KetaChart ships does not give this criterion. Check the payer's current policy.".into(),
            fix: None,
            evidence: Vec::new(),
            verified: false,
            note: None,
            decides_eligibility: false,
            needs_provider: false,
        });
    }
    let verdict = verdict(&criteria);
    let mut evaluation = Evaluation {
        rule_set_id: rules.id.clone(),
        rule_set_version: rules.version.clone(),
        payer: rules.payer.clone(),
        policy: rules.policy.clone(),
        service: rules.service,
        on,
        rule_set_verified: rules.verified,
        criteria,
        best_pathway: best.map(|b| b.id.clone()),
        pathways,
        verdict,
        summary: String::new(),
        not_covered_reason: None,
    };
    let (met, not_met, insufficient) = evaluation.counts();
    let criteria = &evaluation.criteria;
    let summary = match verdict {
        Verdict::Ready => format!("All {met} criteria met: ready to submit."),
        Verdict::GapsToFix => {
            format!("{met} met, {not_met} not met, {insufficient} need documentation: gaps to fix.")
        }
        Verdict::NotEligible => format!(
            "Not met: {}.",
            criteria
                .iter()
                .filter(|c| c.status == Status::NotMet && c.decides_eligibility)
                .map(|c| c.label.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Verdict::NotCovered => String::new(),
    };
    evaluation.summary = summary;
    evaluation
}

/// Not eligible if a criterion that decides eligibility is not met; gaps if anything else is
/// not met or undocumented; otherwise ready.
fn verdict(criteria: &[CriterionResult]) -> Verdict {
    if criteria
        .iter()
        .any(|c| c.status == Status::NotMet && c.decides_eligibility)
    {
        Verdict::NotEligible
    } else if criteria
        .iter()
        .any(|c| matches!(c.status, Status::NotMet | Status::Insufficient))
    {
        Verdict::GapsToFix
    } else {
        Verdict::Ready
    }
}

struct Crit {
    id: &'static str,
    label: String,
    prov: Provenance,
    eligibility: bool,
    provider: bool,
}

impl Crit {
    fn new(id: &'static str, label: impl Into<String>, prov: &Provenance) -> Self {
        Crit {
            id,
            label: label.into(),
            prov: prov.clone(),
            eligibility: false,
            provider: true,
        }
    }
    fn eligibility(mut self) -> Self {
        self.eligibility = true;
        self
    }
    fn result(
        self,
        status: Status,
        explanation: impl Into<String>,
        fix: Option<String>,
        evidence: Vec<Evidence>,
    ) -> CriterionResult {
        CriterionResult {
            id: self.id.into(),
            label: self.label,
            status,
            explanation: explanation.into(),
            fix: if matches!(status, Status::Met | Status::NotApplicable) {
                None
            } else {
                fix
            },
            evidence,
            verified: self.prov.verified,
            note: self.prov.note,
            decides_eligibility: self.eligibility,
            needs_provider: self.provider,
        }
    }
}

fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut a = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

fn patient_evidence(facts: &PaFacts) -> Evidence {
    Evidence {
        kind: EvidenceKind::Patient,
        id: facts.patient.id.0,
        date: Some(facts.patient.birth_date.to_string()),
        label: format!("Date of birth {}", show_date(facts.patient.birth_date)),
    }
}

fn age(
    facts: &PaFacts,
    min: Option<u32>,
    under: Option<u32>,
    prov: &Provenance,
    on: NaiveDate,
) -> CriterionResult {
    let label = match (min, under) {
        (Some(m), Some(u)) => format!("Age {m} or older and under {u}"),
        (Some(m), None) => format!("Age {m} or older"),
        (None, Some(u)) => format!("Under {u} years old"),
        (None, None) => "Age".into(),
    };
    let c = Crit::new("age", label, prov).eligibility();
    let a = age_on(facts.patient.birth_date, on);
    let ok = min.is_none_or(|m| a >= m as i32) && under.is_none_or(|u| a < u as i32);
    let text = format!("The patient is {a} on {}.", show_date(on));
    c.result(
        if ok { Status::Met } else { Status::NotMet },
        text,
        None,
        vec![patient_evidence(facts)],
    )
}

fn prescriber(
    facts: &PaFacts,
    allowed: &[super::rules::PrescriberType],
    prov: &Provenance,
) -> CriterionResult {
    use super::rules::PrescriberType as P;
    let names: Vec<&str> = allowed
        .iter()
        .map(|p| match p {
            P::Psychiatrist => "a psychiatrist",
            P::PsychiatricNursePractitioner => "a psychiatric nurse practitioner",
            P::MentalHealthPrescriber => "a mental health prescriber",
        })
        .collect();
    let mut c = Crit::new(
        "prescriber",
        format!("Ordered by {}", names.join(" or ")),
        prov,
    );
    c.provider = false;
    let Some(op) = &facts.ordering_provider else {
        return c.result(
            Status::Insufficient,
            "No ordering provider is named, and no evaluation on the chart shows who evaluated the patient.",
            Some("Choose the ordering provider on the request".into()),
            Vec::new(),
        );
    };
    let p = &op.profile;
    let ev = vec![Evidence {
        kind: EvidenceKind::ProviderProfile,
        id: p.user_id,
        date: None,
        label: format!(
            "{}{}",
            p.display_name,
            p.credentials
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default()
        ),
    }];
    let Some(s) = p.specialty else {
        return c.result(
            Status::Insufficient,
            format!(
                "{} ({}) has no specialty on their profile.",
                p.display_name, op.chosen_because
            ),
            Some(format!(
                "Record {}'s specialty in Settings → Provider profiles",
                p.display_name
            )),
            ev,
        );
    };
    let ok = allowed.iter().any(|a| match a {
        P::Psychiatrist => s == Specialty::Psychiatrist,
        P::PsychiatricNursePractitioner => s == Specialty::PsychiatricNursePractitioner,
        P::MentalHealthPrescriber => matches!(
            s,
            Specialty::Psychiatrist
                | Specialty::PsychiatricNursePractitioner
                | Specialty::OtherMentalHealth
        ),
    }) && p.prescriber;
    let text = format!(
        "{} ({}) is recorded as {}{}.",
        p.display_name,
        op.chosen_because,
        s.label().to_lowercase(),
        if p.prescriber {
            ""
        } else {
            ", not a prescriber"
        }
    );
    c.result(
        if ok { Status::Met } else { Status::NotMet },
        text,
        Some(format!(
            "The order must come from {}: choose another ordering provider",
            names.join(" or ")
        )),
        ev,
    )
}

fn evidence_of(kind: EvidenceKind, r: &Record, label: String) -> Evidence {
    Evidence {
        kind,
        id: r.id,
        date: record_date(r),
        label,
    }
}

fn diagnosis(
    facts: &PaFacts,
    include: &[String],
    exclude: &[String],
    prov: &Provenance,
) -> CriterionResult {
    let label = if include.is_empty() {
        format!("No excluded diagnosis ({})", exclude.join(", "))
    } else if exclude.is_empty() {
        format!("Diagnosis on the policy's list ({})", include.join(", "))
    } else {
        format!(
            "Diagnosis on the policy's list ({}), none excluded ({})",
            include.join(", "),
            exclude.join(", ")
        )
    };
    let c = Crit::new("diagnosis", label, prov).eligibility();
    let active: Vec<(&Record, &str)> = facts
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Diagnosis(d) if d.status != Some(DiagnosisStatus::Resolved) => {
                Some((r, d.code.as_str()))
            }
            _ => None,
        })
        .collect();
    if active.is_empty() {
        return c.result(
            Status::Insufficient,
            "No active diagnosis is recorded.",
            Some("Record the diagnosis (ICD-10-CM) on the chart".into()),
            Vec::new(),
        );
    }
    let excluded: Vec<&(&Record, &str)> = active
        .iter()
        .filter(|(_, code)| exclude.iter().any(|e| code_matches(e, code)))
        .collect();
    if !excluded.is_empty() {
        let codes: Vec<&str> = excluded.iter().map(|(_, c)| *c).collect();
        return c.result(
            Status::NotMet,
            format!("{} is excluded by this policy.", codes.join(", ")),
            Some("If the diagnosis is wrong, a provider corrects it (resolve it or record the right code)".into()),
            excluded
                .iter()
                .map(|(r, code)| evidence_of(EvidenceKind::Diagnosis, r, code.to_string()))
                .collect(),
        );
    }
    let matching: Vec<&(&Record, &str)> = active
        .iter()
        .filter(|(_, code)| include.is_empty() || include.iter().any(|i| code_matches(i, code)))
        .collect();
    if matching.is_empty() {
        let codes: Vec<&str> = active.iter().map(|(_, c)| *c).collect();
        // The code may be under-specified (F32.A, F32.9) rather than the patient ineligible.
        return CriterionResult {
            decides_eligibility: false,
            ..c.result(
                Status::NotMet,
                format!(
                    "The active diagnoses ({}) are not on this policy's list.",
                    codes.join(", ")
                ),
                Some("A provider records the specific diagnosis code the policy lists, if it applies".into()),
                active
                    .iter()
                    .map(|(r, code)| evidence_of(EvidenceKind::Diagnosis, r, code.to_string()))
                    .collect(),
            )
        };
    }
    let codes: Vec<&str> = matching.iter().map(|(_, c)| *c).collect();
    c.result(
        Status::Met,
        format!("Active diagnosis {}.", codes.join(", ")),
        None,
        matching
            .iter()
            .map(|(r, code)| evidence_of(EvidenceKind::Diagnosis, r, code.to_string()))
            .collect(),
    )
}

fn current_episode(facts: &PaFacts) -> Option<(&Record, &crate::record::episode::Episode)> {
    facts.records().find_map(|r| match &r.body {
        RecordBody::Episode(e) if e.current => Some((r, e)),
        _ => None,
    })
}

fn episode(facts: &PaFacts, rule: &super::rules::EpisodeRule, _on: NaiveDate) -> CriterionResult {
    let mut parts = Vec::new();
    if rule.current_required {
        parts.push("a current major depressive episode".to_string());
    }
    if let Some(s) = rule.min_severity {
        parts.push(match s {
            MinSeverity::Moderate => "moderate or severe".into(),
            MinSeverity::Severe => "severe".into(),
        });
    }
    if rule.structured_interview {
        parts.push("confirmed by a structured clinical interview".into());
    }
    let c = Crit::new(
        "episode",
        format!("Episode: {}", parts.join(", ")),
        &rule.provenance,
    );
    let Some((r, e)) = current_episode(facts) else {
        return c.result(
            Status::Insufficient,
            "No current episode is recorded.",
            Some(
                "Record the current depressive episode (onset, severity, how it was confirmed)"
                    .into(),
            ),
            Vec::new(),
        );
    };
    let ev = vec![evidence_of(
        EvidenceKind::Episode,
        r,
        format!("Current episode since {}", show_partial(&e.onset)),
    )];
    let mut status = Status::Met;
    let mut text = vec![format!("Current episode since {}.", show_partial(&e.onset))];
    let mut fixes = Vec::new();
    let mut eligibility = false;
    if let Some(min) = rule.min_severity {
        match e.severity {
            None => {
                status = Status::worst(status, Status::Insufficient);
                text.push("Its severity is not recorded.".into());
                fixes.push("record the episode's severity");
            }
            Some(sev) => {
                let rank = |s: Severity| match s {
                    Severity::Mild => 0,
                    Severity::Moderate => 1,
                    Severity::Severe => 2,
                };
                let need = match min {
                    MinSeverity::Moderate => 1,
                    MinSeverity::Severe => 2,
                };
                let word = match sev {
                    Severity::Mild => "mild",
                    Severity::Moderate => "moderate",
                    Severity::Severe => "severe",
                };
                if rank(sev) >= need {
                    text.push(format!("Severity {word}."));
                } else {
                    status = Status::NotMet;
                    eligibility = true;
                    text.push(format!("Severity is recorded as {word}."));
                }
            }
        }
    }
    if rule.structured_interview {
        if e.confirmed_by == Some(ConfirmedBy::StructuredInterview) {
            text.push(format!(
                "Confirmed by structured interview{}.",
                e.instrument
                    .as_deref()
                    .map(|i| format!(" ({i})"))
                    .unwrap_or_default()
            ));
        } else {
            status = Status::worst(status, Status::Insufficient);
            text.push("Not recorded as confirmed by a structured interview.".into());
            fixes.push("record the structured interview (e.g. SCID-5) that confirmed the episode");
        }
    }
    let fix = (!fixes.is_empty()).then(|| capitalise(&fixes.join("; ")));
    CriterionResult {
        decides_eligibility: eligibility,
        ..c.result(status, text.join(" "), fix, ev)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The latest screening for the rule set's service on or before the date.
fn latest_screening<'a>(
    facts: &'a PaFacts,
    rules: &RuleSet,
    on: NaiveDate,
) -> Option<(&'a Record, &'a Screening)> {
    let modality = rules.service.screening();
    facts
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Screening(s) if s.modality == Some(modality) => Some((r, s)),
            _ => None,
        })
        .filter(|(_, s)| date_of(&s.date).is_some_and(|d| d <= on))
        .max_by(|a, b| (date_of(&a.1.date), a.0.id).cmp(&(date_of(&b.1.date), b.0.id)))
}

fn date_of(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

fn answer(s: &Screening, item: &str) -> Option<(Answer, Option<String>)> {
    s.answers
        .iter()
        .find(|a| a.item == item)
        .and_then(|a| a.answer.map(|x| (x, a.detail.clone())))
}

fn screening_evidence(r: &Record, s: &Screening) -> Evidence {
    evidence_of(
        EvidenceKind::Screening,
        r,
        format!(
            "{} screening of {}{}",
            s.modality.map(|m| m.label()).unwrap_or("Safety"),
            show_partial(&s.date),
            if r.signature.is_some() {
                " (signed)"
            } else {
                " (not signed)"
            }
        ),
    )
}

fn attested(facts: &PaFacts, kind: AttestationKind) -> Option<Evidence> {
    facts
        .attestations
        .iter()
        .find(|a| a.kind == kind)
        .map(|a| Evidence {
            kind: EvidenceKind::Attestation,
            id: a.by,
            date: a.at.get(..10).map(str::to_string),
            label: format!("Attested by {}", a.by_name),
        })
}

fn psychosis(
    facts: &PaFacts,
    screening: Option<(&Record, &Screening)>,
    handling: PsychosisHandling,
    prov: &Provenance,
) -> CriterionResult {
    let label = match handling {
        PsychosisHandling::Exclude => "No psychotic features".to_string(),
        PsychosisHandling::Attestation => {
            "No psychosis, or the prescriber attests that benefit outweighs risk".to_string()
        }
    };
    let c = Crit::new("psychosis", label, prov);
    let episode = current_episode(facts);
    let mut ev = Vec::new();
    let from_episode = episode.and_then(|(r, e)| {
        e.psychotic_features.inspect(|_| {
            ev.push(evidence_of(
                EvidenceKind::Episode,
                r,
                format!("Current episode since {}", show_partial(&e.onset)),
            ));
        })
    });
    let from_screening = screening.and_then(|(r, s)| {
        answer(s, "psychosis").map(|(a, _)| {
            ev.push(screening_evidence(r, s));
            a == Answer::Yes
        })
    });
    let present = match (from_episode, from_screening) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        (None, None) => None,
    };
    match present {
        None => c.result(
            Status::Insufficient,
            "Neither the current episode nor a screening records whether there are psychotic features.",
            Some("A provider records psychotic features (yes/no) on the episode or answers the psychosis question on the screening".into()),
            ev,
        ),
        Some(false) => c.result(Status::Met, "No psychotic features are recorded.", None, ev),
        Some(true) => match handling {
            PsychosisHandling::Exclude => CriterionResult {
                decides_eligibility: true,
                ..c.result(
                    Status::NotMet,
                    "Psychosis is recorded; this policy excludes it.",
                    None,
                    ev,
                )
            },
            PsychosisHandling::Attestation => match attested(facts, AttestationKind::PsychosisBenefitOutweighsRisk) {
                Some(a) => {
                    ev.push(a);
                    c.result(
                        Status::Met,
                        "Psychosis is recorded, and the prescriber attests that the benefit outweighs the risk.",
                        None,
                        ev,
                    )
                }
                None => c.result(
                    Status::Insufficient,
                    "Psychosis is recorded; this policy accepts it only with the prescriber's attestation that benefit outweighs risk.",
                    Some("The ordering provider records the benefit/risk attestation on the request".into()),
                    ev,
                ),
            },
        },
    }
}

fn substance_use(
    facts: &PaFacts,
    screening: Option<(&Record, &Screening)>,
    remission_months: u32,
    prov: &Provenance,
) -> CriterionResult {
    let label = if remission_months > 0 {
        format!("No current substance use disorder (or in remission for {remission_months} month(s) or more)")
    } else {
        "No current substance use disorder".into()
    };
    let c = Crit::new("substance_use", label, prov);
    let Some((r, s)) = screening else {
        return c.result(
            Status::Insufficient,
            "There is no safety screening to show substance use.",
            Some("Record the safety screening for this treatment".into()),
            Vec::new(),
        );
    };
    let mut ev = vec![screening_evidence(r, s)];
    match answer(s, "substance_use") {
        None => c.result(
            Status::Insufficient,
            "The screening does not answer the substance-use question.",
            Some("Answer the substance-use question on the screening".into()),
            ev,
        ),
        Some((Answer::No, _)) => c.result(
            Status::Met,
            "No substance use disorder on the screening.",
            None,
            ev,
        ),
        Some((Answer::Yes, detail)) => {
            let said = detail.map(|d| format!(" ({d})")).unwrap_or_default();
            if remission_months > 0 {
                match attested(facts, AttestationKind::SubstanceUseInRemission) {
                    Some(a) => {
                        ev.push(a);
                        c.result(
                            Status::Met,
                            format!("Substance use is recorded{said}; the prescriber attests it is in remission."),
                            None,
                            ev,
                        )
                    }
                    None => c.result(
                        Status::Insufficient,
                        format!("Substance use is recorded{said}; this policy accepts it only in remission ({remission_months} month(s) or more)."),
                        Some("If it is in remission, the provider documents the abstinence and records the attestation on the request".into()),
                        ev,
                    ),
                }
            } else {
                CriterionResult {
                    decides_eligibility: true,
                    ..c.result(
                        Status::NotMet,
                        format!("Substance use is recorded{said}; this policy excludes it."),
                        None,
                        ev,
                    )
                }
            }
        }
    }
}

fn pregnancy(screening: Option<(&Record, &Screening)>, prov: &Provenance) -> CriterionResult {
    let c = Crit::new("pregnancy", "Not pregnant or breastfeeding", prov);
    let Some((r, s)) = screening else {
        return c.result(
            Status::Insufficient,
            "There is no screening for this treatment.",
            Some("Record the safety screening for this treatment".into()),
            Vec::new(),
        );
    };
    let ev = vec![screening_evidence(r, s)];
    match answer(s, "pregnancy") {
        None => c.result(
            Status::Insufficient,
            "The screening does not answer the pregnancy question.",
            Some("Answer the pregnancy question on the screening".into()),
            ev,
        ),
        Some((Answer::No, _)) => c.result(Status::Met, "Not pregnant or breastfeeding.", None, ev),
        Some((Answer::Yes, _)) => CriterionResult {
            decides_eligibility: true,
            ..c.result(
                Status::NotMet,
                "Pregnancy or breastfeeding is recorded on the screening.",
                None,
                ev,
            )
        },
    }
}

fn instrument_name(id: &str) -> String {
    crate::scales::definition::bundled()
        .ok()
        .and_then(|r| r.get(id))
        .map_or_else(|| id.to_string(), |i| i.short_name.clone())
}

const DEPRESSION_SCALES: [&str; 5] = ["phq9", "madrs", "hamd17", "qids_sr16", "bdi2"];

fn baseline_score(
    facts: &PaFacts,
    rule: &super::rules::BaselineScoreRule,
    on: NaiveDate,
) -> CriterionResult {
    let window = rule
        .max_age_days
        .map(|d| format!(" within {d} days"))
        .unwrap_or_default();
    let label = if rule.any_of.is_empty() {
        format!("A dated standardised depression score{window}")
    } else {
        format!(
            "Baseline severity: {}{window}",
            rule.any_of
                .iter()
                .map(|t| format!("{} ≥ {}", instrument_name(&t.instrument), t.at_least))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    let c = Crit::new("baseline_score", label, &rule.provenance).eligibility();
    let thresholds: Vec<(String, i32)> = if rule.any_of.is_empty() {
        DEPRESSION_SCALES
            .iter()
            .map(|s| (s.to_string(), i32::MIN))
            .collect()
    } else {
        rule.any_of
            .iter()
            .map(|t| (t.instrument.clone(), t.at_least))
            .collect()
    };
    // Each instrument is judged by its most recent administration on or before the date: an
    // older high score does not outweigh a newer one below the threshold.
    let mut best_recent: Option<(&crate::scores::Administration, NaiveDate)> = None;
    let mut too_old: Option<(&crate::scores::Administration, NaiveDate, i64)> = None;
    let mut below: Option<(&crate::scores::Administration, NaiveDate, i32)> = None;
    for (instrument, need) in &thresholds {
        let latest = facts
            .scores
            .iter()
            .filter(|a| &a.instrument == instrument && a.total.is_some())
            .filter_map(|a| date_of(&a.administered_at).map(|d| (a, d)))
            .filter(|(_, d)| *d <= on)
            .max_by(|x, y| {
                (x.1, &x.0.administered_at, x.0.id).cmp(&(y.1, &y.0.administered_at, y.0.id))
            });
        let Some((a, d)) = latest else { continue };
        let total = a.total.unwrap_or_default();
        let age = (on - d).num_days();
        let recent = rule.max_age_days.is_none_or(|m| age <= m as i64);
        if recent && total >= *need {
            if best_recent.is_none_or(|(_, bd)| d > bd) {
                best_recent = Some((a, d));
            }
        } else if recent {
            if below.is_none_or(|(_, bd, _)| d > bd) {
                below = Some((a, d, *need));
            }
        } else if total >= *need && too_old.is_none_or(|(_, od, _)| d > od) {
            too_old = Some((a, d, age));
        }
    }
    let ev_of = |a: &crate::scores::Administration, d: NaiveDate| Evidence {
        kind: EvidenceKind::Score,
        id: a.id,
        date: Some(d.to_string()),
        label: format!(
            "{} {} on {}",
            instrument_name(&a.instrument),
            a.total.unwrap_or_default(),
            show_date(d)
        ),
    };
    if let Some((a, d)) = best_recent {
        return c.result(
            Status::Met,
            format!(
                "{} of {} on {} ({} days before {}).",
                instrument_name(&a.instrument),
                a.total.unwrap_or_default(),
                show_date(d),
                (on - d).num_days(),
                show_date(on)
            ),
            None,
            vec![ev_of(a, d)],
        );
    }
    if let Some((a, d, need)) = below {
        return c.result(
            Status::NotMet,
            format!(
                "The latest {} is {} on {}; this policy needs {} or more.",
                instrument_name(&a.instrument),
                a.total.unwrap_or_default(),
                show_date(d),
                need
            ),
            None,
            vec![ev_of(a, d)],
        );
    }
    if let Some((a, d, age)) = too_old {
        return CriterionResult {
            decides_eligibility: false,
            ..c.result(
                Status::Insufficient,
                format!(
                    "{} of {} on {} is {age} days old; this policy needs a score from the last {} days.",
                    instrument_name(&a.instrument),
                    a.total.unwrap_or_default(),
                    show_date(d),
                    rule.max_age_days.unwrap_or_default()
                ),
                Some(format!(
                    "Record a new {} (rating scales)",
                    instrument_name(&a.instrument)
                )),
                vec![ev_of(a, d)],
            )
        };
    }
    CriterionResult {
        decides_eligibility: false,
        ..c.result(
            Status::Insufficient,
            "No qualifying rating-scale score is recorded.",
            Some(format!(
                "Record a baseline {}",
                thresholds
                    .iter()
                    .map(|(i, _)| instrument_name(i))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            Vec::new(),
        )
    }
}

fn suicidal_ideation(
    facts: &PaFacts,
    within_days: u32,
    prov: &Provenance,
    on: NaiveDate,
) -> CriterionResult {
    let c = Crit::new(
        "suicidal_ideation",
        format!("Acute suicidal ideation or behaviour documented within {within_days} days"),
        prov,
    );
    let mut ev = Vec::new();
    for r in facts.records() {
        if let RecordBody::Diagnosis(d) = &r.body {
            if d.code == "R45.851" && d.status != Some(DiagnosisStatus::Resolved) {
                ev.push(evidence_of(
                    EvidenceKind::Diagnosis,
                    r,
                    "R45.851 Suicidal ideations".into(),
                ));
            }
        }
    }
    for a in &facts.scores {
        let Some(d) = date_of(&a.administered_at) else {
            continue;
        };
        if d > on || (on - d).num_days() > within_days as i64 {
            continue;
        }
        let high_triage = a
            .result
            .triage
            .as_deref()
            .is_some_and(|t| t.starts_with("Moderate") || t.starts_with("High"));
        if !a.result.flags.is_empty() || high_triage {
            ev.push(Evidence {
                kind: EvidenceKind::Score,
                id: a.id,
                date: Some(d.to_string()),
                label: format!(
                    "{} on {}: {}",
                    instrument_name(&a.instrument),
                    show_date(d),
                    a.result
                        .triage
                        .clone()
                        .unwrap_or_else(|| a.result.flags.join(", "))
                ),
            });
        }
    }
    if ev.is_empty() {
        c.result(
            Status::Insufficient,
            format!(
                "Nothing in the last {within_days} days documents suicidal ideation or behaviour."
            ),
            Some(
                "A provider records R45.851 with the MDD diagnosis, or a C-SSRS / PHQ-9 showing it"
                    .into(),
            ),
            ev,
        )
    } else {
        c.result(Status::Met, "Suicidal ideation is documented.", None, ev)
    }
}

fn contraindications(
    rules: &RuleSet,
    screening: Option<(&Record, &Screening)>,
    max_age_days: Option<u32>,
    prov: &Provenance,
    on: NaiveDate,
) -> CriterionResult {
    let label = format!(
        "No contraindication on the {} screening{}",
        rules.service.screening().label(),
        max_age_days
            .map(|d| format!(" (within {d} days)"))
            .unwrap_or_default()
    );
    let c = Crit::new("contraindications", label, prov);
    let Some((r, s)) = screening else {
        return c.result(
            Status::Insufficient,
            format!(
                "There is no {} screening.",
                rules.service.screening().label()
            ),
            Some(format!(
                "Record the {} safety screening",
                rules.service.screening().label()
            )),
            Vec::new(),
        );
    };
    let ev = vec![screening_evidence(r, s)];
    if let (Some(max), Some(d)) = (max_age_days, date_of(&s.date)) {
        let age = (on - d).num_days();
        if age > max as i64 {
            return c.result(
                Status::Insufficient,
                format!(
                    "The screening of {} is {age} days old (limit {max}).",
                    show_date(d)
                ),
                Some("Record a new safety screening".into()),
                ev,
            );
        }
    }
    let Ok(reference) = crate::reference::screening::bundled() else {
        return c.result(
            Status::Insufficient,
            "The screening reference could not be read.",
            None,
            ev,
        );
    };
    let f = s.findings(reference);
    if !f.contraindications.is_empty() {
        return CriterionResult {
            decides_eligibility: true,
            ..c.result(
                Status::NotMet,
                format!(
                    "Contraindication recorded: {}.",
                    f.contraindications.join("; ")
                ),
                None,
                ev,
            )
        };
    }
    if f.unanswered > 0 {
        return c.result(
            Status::Insufficient,
            format!("{} screening question(s) are not answered.", f.unanswered),
            Some("Answer every question on the screening".into()),
            ev,
        );
    }
    c.result(
        Status::Met,
        if f.warnings.is_empty() {
            "No contraindications.".to_string()
        } else {
            format!(
                "No contraindications (warnings noted: {}).",
                f.warnings.join("; ")
            )
        },
        None,
        ev,
    )
}

fn concomitant(facts: &PaFacts, prov: &Provenance, on: NaiveDate) -> CriterionResult {
    let c = Crit::new(
        "concomitant_oral_antidepressant",
        "Taking an oral antidepressant alongside",
        prov,
    );
    let current: Vec<&Trial> = facts
        .trials
        .iter()
        .filter(|t| t.category == Some(Category::Antidepressant))
        .filter(|t| {
            t.data.start.earliest() <= on
                && (t.data.ongoing || t.data.stop.as_ref().is_some_and(|s| s.earliest() >= on))
        })
        .collect();
    if current.is_empty() {
        return c.result(
            Status::NotMet,
            "No oral antidepressant is recorded as ongoing.",
            Some(
                "If the patient takes one, record it as an ongoing trial (drug, dose, start)"
                    .into(),
            ),
            Vec::new(),
        );
    }
    c.result(
        Status::Met,
        format!(
            "Ongoing: {}.",
            current
                .iter()
                .map(|t| t.data.drug_name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None,
        current.iter().map(|t| trial_evidence(t)).collect(),
    )
}

fn rems(facts: &PaFacts, prov: &Provenance) -> CriterionResult {
    let mut c = Crit::new(
        "rems",
        "Treatment in a SPRAVATO REMS-certified setting",
        prov,
    );
    c.provider = false;
    match &facts.clinic_rems_setting_id {
        Some(id) => c.result(
            Status::Met,
            format!("The clinic's REMS setting ID is {id}."),
            None,
            vec![Evidence {
                kind: EvidenceKind::ClinicProfile,
                id: 0,
                date: None,
                label: format!("REMS setting ID {id}"),
            }],
        ),
        None => c.result(
            Status::Insufficient,
            "The clinic profile has no REMS setting ID.",
            Some("An administrator enters the REMS setting ID in Settings → Clinic profile".into()),
            Vec::new(),
        ),
    }
}

fn pdmp(
    facts: &PaFacts,
    max_age_days: Option<u32>,
    prov: &Provenance,
    on: NaiveDate,
) -> CriterionResult {
    let label = format!(
        "Prescription drug monitoring program (PDMP) checked{}",
        max_age_days
            .map(|d| format!(" within {d} days"))
            .unwrap_or_default()
    );
    let c = Crit::new("pdmp", label, prov);
    let latest = facts
        .records()
        .filter_map(|r| match &r.body {
            RecordBody::Screening(s) => s
                .pdmp_checked_on
                .as_deref()
                .and_then(date_of)
                .filter(|d| *d <= on)
                .map(|d| (r, s, d)),
            _ => None,
        })
        .max_by_key(|(r, _, d)| (*d, r.id));
    let Some((r, s, d)) = latest else {
        return c.result(
            Status::Insufficient,
            "No PDMP check is recorded.",
            Some("Record the PDMP check date on the screening".into()),
            Vec::new(),
        );
    };
    let ev = vec![screening_evidence(r, s)];
    let age = (on - d).num_days();
    if max_age_days.is_some_and(|m| age > m as i64) {
        return c.result(
            Status::Insufficient,
            format!(
                "The PDMP was last checked on {} ({age} days ago).",
                show_date(d)
            ),
            Some("Check the PDMP again and record the date".into()),
            ev,
        );
    }
    c.result(
        Status::Met,
        format!("PDMP checked on {}.", show_date(d)),
        None,
        ev,
    )
}

pub(crate) fn trial_evidence(t: &Trial) -> Evidence {
    let dose = t
        .durations
        .max_daily
        .map(|d| format!(" {d} {}", t.unit.as_deref().unwrap_or("mg/day")))
        .unwrap_or_default();
    let end = match (&t.data.stop, t.data.ongoing) {
        (Some(s), _) => s.display(),
        (None, true) => "ongoing".into(),
        (None, false) => "stop date not recorded".into(),
    };
    Evidence {
        kind: EvidenceKind::Trial,
        id: t.id,
        date: Some(t.data.start.to_iso()),
        label: format!(
            "{}{dose}, {} to {end}",
            t.data.drug_name,
            t.data.start.display()
        ),
    }
}

fn weeks(n: i64) -> String {
    if n == 1 {
        "1 week".into()
    } else {
        format!("{n} weeks")
    }
}

fn class_label(t: &Trial) -> String {
    t.class
        .map_or_else(|| "class unknown".into(), |c| c.label().to_string())
}

/// One trial against a trial rule.
fn check_trial(t: &Trial, rule: &TrialRule, on: NaiveDate) -> TrialCheck {
    let mut status = Status::Met;
    let mut reasons = Vec::new();
    let mut worse = |s: Status, why: String, reasons: &mut Vec<String>| {
        status = Status::worst(status, s);
        reasons.push(why);
    };
    let intolerance = t.data.outcome == Some(Outcome::Intolerance);
    match t.data.outcome {
        None => worse(
            Status::Insufficient,
            "outcome not recorded".into(),
            &mut reasons,
        ),
        Some(Outcome::Response) | Some(Outcome::Remission) => worse(
            Status::NotMet,
            "the patient responded (not a failed trial)".into(),
            &mut reasons,
        ),
        Some(Outcome::Intolerance) if !rule.intolerance_counts => {}
        Some(Outcome::Intolerance) => {
            if t.data.adverse_effect.is_none() {
                worse(
                    Status::Insufficient,
                    "stopped for intolerance, but the adverse effect is not named".into(),
                    &mut reasons,
                );
            } else {
                reasons.push(format!(
                    "intolerance ({}) counts",
                    t.data.adverse_effect.clone().unwrap_or_default()
                ));
            }
        }
        Some(Outcome::NoResponse) | Some(Outcome::PartialResponse) => {}
    }
    if let (Some(max), false) = (rule.non_response_max_improvement_percent, intolerance) {
        if matches!(
            t.data.outcome,
            Some(Outcome::NoResponse) | Some(Outcome::PartialResponse)
        ) {
            match t.data.score_change_percent() {
                Some(ch) if ch > max + 1e-9 => worse(
                    Status::NotMet,
                    format!("improved {ch:.0}% on {} (the policy counts {max:.0}% or less as nonresponse)", t.data.score_instrument.clone().unwrap_or_default()),
                    &mut reasons,
                ),
                Some(ch) => reasons.push(format!("improved {ch:.0}% (≤ {max:.0}%)")),
                None => reasons.push("no pre/post scores: nonresponse as recorded by the clinician".into()),
            }
        }
    }
    if !(intolerance && rule.intolerance_counts) {
        match &t.durations.at_therapeutic {
            None => worse(
                Status::Insufficient,
                if t.data.doses.is_empty() {
                    "no dose recorded".into()
                } else {
                    "no minimum therapeutic dose is known for this drug".into()
                },
                &mut reasons,
            ),
            Some(r) => {
                let need = rule.min_weeks as i64;
                if r.certain_weeks() >= need {
                    reasons.push(format!(
                        "{} at a therapeutic dose (≥ {need})",
                        weeks(r.certain_weeks())
                    ));
                } else if r.max_weeks() >= need {
                    worse(
                        Status::Insufficient,
                        format!(
                            "between {} and {} weeks at a therapeutic dose (dates are partial; the policy needs {need})",
                            r.certain_weeks(),
                            r.max_weeks()
                        ),
                        &mut reasons,
                    );
                } else if t.data.stop.is_none() && !t.data.ongoing {
                    worse(
                        Status::Insufficient,
                        format!(
                            "{} at a therapeutic dose up to the last recorded date; the stop date is needed to count the rest (the policy needs {need})",
                            weeks(r.max_weeks())
                        ),
                        &mut reasons,
                    );
                } else {
                    worse(
                        Status::NotMet,
                        format!(
                            "{} at a therapeutic dose (the policy needs {need})",
                            weeks(r.max_weeks())
                        ),
                        &mut reasons,
                    );
                }
            }
        }
        if t.data.stop.is_none() && !t.data.ongoing {
            worse(
                Status::Insufficient,
                "stop date not recorded".into(),
                &mut reasons,
            );
        }
    }
    if !t.data.ongoing && t.data.reason_stopped.is_none() && !intolerance {
        worse(
            Status::Insufficient,
            "reason stopped not recorded".into(),
            &mut reasons,
        );
    }
    match rule.min_adherence_percent {
        Some(need) => match (t.data.adherence_percent, t.data.adherent) {
            (Some(p), _) if p >= need => reasons.push(format!("{p}% adherent (≥ {need}%)")),
            (Some(p), _) => worse(
                Status::NotMet,
                format!("{p}% adherent (the policy needs {need}%)"),
                &mut reasons,
            ),
            (None, _) => worse(
                Status::Insufficient,
                format!("adherence not recorded as a percentage (the policy needs {need}%)"),
                &mut reasons,
            ),
        },
        None => {
            if t.data.adherent == Some(false) {
                worse(
                    Status::NotMet,
                    "not taken as prescribed".into(),
                    &mut reasons,
                );
            }
        }
    }
    if rule.episode == EpisodeScope::All && !t.data.current_episode {
        worse(
            Status::NotMet,
            "not in the current episode".into(),
            &mut reasons,
        );
    }
    if let Some(years) = rule.lookback_years {
        let (earliest_end, latest_end) = match (&t.data.stop, t.data.ongoing) {
            (_, true) => (on, on),
            (Some(s), _) => (s.earliest(), s.latest()),
            (None, false) => (t.data.start.earliest(), t.data.start.latest()),
        };
        let limit = on
            .with_year(on.year() - years as i32)
            .unwrap_or(on - chrono::Days::new(365 * years as u64));
        if latest_end < limit {
            worse(
                Status::NotMet,
                format!("ended more than {years} years before {}", show_date(on)),
                &mut reasons,
            );
        } else if earliest_end < limit {
            worse(
                Status::Insufficient,
                format!(
                    "the stop date is partial: it may have ended more than {years} years before {}",
                    show_date(on)
                ),
                &mut reasons,
            );
        }
    }
    TrialCheck {
        trial_id: t.id,
        status,
        reasons,
    }
}

fn trials(
    facts: &PaFacts,
    rule: &TrialRule,
    augmentation: bool,
    on: NaiveDate,
) -> (CriterionResult, Vec<TrialCheck>) {
    let what = if augmentation {
        "augmentation trial"
    } else {
        "antidepressant trial"
    };
    let mut label = format!(
        "{} failed {what}{}",
        rule.min_trials,
        if rule.min_trials == 1 { "" } else { "s" }
    );
    if rule.distinct_classes > 1 {
        label.push_str(&format!(
            " from {} different classes",
            rule.distinct_classes
        ));
    }
    label.push_str(&format!(
        ", each ≥ {} weeks at a therapeutic dose",
        rule.min_weeks
    ));
    if let Some(a) = rule.min_adherence_percent {
        label.push_str(&format!(", ≥ {a}% adherent"));
    }
    match rule.episode {
        EpisodeScope::All => label.push_str(", in the current episode"),
        EpisodeScope::AtLeastOne => label.push_str(", at least one in the current episode"),
        EpisodeScope::Any => {}
    }
    if let Some(y) = rule.lookback_years {
        label.push_str(&format!(", within {y} years"));
    }
    let c = Crit::new(
        if augmentation {
            "augmentation"
        } else {
            "trials"
        },
        label,
        &rule.provenance,
    )
    .eligibility();
    let relevant: Vec<&Trial> = facts
        .trials
        .iter()
        .filter(|t| {
            let is_aug = t.data.role == TrialRole::Augmentation
                || t.category == Some(Category::Augmentation);
            is_aug == augmentation && t.data.start.earliest() <= on
        })
        .collect();
    let checks: Vec<(TrialCheck, &Trial)> = relevant
        .iter()
        .map(|t| (check_trial(t, rule, on), *t))
        .collect();
    let counted: Vec<&Trial> = checks
        .iter()
        .filter(|(c, _)| c.status == Status::Met)
        .map(|(_, t)| *t)
        .collect();
    let possible: Vec<&Trial> = checks
        .iter()
        .filter(|(c, _)| c.status == Status::Insufficient)
        .map(|(_, t)| *t)
        .collect();
    let classes = |ts: &[&Trial]| -> BTreeSet<crate::reference::drugs::DrugClass> {
        ts.iter().filter_map(|t| t.class).collect()
    };
    let need = rule.min_trials as usize;
    let need_classes = rule.distinct_classes as usize;
    let counted_classes = classes(&counted);
    let episode_ok = |ts: &[&Trial]| {
        rule.episode != EpisodeScope::AtLeastOne || ts.iter().any(|t| t.data.current_episode)
    };
    let met =
        counted.len() >= need && counted_classes.len() >= need_classes && episode_ok(&counted);
    let all: Vec<&Trial> = counted.iter().chain(possible.iter()).copied().collect();
    let could = all.len() >= need && classes(&all).len() >= need_classes && episode_ok(&all);
    let mut lines = Vec::new();
    lines.push(format!(
        "{} of {need} counted{}",
        counted.len(),
        if need_classes > 1 {
            format!(
                ", {} of {need_classes} classes ({})",
                counted_classes.len(),
                counted_classes
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        }
    ));
    if rule.episode == EpisodeScope::AtLeastOne && !counted.is_empty() && !episode_ok(&counted) {
        lines.push(
            "None of the counted trials is in the current episode; the policy needs at least one"
                .into(),
        );
    }
    // Same-class trials count once toward distinct classes: say so.
    if need_classes > 1 {
        for cl in &counted_classes {
            let same: Vec<&str> = counted
                .iter()
                .filter(|t| t.class == Some(*cl))
                .map(|t| t.data.drug_name.as_str())
                .collect();
            if same.len() > 1 {
                lines.push(format!(
                    "{} are all {}: one class",
                    same.join(" and "),
                    cl.label()
                ));
            }
        }
    }
    for (ch, t) in &checks {
        lines.push(format!(
            "{} ({}): {} — {}",
            t.data.drug_name,
            class_label(t),
            match ch.status {
                Status::Met => "counts",
                Status::Insufficient => "may count",
                _ => "does not count",
            },
            ch.reasons.join("; ")
        ));
    }
    if relevant.is_empty() {
        lines.push(format!("No {what}s are recorded"));
    }
    let explanation = lines.join(". ") + ".";
    // A met criterion cites only the trials that counted.
    let evidence: Vec<Evidence> = if met {
        counted.iter().map(|t| trial_evidence(t)).collect()
    } else {
        counted
            .iter()
            .chain(possible.iter())
            .map(|t| trial_evidence(t))
            .collect()
    };
    let trial_checks: Vec<TrialCheck> = checks.into_iter().map(|(c, _)| c).collect();
    let result = if met {
        c.result(Status::Met, explanation, None, evidence)
    } else if could {
        let fixes: Vec<String> = trial_checks
            .iter()
            .filter(|c| c.status == Status::Insufficient)
            .filter_map(|c| {
                facts.trials.iter().find(|t| t.id == c.trial_id).map(|t| {
                    format!(
                        "{}: {}",
                        t.data.drug_name,
                        c.reasons
                            .iter()
                            .filter(|r| r.contains("not recorded")
                                || r.contains("partial")
                                || r.contains("not named")
                                || r.contains("no dose")
                                || r.contains("no minimum"))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })
            })
            .collect();
        CriterionResult {
            decides_eligibility: false,
            ..c.result(
                Status::Insufficient,
                explanation,
                Some(format!(
                    "Complete the trial records — {}",
                    fixes.join(" | ")
                )),
                evidence,
            )
        }
    } else {
        c.result(
            Status::NotMet,
            explanation,
            Some(format!(
                "If the patient had other {what}s (outside records, pharmacy history), add them with dates, doses and outcome"
            )),
            evidence,
        )
    };
    (result, trial_checks)
}

fn psychotherapy(facts: &PaFacts, rule: &PsychotherapyRule) -> CriterionResult {
    let mut label = "An adequate trial of psychotherapy".to_string();
    if !rule.modalities.is_empty() {
        label.push_str(&format!(" ({})", rule.modalities.join(", ").to_uppercase()));
    }
    if let Some(n) = rule.min_sessions {
        label.push_str(&format!(", at least {n} sessions"));
    }
    if rule.current_episode {
        label.push_str(", in the current episode");
    }
    let c = Crit::new("psychotherapy", label, &rule.provenance).eligibility();
    let mut best = Status::NotMet;
    let mut ev = Vec::new();
    let mut lines = Vec::new();
    for r in facts.records() {
        let RecordBody::Psychotherapy(p) = &r.body else {
            continue;
        };
        let modality = p.modality.map(|m| {
            serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        });
        let name = p
            .modality
            .map(|m| m.label().to_string())
            .or_else(|| p.modality_other.clone())
            .unwrap_or_else(|| "Psychotherapy".into());
        let mut s = Status::Met;
        let mut why = Vec::new();
        if !rule.modalities.is_empty()
            && !modality
                .as_ref()
                .is_some_and(|m| rule.modalities.contains(m))
        {
            s = Status::NotMet;
            why.push("not a modality this policy lists".to_string());
        }
        match p.outcome {
            Some(TherapyOutcome::Response) | Some(TherapyOutcome::Remission) => {
                s = Status::worst(s, Status::NotMet);
                why.push("the patient responded".into());
            }
            None | Some(TherapyOutcome::Unknown) => {
                s = Status::worst(s, Status::Insufficient);
                why.push("outcome not recorded".into());
            }
            _ => {}
        }
        if let Some(n) = rule.min_sessions {
            match p
                .sessions
                .as_deref()
                .and_then(|x| x.trim().parse::<u32>().ok())
            {
                Some(k) if k >= n => why.push(format!("{k} sessions")),
                Some(k) => {
                    s = Status::worst(s, Status::NotMet);
                    why.push(format!("{k} sessions (the policy needs {n})"));
                }
                None => {
                    s = Status::worst(s, Status::Insufficient);
                    why.push("number of sessions not recorded".into());
                }
            }
        }
        if rule.current_episode && !p.current_episode {
            s = Status::worst(s, Status::NotMet);
            why.push("not in the current episode".into());
        }
        lines.push(format!(
            "{name} from {}: {}{}",
            show_partial(&p.start),
            match s {
                Status::Met => "counts",
                Status::Insufficient => "may count",
                _ => "does not count",
            },
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join("; "))
            }
        ));
        if s != Status::NotMet {
            ev.push(evidence_of(
                EvidenceKind::Psychotherapy,
                r,
                format!("{name} from {}", show_partial(&p.start)),
            ));
        }
        best = match (best, s) {
            (_, Status::Met) | (Status::Met, _) => Status::Met,
            (_, Status::Insufficient) | (Status::Insufficient, _) => Status::Insufficient,
            _ => Status::NotMet,
        };
    }
    if lines.is_empty() {
        return CriterionResult {
            decides_eligibility: false,
            ..c.result(
                Status::Insufficient,
                "No psychotherapy is recorded.",
                Some("Record the psychotherapy course (modality, dates, sessions, therapist, outcome) if there was one".into()),
                ev,
            )
        };
    }
    let fix = match best {
        Status::Insufficient => {
            Some("Complete the psychotherapy record (outcome, number of sessions)".to_string())
        }
        _ => Some("Record any other psychotherapy course the patient completed".to_string()),
    };
    CriterionResult {
        decides_eligibility: best == Status::NotMet,
        ..c.result(best, lines.join(". ") + ".", fix, ev)
    }
}
