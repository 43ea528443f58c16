//! Checks the billing lines of one session against the reference and the session's facts.
//!
//! Every problem is a field error: `billing` for the list as a whole, `billing.N.code`,
//! `billing.N.units`, `billing.N.ndc` or `billing.N.modifier` for line N (from 0). An empty list
//! is allowed (a self-pay session may bill nothing).

use super::reference::{ndc_11, BillingCode, BillingReference, PayerScope, UnitRule};
use super::suggest::additional_infusion_hours;
use super::{BillingFacts, BillingLine, BillingModality};
use crate::validation::ValidationErrors;

/// More lines than any session needs.
pub const MAX_LINES: usize = 20;
const MAX_UNITS: u32 = 999;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

fn mg(dose: f64) -> String {
    format!("{dose} mg")
}

fn either(codes: &[String]) -> String {
    match codes {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

pub fn check(
    reference: &BillingReference,
    facts: &BillingFacts,
    lines: &[BillingLine],
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if lines.len() > MAX_LINES {
        errors.add(
            "billing",
            format!("A session can have at most {MAX_LINES} billing lines"),
        );
        return errors.into_result();
    }
    let codes: Vec<String> = lines
        .iter()
        .map(|l| l.code.trim().to_ascii_uppercase())
        .collect();
    for (i, line) in lines.iter().enumerate() {
        check_line(reference, facts, &codes, i, line, &mut errors);
    }
    errors.into_result()
}

fn check_line(
    reference: &BillingReference,
    facts: &BillingFacts,
    codes: &[String],
    i: usize,
    line: &BillingLine,
    errors: &mut ValidationErrors,
) {
    let code_field = format!("billing.{i}.code");
    let units_field = format!("billing.{i}.units");
    let code = codes[i].as_str();

    if line.units == 0 || line.units > MAX_UNITS {
        errors.add(&units_field, format!("Units must be from 1 to {MAX_UNITS}"));
    }
    check_modifier(line, i, errors);
    let ndc = line.ndc.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = ndc {
        if ndc_11(n).is_none() {
            errors.add(
                &format!("billing.{i}.ndc"),
                "The NDC must be 10 or 11 digits in groups of 4-4-2, 5-3-2, 5-4-1 or 5-4-2 \
                 (for example 50458-028-02)",
            );
        }
    }

    if code.is_empty() {
        errors.add(&code_field, "Enter a billing code");
        return;
    }
    let Some(c) = reference.code(code) else {
        errors.add(
            &code_field,
            format!("{code} is not a billing code KetaChart knows"),
        );
        return;
    };
    if codes[..i].iter().any(|x| x == code) {
        errors.add(
            &code_field,
            format!("{code} is listed twice; put all its units on one line"),
        );
        return;
    }

    if !c.applies_to(facts.modality) {
        let for_what: Vec<String> = c.modalities.iter().map(|m| m.label().to_string()).collect();
        errors.add(
            &code_field,
            format!(
                "{code} is billed for {} sessions, not {}",
                either(&for_what),
                facts.modality.label()
            ),
        );
    }
    check_dates(reference, facts, c, &code_field, errors);
    match c.payer {
        _ if c.payer.allows(facts.payer) => {}
        PayerScope::Medicare => {
            errors.add(&code_field, format!("{code} is billed to Medicare only"))
        }
        PayerScope::Commercial | PayerScope::Any => {
            errors.add(&code_field, format!("{code} is not billed to Medicare"))
        }
    }
    if let Some(first) = codes[..i].iter().find(|x| reference.excluded(code, x)) {
        errors.add(
            &code_field,
            format!("{first} cannot be billed with {code} on the same session"),
        );
    }
    if !c.add_on_to.is_empty() && !codes.iter().any(|x| c.add_on_to.contains(x)) {
        errors.add(
            &code_field,
            format!(
                "{code} is an add-on code: bill it with {}",
                either(&c.add_on_to)
            ),
        );
    }
    if c.once_per_course && facts.initial_mapping_billed_in_course {
        let instead = if c.applies_to(BillingModality::Tms) {
            "; bill 90869 for a new motor threshold"
        } else {
            ""
        };
        errors.add(
            &code_field,
            format!(
                "{code} is billed once per treatment course and this course already has it{instead}"
            ),
        );
    }
    check_dose_band(reference, facts, c, &code_field, errors);
    check_minutes(facts, c, &code_field, errors);
    if (1..=MAX_UNITS).contains(&line.units) {
        check_units(facts, c, line.units, &units_field, errors);
    }
    check_ndc(facts, c, ndc, i, errors);
}

fn check_modifier(line: &BillingLine, i: usize, errors: &mut ValidationErrors) {
    let Some(m) = line
        .modifier
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return;
    };
    if m.len() != 2 || !m.bytes().all(|b| b.is_ascii_alphanumeric()) {
        errors.add(
            &format!("billing.{i}.modifier"),
            "A modifier is 2 letters or digits (for example 25)",
        );
    }
}

fn check_dates(
    reference: &BillingReference,
    facts: &BillingFacts,
    c: &BillingCode,
    field: &str,
    errors: &mut ValidationErrors,
) {
    let date = facts.service_date;
    if let Some(to) = c.effective_to.filter(|to| date > *to) {
        let instead = c
            .replaced_by
            .as_deref()
            .map(|r| format!("; use {r}"))
            .unwrap_or_default();
        errors.add(
            field,
            format!("{} was discontinued on {}{instead}", c.code, day(to)),
        );
    }
    if let Some(from) = c.effective_from.filter(|from| date < *from) {
        let instead = reference
            .predecessor_of(&c.code)
            .map(|p| format!("; use {} before then", p.code))
            .unwrap_or_default();
        errors.add(
            field,
            format!("{} can be billed from {}{instead}", c.code, day(from)),
        );
    }
}

/// G2082 up to 56 mg, G2083 above.
fn check_dose_band(
    reference: &BillingReference,
    facts: &BillingFacts,
    c: &BillingCode,
    field: &str,
    errors: &mut ValidationErrors,
) {
    if !c.has_dose_band() {
        return;
    }
    let Some(dose) = facts.dose_mg else {
        errors.add(
            field,
            format!(
                "{} depends on the dose: record the session's dose first",
                c.code
            ),
        );
        return;
    };
    if c.dose_fits(dose) {
        return;
    }
    let band = match (c.dose_up_to_mg, c.dose_over_mg) {
        (Some(max), None) => format!("doses up to {}", mg(max)),
        (None, Some(min)) => format!("doses over {}", mg(min)),
        (Some(max), Some(min)) => format!("doses over {} and up to {}", mg(min), mg(max)),
        (None, None) => String::new(),
    };
    let instead = reference
        .codes
        .iter()
        .find(|o| {
            o.code != c.code
                && o.has_dose_band()
                && o.dose_fits(dose)
                && o.payer == c.payer
                && o.modalities == c.modalities
        })
        .map(|o| format!(": use {}", o.code))
        .unwrap_or_default();
    errors.add(
        field,
        format!(
            "{} is for {band}; this session's dose is {}{instead}",
            c.code,
            mg(dose)
        ),
    );
}

/// 96365 needs at least 16 minutes of infusion.
fn check_minutes(
    facts: &BillingFacts,
    c: &BillingCode,
    field: &str,
    errors: &mut ValidationErrors,
) {
    let (Some(min), Some(m)) = (c.min_minutes, facts.infusion_minutes) else {
        return;
    };
    if m < min {
        let push = if facts.modality == BillingModality::IvKetamine {
            " (a shorter one is an IV push, 96374)"
        } else {
            ""
        };
        errors.add(
            field,
            format!(
                "{} needs an infusion of at least {min} minutes; this one lasted {m}{push}",
                c.code
            ),
        );
    }
}

fn check_units(
    facts: &BillingFacts,
    c: &BillingCode,
    units: u32,
    field: &str,
    errors: &mut ValidationErrors,
) {
    let code = &c.code;
    match c.unit {
        UnitRule::PerSession if units != 1 => {
            errors.add(field, format!("{code} is billed once per session (1 unit)"))
        }
        UnitRule::PerMg => match facts.dose_mg {
            None => errors.add(
                field,
                format!("{code} is billed one unit per mg: record the session's dose first"),
            ),
            Some(dose) if dose.fract() != 0.0 => errors.add(
                field,
                format!(
                    "{code} is billed one unit per whole mg; a {} dose cannot be billed as is",
                    mg(dose)
                ),
            ),
            Some(dose) if f64::from(units) != dose => errors.add(
                field,
                format!(
                    "{code} is billed one unit per mg: a {} dose is {dose} units, not {units}",
                    mg(dose)
                ),
            ),
            Some(_) => {}
        },
        UnitRule::PerAdditionalHour => {
            if let Some(m) = facts.infusion_minutes {
                let allowed = additional_infusion_hours(m);
                if allowed == 0 {
                    errors.add(
                        field,
                        format!(
                            "A {m}-minute infusion has no additional hour to bill: {code} needs \
                             more than 90 minutes"
                        ),
                    );
                } else if units > allowed {
                    errors.add(
                        field,
                        format!(
                            "A {m}-minute infusion allows {allowed} unit{} of {code}",
                            if allowed == 1 { "" } else { "s" }
                        ),
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(max) = c.max_units.filter(|max| units > *max) {
        errors.add(
            field,
            format!("{code} allows at most {max} units per session"),
        );
    }
}

fn check_ndc(
    facts: &BillingFacts,
    c: &BillingCode,
    ndc: Option<&str>,
    i: usize,
    errors: &mut ValidationErrors,
) {
    let field = format!("billing.{i}.ndc");
    let Some(ndc) = ndc else {
        if c.requires_ndc {
            errors.add(
                &field,
                format!("{} needs the drug's NDC (from the vial or kit)", c.code),
            );
        }
        return;
    };
    let (Some(given), Some(dose)) = (ndc_11(ndc), facts.dose_mg) else {
        return;
    };
    let kit = c
        .ndcs
        .iter()
        .find(|p| ndc_11(&p.ndc).as_deref() == Some(given.as_str()));
    if let Some(kit) = kit {
        if kit.dose_mg.is_some_and(|k| k != dose) {
            errors.add(
                &field,
                format!(
                    "{ndc} is the {}; this session's dose is {}",
                    kit.label,
                    mg(dose)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::billing::{bundled, suggest, MtDetermination, PayerClass};

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

    fn line(code: &str, units: u32) -> BillingLine {
        BillingLine::new(code, units)
    }

    fn with_ndc(code: &str, units: u32, ndc: &str) -> BillingLine {
        BillingLine {
            ndc: Some(ndc.to_string()),
            ..line(code, units)
        }
    }

    /// The errors as (field, message).
    fn errs(f: &BillingFacts, lines: &[BillingLine]) -> Vec<(String, String)> {
        match check(bundled().unwrap(), f, lines) {
            Ok(()) => vec![],
            Err(e) => e.0.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    fn ok(f: &BillingFacts, lines: &[BillingLine]) {
        assert_eq!(errs(f, lines), vec![], "{lines:?}");
    }

    /// Exactly one error, on `field`, whose message contains `part`.
    fn refused(f: &BillingFacts, lines: &[BillingLine], field: &str, part: &str) {
        let e = errs(f, lines);
        assert!(
            e.len() == 1 && e[0].0 == field && e[0].1.contains(part),
            "expected one error on {field} containing {part:?}, got {e:?}"
        );
    }

    #[test]
    fn an_empty_list_is_allowed() {
        ok(
            &facts(BillingModality::IvKetamine, PayerClass::SelfPay),
            &[],
        );
        ok(&facts(BillingModality::Spravato, PayerClass::Medicare), &[]);
    }

    #[test]
    fn unknown_and_blank_codes() {
        let f = facts(BillingModality::Tms, PayerClass::Commercial);
        refused(
            &f,
            &[line("J0222", 1)],
            "billing.0.code",
            "J0222 is not a billing code",
        );
        refused(
            &f,
            &[line(" ", 1)],
            "billing.0.code",
            "Enter a billing code",
        );
        // Case and spaces do not matter.
        ok(&f, &[line(" 90868 ", 1)]);
    }

    #[test]
    fn a_code_of_another_treatment_is_refused() {
        let f = facts(BillingModality::Spravato, PayerClass::Commercial);
        refused(
            &f,
            &[line("90868", 1)],
            "billing.0.code",
            "90868 is billed for TMS sessions, not Spravato",
        );
        let f = facts(BillingModality::Tms, PayerClass::Commercial);
        refused(&f, &[line("96365", 1)], "billing.0.code", "IV ketamine");
    }

    #[test]
    fn s0013_ends_on_31_dec_2025_and_j0013_starts_on_1_jan_2026() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(56.0);
        let s = with_ndc("S0013", 56, "50458-028-02");
        let j = with_ndc("J0013", 56, "50458-028-02");
        f.service_date = d(2025, 12, 31);
        ok(&f, std::slice::from_ref(&s));
        refused(
            &f,
            std::slice::from_ref(&j),
            "billing.0.code",
            "J0013 can be billed from 01-Jan-2026; use S0013 before then",
        );
        f.service_date = d(2026, 1, 1);
        ok(&f, &[j]);
        refused(
            &f,
            &[s],
            "billing.0.code",
            "S0013 was discontinued on 31-Dec-2025; use J0013",
        );
    }

    #[test]
    fn medicare_only_and_non_medicare_codes() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(56.0);
        refused(
            &f,
            &[line("G2082", 1)],
            "billing.0.code",
            "G2082 is billed to Medicare only",
        );
        f.payer = PayerClass::SelfPay;
        refused(&f, &[line("G2082", 1)], "billing.0.code", "Medicare only");
        ok(&f, &[with_ndc("J0013", 56, "50458-028-02")]);
        f.payer = PayerClass::Medicare;
        ok(&f, &[line("G2082", 1)]);
        refused(
            &f,
            &[with_ndc("J0013", 56, "50458-028-02")],
            "billing.0.code",
            "J0013 is not billed to Medicare",
        );
        refused(
            &f,
            &[line("99214", 1), line("99417", 1)],
            "billing.1.code",
            "99417 is not billed to Medicare",
        );
        ok(&f, &[line("99214", 1), line("G2212", 1)]);
    }

    #[test]
    fn excluded_pairs_are_refused() {
        let f = facts(BillingModality::Tms, PayerClass::Commercial);
        refused(
            &f,
            &[line("90867", 1), line("90868", 1)],
            "billing.1.code",
            "90867 cannot be billed with 90868 on the same session",
        );
        refused(
            &f,
            &[line("90868", 1), line("90869", 1)],
            "billing.1.code",
            "90868 cannot be billed with 90869",
        );
        refused(
            &f,
            &[line("90869", 1), line("90867", 1)],
            "billing.1.code",
            "90869 cannot be billed with 90867",
        );

        let mut f = facts(BillingModality::Spravato, PayerClass::Medicare);
        f.dose_mg = Some(56.0);
        refused(
            &f,
            &[line("G2082", 1), line("99213", 1)],
            "billing.1.code",
            "G2082 cannot be billed with 99213",
        );
        refused(
            &f,
            &[line("99214", 1), line("G2212", 1), line("G2082", 1)],
            "billing.2.code",
            "99214 cannot be billed with G2082",
        );
        let e = errs(&f, &[line("G2082", 1), line("G2083", 1)]);
        assert!(
            e.iter()
                .any(|(_, m)| m.contains("G2082 cannot be billed with G2083")),
            "{e:?}"
        );
    }

    #[test]
    fn an_add_on_needs_its_primary() {
        let mut f = facts(BillingModality::IvKetamine, PayerClass::Commercial);
        f.infusion_minutes = Some(130);
        refused(
            &f,
            &[line("96366", 1)],
            "billing.0.code",
            "96366 is an add-on code: bill it with 96365",
        );
        ok(&f, &[line("96366", 1), line("96365", 1)]);

        let f = facts(BillingModality::Spravato, PayerClass::Commercial);
        refused(
            &f,
            &[line("99415", 1)],
            "billing.0.code",
            "bill it with 99212, 99213, 99214 or 99215",
        );
        refused(
            &f,
            &[line("99214", 1), line("99416", 2)],
            "billing.1.code",
            "with 99415",
        );
        ok(&f, &[line("99214", 1), line("99415", 1), line("99416", 2)]);
    }

    #[test]
    fn initial_mapping_is_billed_once_per_course() {
        let mut f = facts(BillingModality::Tms, PayerClass::Commercial);
        f.mt_determination = MtDetermination::Initial;
        ok(&f, &[line("90867", 1)]);
        f.initial_mapping_billed_in_course = true;
        refused(
            &f,
            &[line("90867", 1)],
            "billing.0.code",
            "90867 is billed once per treatment course and this course already has it; bill 90869",
        );
        ok(&f, &[line("90869", 1)]);
    }

    #[test]
    fn g_codes_follow_the_dose() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Medicare);
        f.dose_mg = Some(56.0);
        ok(&f, &[line("G2082", 1)]);
        refused(
            &f,
            &[line("G2083", 1)],
            "billing.0.code",
            "G2083 is for doses over 56 mg; this session's dose is 56 mg: use G2082",
        );
        f.dose_mg = Some(84.0);
        ok(&f, &[line("G2083", 1)]);
        refused(
            &f,
            &[line("G2082", 1)],
            "billing.0.code",
            "G2082 is for doses up to 56 mg; this session's dose is 84 mg: use G2083",
        );
        f.dose_mg = None;
        refused(
            &f,
            &[line("G2082", 1)],
            "billing.0.code",
            "record the session's dose",
        );
    }

    #[test]
    fn drug_units_are_the_dose_in_mg() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(84.0);
        ok(&f, &[with_ndc("J0013", 84, "50458-028-03")]);
        refused(
            &f,
            &[with_ndc("J0013", 56, "50458-028-03")],
            "billing.0.units",
            "a 84 mg dose is 84 units, not 56",
        );
        refused(
            &f,
            &[with_ndc("J0013", 1, "50458-028-03")],
            "billing.0.units",
            "one unit per mg",
        );
        f.dose_mg = None;
        refused(
            &f,
            &[with_ndc("J0013", 84, "50458-028-03")],
            "billing.0.units",
            "record the session's dose",
        );
        f.dose_mg = Some(84.0);
        f.service_date = d(2025, 6, 1);
        refused(
            &f,
            &[with_ndc("S0013", 85, "50458-028-03")],
            "billing.0.units",
            "not 85",
        );
    }

    #[test]
    fn ndc_required_and_well_formed() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(56.0);
        refused(
            &f,
            &[line("J0013", 56)],
            "billing.0.ndc",
            "J0013 needs the drug's NDC",
        );
        refused(
            &f,
            &[with_ndc("J0013", 56, "   ")],
            "billing.0.ndc",
            "needs the drug's NDC",
        );
        refused(
            &f,
            &[with_ndc("J0013", 56, "50458-28-02")],
            "billing.0.ndc",
            "10 or 11 digits",
        );
        // The 11-digit billing form is accepted.
        ok(&f, &[with_ndc("J0013", 56, "50458002802")]);
        refused(
            &f,
            &[with_ndc("J0013", 56, "50458-028-03")],
            "billing.0.ndc",
            "84 mg kit",
        );

        let mut f = facts(BillingModality::IvKetamine, PayerClass::SelfPay);
        f.infusion_minutes = Some(40);
        refused(
            &f,
            &[line("96365", 1), line("J3490", 1)],
            "billing.1.ndc",
            "J3490 needs the drug's NDC",
        );
        ok(
            &f,
            &[line("96365", 1), with_ndc("J3490", 1, "0409-2051-05")],
        );
        // An NDC on a code that needs none is still checked.
        refused(
            &f,
            &[with_ndc("96365", 1, "12")],
            "billing.0.ndc",
            "10 or 11 digits",
        );
    }

    #[test]
    fn unit_limits() {
        let f = facts(BillingModality::Tms, PayerClass::Commercial);
        refused(&f, &[line("90868", 0)], "billing.0.units", "from 1 to 999");
        refused(
            &f,
            &[line("90868", 1000)],
            "billing.0.units",
            "from 1 to 999",
        );
        refused(
            &f,
            &[line("90868", 2)],
            "billing.0.units",
            "once per session (1 unit)",
        );

        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(56.0);
        ok(
            &f,
            &[
                with_ndc("J0013", 56, "50458-028-02"),
                line("99215", 1),
                line("99417", 4),
            ],
        );
        refused(
            &f,
            &[line("99215", 1), line("99417", 5)],
            "billing.1.units",
            "at most 4 units",
        );
        f.dose_mg = Some(999.0);
        refused(
            &f,
            &[with_ndc("J0013", 1000, "50458-028-09")],
            "billing.0.units",
            "from 1 to 999",
        );
    }

    #[test]
    fn infusion_time_boundaries() {
        let mut f = facts(BillingModality::IvKetamine, PayerClass::Commercial);
        let vial = with_ndc("J3490", 1, "42023-0113-10");
        f.infusion_minutes = Some(15);
        refused(
            &f,
            &[line("96365", 1), vial.clone()],
            "billing.0.code",
            "96365 needs an infusion of at least 16 minutes; this one lasted 15 \
             (a shorter one is an IV push, 96374)",
        );
        ok(&f, &[line("96374", 1), vial.clone()]);
        f.infusion_minutes = Some(16);
        ok(&f, &[line("96365", 1), vial.clone()]);
        f.infusion_minutes = Some(90);
        refused(
            &f,
            &[line("96365", 1), line("96366", 1), vial.clone()],
            "billing.1.units",
            "A 90-minute infusion has no additional hour to bill: 96366 needs more than 90 minutes",
        );
        f.infusion_minutes = Some(91);
        ok(&f, &[line("96365", 1), line("96366", 1), vial.clone()]);
        refused(
            &f,
            &[line("96365", 1), line("96366", 2), vial.clone()],
            "billing.1.units",
            "A 91-minute infusion allows 1 unit of 96366",
        );
        f.infusion_minutes = Some(151);
        ok(&f, &[line("96365", 1), line("96366", 2), vial]);
    }

    #[test]
    fn duplicate_lines_and_too_many_lines() {
        let f = facts(BillingModality::Tms, PayerClass::Commercial);
        refused(
            &f,
            &[line("90868", 1), line("90868", 1)],
            "billing.1.code",
            "90868 is listed twice",
        );
        let many = vec![line("90868", 1); MAX_LINES + 1];
        refused(&f, &many, "billing", "at most 20 billing lines");
    }

    #[test]
    fn modifiers() {
        let mut f = facts(BillingModality::IvKetamine, PayerClass::Commercial);
        f.infusion_minutes = Some(40);
        let em = |m: &str| BillingLine {
            modifier: Some(m.to_string()),
            ..line("99213", 1)
        };
        ok(&f, &[line("96365", 1), em("25")]);
        ok(&f, &[line("96365", 1), em("")]);
        refused(
            &f,
            &[line("96365", 1), em("2-5")],
            "billing.1.modifier",
            "2 letters or digits",
        );
    }

    #[test]
    fn problems_on_several_lines_are_all_reported() {
        let mut f = facts(BillingModality::Spravato, PayerClass::Commercial);
        f.dose_mg = Some(84.0);
        f.service_date = d(2026, 2, 1);
        let e = errs(&f, &[line("S0013", 56), line("G2083", 1), line("90868", 0)]);
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        for want in [
            "billing.0.code",
            "billing.0.units",
            "billing.0.ndc",
            "billing.1.code",
            "billing.2.code",
            "billing.2.units",
        ] {
            assert!(fields.contains(&want), "{want} missing from {e:?}");
        }
    }

    /// Every suggestion passes the check once a person has entered what the notes ask for
    /// (an NDC the reference cannot know: the ketamine vial's, or a kit for an unusual dose).
    fn suggestion_passes(r: &BillingReference, f: &BillingFacts) {
        let s = suggest(r, f);
        let mut lines = s.lines;
        for l in &mut lines {
            if r.code(&l.code).unwrap().requires_ndc && l.ndc.is_none() {
                assert!(
                    s.notes.iter().any(|n| n.contains("NDC")),
                    "{f:?}: no note asks for the NDC"
                );
                l.ndc = Some("0409-2051-05".to_string());
            }
        }
        assert_eq!(check(r, f, &lines), Ok(()), "{f:?} {lines:?}");
    }

    #[test]
    fn suggestions_pass_the_check() {
        let r = bundled().unwrap();
        let modalities = [
            BillingModality::IvKetamine,
            BillingModality::ImKetamine,
            BillingModality::Spravato,
            BillingModality::Tms,
        ];
        let payers = [
            PayerClass::Medicare,
            PayerClass::Commercial,
            PayerClass::SelfPay,
        ];
        let doses = [None, Some(28.0), Some(56.0), Some(84.0)];
        let minutes = [10, 15, 16, 90, 91, 150, 151, 240].map(Some);
        let mts = [
            MtDetermination::None,
            MtDetermination::Initial,
            MtDetermination::Redetermination,
        ];
        let mut n = 0;
        for (modality, payer) in modalities
            .iter()
            .flat_map(|m| payers.iter().map(move |p| (*m, *p)))
        {
            for (date, dose) in [d(2025, 12, 31), d(2026, 1, 1)]
                .iter()
                .flat_map(|date| doses.iter().map(move |dose| (*date, *dose)))
            {
                for (infusion, mt) in minutes
                    .iter()
                    .chain([None].iter())
                    .flat_map(|m| mts.iter().map(move |mt| (*m, *mt)))
                {
                    for flags in 0..4u8 {
                        let f = BillingFacts {
                            modality,
                            payer,
                            service_date: date,
                            dose_mg: dose,
                            infusion_minutes: infusion,
                            mt_determination: mt,
                            initial_mapping_billed_in_course: flags & 1 != 0,
                            established_patient: flags & 2 != 0,
                        };
                        suggestion_passes(r, &f);
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 4 * 3 * 2 * 4 * 9 * 3 * 4);
    }
}
