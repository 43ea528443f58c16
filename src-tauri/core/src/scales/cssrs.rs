//! C-SSRS screener: which questions are asked, and the triage level.
//!
//! Domain reference §3.1, C-SSRS Screener row, source [S44] (NINDS CDE C-SSRS Screener,
//! Millisecond C-SSRS manual, Blueprint C-SSRS (Screen) help):
//!
//! * 6 yes/no questions (recent = past month; question 6, behavior, lifetime with a past-3-months
//!   follow-up), clinician or self. No total.
//! * Branching: "if Q2 'no', skip Q3–5". Question 6 is always asked. Its follow-up "within the
//!   past 3 months?" (question `6a` here) is asked only when question 6 is yes.
//! * Triage: "Q1–2 yes → low; Q3 → moderate; Q4/Q5 → high; Q6 → moderate (lifetime) / high
//!   (≤3 mo)". The highest level reached wins. The reference notes the mapping is "partly from
//!   vendor guides — verify against Columbia triage card", so it ships as data
//!   (`triage.rules`, `verified: false`) that a clinic may correct, not as code.
//! * §7: "C-SSRS moderate/high → alert" (`triage.alertFrom`).
//!
//! Decision — an answer to a question that was not asked (e.g. question 4 answered while
//! question 2 is "no") is **refused**, not ignored: the two answers contradict each other, and
//! silently dropping a "yes" to a high-risk question could hide risk. The person entering the
//! answers must clear it or change question 2 (see `score.rs`, `AnswerProblem::NotAsked`).
//!
//! The branching is general (`askedIf` on any item) so the UI can show and hide questions as they
//! are answered with [`asked`]; today only the C-SSRS screener uses it.

use std::collections::BTreeMap;

use super::definition::{Instrument, Item, RiskLevel, TriageRules};

/// Whether `item` is asked, given the answers so far: it is unless it has a condition, and then
/// only if the question it depends on was itself asked and answered with the given value.
pub fn is_asked(instrument: &Instrument, item: &Item, answers: &BTreeMap<String, i32>) -> bool {
    match &item.asked_if {
        None => true,
        Some(cond) => {
            answers.get(&cond.item) == Some(&cond.equals)
                && instrument
                    .item(&cond.item)
                    .is_some_and(|parent| is_asked(instrument, parent, answers))
        }
    }
}

/// The questions to show, in order, given the answers so far.
pub fn asked<'a>(instrument: &'a Instrument, answers: &BTreeMap<String, i32>) -> Vec<&'a Item> {
    instrument
        .items
        .iter()
        .filter(|i| is_asked(instrument, i, answers))
        .collect()
}

/// A rule that matched: question `item` raised the level to `level`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageReason {
    pub item: String,
    pub level: RiskLevel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    /// The highest level any rule reached; [`RiskLevel::None`] when no rule matched.
    pub level: RiskLevel,
    /// Every rule that matched, in rule order.
    pub reasons: Vec<TriageReason>,
    /// The level calls for an alert (moderate or high, per the rules' `alertFrom`).
    pub alert: bool,
    /// False while the mapping awaits review against the Columbia triage card.
    pub verified: bool,
}

/// The triage level for answers that have already been checked (every answer is to an asked
/// question, with an allowed value); `score.rs` does that checking.
pub fn triage(rules: &TriageRules, answers: &BTreeMap<String, i32>) -> Triage {
    let reasons: Vec<TriageReason> = rules
        .rules
        .iter()
        .filter(|r| answers.get(&r.item) == Some(&r.equals))
        .map(|r| TriageReason {
            item: r.item.clone(),
            level: r.level,
        })
        .collect();
    let level = reasons
        .iter()
        .map(|r| r.level)
        .max()
        .unwrap_or(RiskLevel::None);
    Triage {
        level,
        reasons,
        alert: level >= rules.alert_from && level > RiskLevel::None,
        verified: rules.verified,
    }
}

#[cfg(test)]
mod tests {
    use super::super::definition::{bundled, TriageRule};
    use super::*;

    fn answers(pairs: &[(&str, i32)]) -> BTreeMap<String, i32> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn the_bundled_rules_are_exactly_the_reference_mapping() {
        let ins = bundled().unwrap().get("cssrs_screener").unwrap();
        let t = ins.triage.as_ref().unwrap();
        let rule = |item: &str, level| TriageRule {
            item: item.into(),
            equals: 1,
            level,
        };
        assert_eq!(
            t.rules,
            vec![
                rule("1", RiskLevel::Low),
                rule("2", RiskLevel::Low),
                rule("3", RiskLevel::Moderate),
                rule("4", RiskLevel::High),
                rule("5", RiskLevel::High),
                rule("6", RiskLevel::Moderate),
                rule("6a", RiskLevel::High),
            ]
        );
        assert_eq!(t.alert_from, RiskLevel::Moderate);
        assert!(
            !t.verified,
            "the reference asks to verify against the Columbia card"
        );
    }

    #[test]
    fn questions_3_to_5_follow_question_2_and_6a_follows_6() {
        let ins = bundled().unwrap().get("cssrs_screener").unwrap();
        let ids = |a: &[(&str, i32)]| {
            asked(ins, &answers(a))
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&[]), ["1", "2", "6"]);
        assert_eq!(ids(&[("2", 0)]), ["1", "2", "6"]);
        assert_eq!(ids(&[("2", 1)]), ["1", "2", "3", "4", "5", "6"]);
        assert_eq!(
            ids(&[("2", 1), ("6", 1)]),
            ["1", "2", "3", "4", "5", "6", "6a"]
        );
        assert_eq!(ids(&[("1", 1), ("6", 0)]), ["1", "2", "6"]);
    }

    #[test]
    fn the_highest_matching_level_wins() {
        let t = bundled()
            .unwrap()
            .get("cssrs_screener")
            .unwrap()
            .triage
            .as_ref()
            .unwrap();
        let none = triage(t, &answers(&[("1", 0), ("2", 0), ("6", 0)]));
        assert_eq!((none.level, none.alert), (RiskLevel::None, false));
        let low = triage(t, &answers(&[("1", 1), ("2", 0), ("6", 0)]));
        assert_eq!((low.level, low.alert), (RiskLevel::Low, false));
        let high = triage(
            t,
            &answers(&[("1", 1), ("2", 1), ("3", 1), ("4", 0), ("5", 1), ("6", 0)]),
        );
        assert_eq!((high.level, high.alert), (RiskLevel::High, true));
        assert_eq!(high.reasons.len(), 4);
    }
}
