//! The lines a session would normally be billed with, and notes for what a person must decide.
//!
//! A suggestion never guesses: no E/M level, no vial NDC. Whatever the biller keeps or changes
//! goes through [`super::check`].

use serde::Serialize;

use super::reference::{BillingCode, BillingReference, PayerScope, UnitRule};
use super::{BillingFacts, BillingLine, BillingModality, MtDetermination, PayerClass};

/// Minutes of the first infusion hour (96365).
const FIRST_HOUR_MINUTES: u32 = 60;
/// A final part-hour of infusion counts as an additional hour only when longer than this.
const PART_HOUR_COUNTS_OVER_MINUTES: u32 = 30;
/// When the reference gives 96365 no minimum.
const DEFAULT_MIN_INFUSION_MINUTES: u32 = 16;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Suggestion {
    pub lines: Vec<BillingLine>,
    pub notes: Vec<String>,
}

/// Units of 96366 for an infusion of `minutes`: one per full hour beyond the first, plus one for
/// a final part-hour longer than 30 minutes (so nothing up to 90 minutes, 1 from 91).
pub fn additional_infusion_hours(minutes: u32) -> u32 {
    let beyond = minutes.saturating_sub(FIRST_HOUR_MINUTES);
    beyond / 60 + u32::from(beyond % 60 > PART_HOUR_COUNTS_OVER_MINUTES)
}

pub fn suggest(reference: &BillingReference, facts: &BillingFacts) -> Suggestion {
    let mut s = Suggestion::default();
    match facts.modality {
        BillingModality::Spravato if facts.payer == PayerClass::Medicare => {
            spravato_medicare(reference, facts, &mut s)
        }
        BillingModality::Spravato => spravato_drug_and_visit(reference, facts, &mut s),
        BillingModality::IvKetamine => iv_ketamine(reference, facts, &mut s),
        BillingModality::ImKetamine => im_ketamine(reference, &mut s),
        BillingModality::Tms => tms(facts, &mut s),
    }
    if matches!(
        facts.modality,
        BillingModality::IvKetamine | BillingModality::ImKetamine
    ) && facts.payer != PayerClass::SelfPay
    {
        s.notes.push(
            "Most payers treat ketamine for depression as experimental: check this payer's \
             policy (and prior authorization) before billing."
                .to_string(),
        );
    }
    if facts.payer == PayerClass::SelfPay {
        s.notes.push(
            "Self-pay: superbill. Give the patient a superbill with these codes; they may \
             claim it from their insurer."
                .to_string(),
        );
    }
    s
}

/// Medicare: one G-code covers supervision, drug and observation, by dose band.
fn spravato_medicare(reference: &BillingReference, facts: &BillingFacts, s: &mut Suggestion) {
    if !facts.established_patient {
        s.notes.push(
            "G2082 and G2083 are for established patients only: bill a new-patient E/M visit \
             instead, at the level documented (time or decision making)."
                .to_string(),
        );
        return;
    }
    let Some(dose) = facts.dose_mg else {
        s.notes
            .push("Record the dose (56 or 84 mg) to choose between G2082 and G2083.".to_string());
        return;
    };
    let code = reference.codes.iter().find(|c| {
        c.applies_to(BillingModality::Spravato)
            && c.payer == PayerScope::Medicare
            && c.has_dose_band()
            && c.dose_fits(dose)
            && c.in_effect(facts.service_date)
    });
    match code {
        Some(c) => {
            s.lines.push(BillingLine::new(&c.code, 1));
            s.notes.push(format!(
                "{} includes the drug, its supervision and the 2-hour observation; no separate \
                 E/M or prolonged-service code on the same day.",
                c.code
            ));
        }
        None => s.notes.push(format!(
            "No Medicare esketamine code in the reference fits a {dose} mg dose on this date."
        )),
    }
}

/// Every other payer (and self-pay): the drug per mg with the kit's NDC, plus an E/M visit
/// whose level a person chooses.
fn spravato_drug_and_visit(reference: &BillingReference, facts: &BillingFacts, s: &mut Suggestion) {
    let drug = reference.codes.iter().find(|c| {
        c.applies_to(BillingModality::Spravato)
            && c.unit == UnitRule::PerMg
            && c.payer.allows(facts.payer)
            && c.in_effect(facts.service_date)
    });
    match (drug, facts.dose_mg) {
        (None, _) => s.notes.push(format!(
            "No esketamine drug code in the reference is in effect on {}.",
            facts.service_date.format("%d-%b-%Y")
        )),
        (Some(c), None) => s.notes.push(format!(
            "Record the dose to bill {} (one unit per mg).",
            c.code
        )),
        (Some(c), Some(dose)) => drug_per_mg(c, dose, s),
    }
    if facts.established_patient {
        s.notes.push(
            "Choose the E/M level (99212-99215) from the visit's time or decision making and \
             add it as a line."
                .to_string(),
        );
    } else {
        s.notes
            .push("New patient: add a new-patient E/M visit at the level documented.".to_string());
    }
    s.notes.push(
        "When their time and supervision requirements are met, prolonged service can be added: \
         99417 with the E/M visit, or 99415/99416 for clinical staff monitoring."
            .to_string(),
    );
}

fn drug_per_mg(c: &BillingCode, dose: f64, s: &mut Suggestion) {
    if !((1.0..=999.0).contains(&dose) && dose.fract() == 0.0) {
        s.notes.push(format!(
            "{} is billed one unit per whole mg; a dose of {dose} mg cannot be billed as is.",
            c.code
        ));
        return;
    }
    let mut line = BillingLine::new(&c.code, dose as u32);
    match c.package_for_dose(dose) {
        Some(kit) => line.ndc = Some(kit.ndc.clone()),
        None => s.notes.push(format!(
            "Enter the NDC of the kit used on the {} line.",
            c.code
        )),
    }
    s.lines.push(line);
}

fn iv_ketamine(reference: &BillingReference, facts: &BillingFacts, s: &mut Suggestion) {
    let min = reference
        .code("96365")
        .and_then(|c| c.min_minutes)
        .unwrap_or(DEFAULT_MIN_INFUSION_MINUTES);
    match facts.infusion_minutes {
        None => s.notes.push(format!(
            "Record the infusion's start and stop times: {min} minutes or more is billed as \
             96365, less as an IV push (96374)."
        )),
        Some(m) if m >= min => {
            s.lines.push(BillingLine::new("96365", 1));
            let extra = additional_infusion_hours(m);
            if extra > 0 {
                s.lines.push(BillingLine::new("96366", extra));
            }
        }
        Some(m) => {
            s.lines.push(BillingLine::new("96374", 1));
            s.notes.push(format!(
                "A {m}-minute infusion is billed as an IV push (96374): an infusion (96365) \
                 needs at least {min} minutes."
            ));
        }
    }
    ketamine_vial(reference, s);
    s.notes.push(
        "A separately identifiable E/M visit on the same day is added with modifier 25."
            .to_string(),
    );
}

fn im_ketamine(reference: &BillingReference, s: &mut Suggestion) {
    s.lines.push(BillingLine::new("96372", 1));
    s.notes.push(
        "96372 (injection into a muscle) is unverified in KetaChart's reference: check it \
         with the payer."
            .to_string(),
    );
    ketamine_vial(reference, s);
}

/// J3490 with the NDC left for the person holding the vial.
fn ketamine_vial(reference: &BillingReference, s: &mut Suggestion) {
    s.lines.push(BillingLine::new("J3490", 1));
    let examples: Vec<String> = reference
        .code("J3490")
        .map(|c| {
            c.ndc_examples
                .iter()
                .map(|e| format!("{}-xx", e.product_code))
                .collect()
        })
        .unwrap_or_default();
    if examples.is_empty() {
        s.notes
            .push("Enter the vial's NDC on the J3490 line.".to_string());
    } else {
        s.notes.push(format!(
            "Enter the vial's NDC on the J3490 line (ketamine starts e.g. {}).",
            examples.join(" or ")
        ));
    }
}

fn tms(facts: &BillingFacts, s: &mut Suggestion) {
    let code = match facts.mt_determination {
        MtDetermination::Initial if !facts.initial_mapping_billed_in_course => "90867",
        MtDetermination::Initial => {
            s.notes.push(
                "Initial mapping (90867) was already billed in this course: a new motor \
                 threshold is billed as a re-determination (90869)."
                    .to_string(),
            );
            "90869"
        }
        MtDetermination::Redetermination => "90869",
        MtDetermination::None => "90868",
    };
    s.lines.push(BillingLine::new(code, 1));
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::billing::bundled;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn facts(modality: BillingModality, payer: PayerClass) -> BillingFacts {
        BillingFacts {
            modality,
            payer,
            service_date: d(2026, 3, 2),
            dose_mg: None,
            infusion_minutes: None,
            mt_determination: MtDetermination::None,
            initial_mapping_billed_in_course: false,
            established_patient: true,
        }
    }

    fn codes(s: &Suggestion) -> Vec<(&str, u32)> {
        s.lines.iter().map(|l| (l.code.as_str(), l.units)).collect()
    }

    fn has_note(s: &Suggestion, part: &str) -> bool {
        s.notes.iter().any(|n| n.contains(part))
    }

    #[test]
    fn additional_hours_boundaries() {
        for (m, units) in [
            (16, 0),
            (60, 0),
            (90, 0),
            (91, 1),
            (120, 1),
            (150, 1),
            (151, 2),
            (180, 2),
            (211, 3),
        ] {
            assert_eq!(additional_infusion_hours(m), units, "{m} minutes");
        }
    }

    #[test]
    fn spravato_medicare_picks_the_g_code_by_dose() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::Medicare);
        f.dose_mg = Some(56.0);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("G2082", 1)]);
        assert!(has_note(&s, "2-hour observation; no separate E/M"));
        f.dose_mg = Some(84.0);
        assert_eq!(codes(&suggest(r, &f)), [("G2083", 1)]);
        f.dose_mg = Some(28.0);
        assert_eq!(codes(&suggest(r, &f)), [("G2082", 1)]);
        f.dose_mg = Some(56.5);
        assert_eq!(codes(&suggest(r, &f)), [("G2083", 1)]);

        f.dose_mg = None;
        let s = suggest(r, &f);
        assert!(s.lines.is_empty() && has_note(&s, "Record the dose"));
    }

    #[test]
    fn a_new_medicare_patient_gets_an_e_m_note_not_a_g_code() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::Medicare);
        f.dose_mg = Some(56.0);
        f.established_patient = false;
        let s = suggest(r, &f);
        assert!(s.lines.is_empty());
        assert!(has_note(&s, "established patients only") && has_note(&s, "E/M"));
    }

    #[test]
    fn spravato_commercial_bills_the_drug_per_mg_with_the_kit_ndc() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(56.0);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("J0013", 56)]);
        assert_eq!(s.lines[0].ndc.as_deref(), Some("50458-028-02"));
        assert!(has_note(&s, "Choose the E/M level"));
        assert!(!s.lines.iter().any(|l| l.code.starts_with("992")));

        f.dose_mg = Some(84.0);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("J0013", 84)]);
        assert_eq!(s.lines[0].ndc.as_deref(), Some("50458-028-03"));

        f.established_patient = false;
        assert!(has_note(&suggest(r, &f), "new-patient E/M"));
    }

    #[test]
    fn the_drug_code_follows_the_service_date() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(84.0);
        f.service_date = d(2025, 12, 31);
        assert_eq!(codes(&suggest(r, &f)), [("S0013", 84)]);
        f.service_date = d(2026, 1, 1);
        assert_eq!(codes(&suggest(r, &f)), [("J0013", 84)]);
    }

    #[test]
    fn an_odd_spravato_dose_gets_no_kit_ndc_or_no_line() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(28.0);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("J0013", 28)]);
        assert_eq!(s.lines[0].ndc, None);
        assert!(has_note(&s, "NDC of the kit"));
        f.dose_mg = Some(56.5);
        let s = suggest(r, &f);
        assert!(s.lines.is_empty() && has_note(&s, "whole mg"));
        f.dose_mg = None;
        assert!(has_note(&suggest(r, &f), "Record the dose to bill J0013"));
    }

    #[test]
    fn self_pay_spravato_gets_the_commercial_lines_and_a_superbill_note() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Spravato, PayerClass::SelfPay);
        f.dose_mg = Some(56.0);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("J0013", 56)]);
        assert!(has_note(&s, "Self-pay: superbill"));
    }

    #[test]
    fn iv_infusion_time_boundaries() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::IvKetamine, PayerClass::Commercial);
        f.infusion_minutes = Some(15);
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("96374", 1), ("J3490", 1)]);
        assert!(has_note(&s, "IV push"));
        f.infusion_minutes = Some(16);
        assert_eq!(codes(&suggest(r, &f)), [("96365", 1), ("J3490", 1)]);
        f.infusion_minutes = Some(40);
        assert_eq!(codes(&suggest(r, &f)), [("96365", 1), ("J3490", 1)]);
        f.infusion_minutes = Some(90);
        assert_eq!(codes(&suggest(r, &f)), [("96365", 1), ("J3490", 1)]);
        f.infusion_minutes = Some(91);
        assert_eq!(
            codes(&suggest(r, &f)),
            [("96365", 1), ("96366", 1), ("J3490", 1)]
        );
        f.infusion_minutes = Some(151);
        assert_eq!(
            codes(&suggest(r, &f)),
            [("96365", 1), ("96366", 2), ("J3490", 1)]
        );
        f.infusion_minutes = None;
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("J3490", 1)]);
        assert!(has_note(&s, "start and stop times"));
    }

    #[test]
    fn the_ketamine_vial_ndc_is_left_to_the_person() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::IvKetamine, PayerClass::SelfPay);
        f.infusion_minutes = Some(40);
        let s = suggest(r, &f);
        let j = s.lines.iter().find(|l| l.code == "J3490").unwrap();
        assert_eq!(j.ndc, None);
        assert!(has_note(&s, "enter the vial's NDC") || has_note(&s, "Enter the vial's NDC"));
        assert!(has_note(&s, "42023-113-xx"));
        assert!(has_note(&s, "Self-pay: superbill"));
        assert!(!has_note(&s, "experimental"));
    }

    #[test]
    fn im_ketamine_is_an_injection_plus_the_drug() {
        let r = bundled().unwrap();
        let s = suggest(
            r,
            &facts(BillingModality::ImKetamine, PayerClass::Commercial),
        );
        assert_eq!(codes(&s), [("96372", 1), ("J3490", 1)]);
        assert!(has_note(&s, "unverified") && has_note(&s, "experimental"));
    }

    #[test]
    fn tms_codes_follow_the_motor_threshold_work() {
        let r = bundled().unwrap();
        let mut f = facts(BillingModality::Tms, PayerClass::Commercial);
        assert_eq!(codes(&suggest(r, &f)), [("90868", 1)]);
        f.mt_determination = MtDetermination::Initial;
        assert_eq!(codes(&suggest(r, &f)), [("90867", 1)]);
        f.initial_mapping_billed_in_course = true;
        let s = suggest(r, &f);
        assert_eq!(codes(&s), [("90869", 1)]);
        assert!(has_note(&s, "already billed"));
        f.mt_determination = MtDetermination::Redetermination;
        f.initial_mapping_billed_in_course = false;
        assert_eq!(codes(&suggest(r, &f)), [("90869", 1)]);
    }
}
