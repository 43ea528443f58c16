//! Passphrase policy: at least 12 characters and a zxcvbn score of 3 ("safely unguessable")
//! or better. The UI shows the assessment live while the person types.

use zxcvbn::Score;

pub const MIN_LENGTH: usize = 12;
pub const MIN_SCORE: u8 = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// 0 (too guessable) to 4 (very unguessable), zxcvbn's scale.
    pub score: u8,
    /// "Very weak" … "Very strong".
    pub label: &'static str,
    /// Meets the policy.
    pub acceptable: bool,
    /// When not acceptable: what to change, as a sentence for an error message.
    pub problem: Option<String>,
    /// zxcvbn's suggestions, for the hint under the meter.
    pub suggestions: Vec<String>,
}

/// `context` holds words the passphrase should not lean on (clinic name, user name).
pub fn assess(passphrase: &str, context: &[&str]) -> Strength {
    let length = passphrase.chars().count();
    let entropy = zxcvbn::zxcvbn(passphrase, context);
    let score: u8 = match entropy.score() {
        Score::Zero => 0,
        Score::One => 1,
        Score::Two => 2,
        Score::Three => 3,
        Score::Four => 4,
        _ => 0,
    };
    let label = match score {
        0 => "Very weak",
        1 => "Weak",
        2 => "Fair",
        3 => "Strong",
        _ => "Very strong",
    };
    let mut suggestions: Vec<String> = Vec::new();
    if let Some(f) = entropy.feedback() {
        if let Some(w) = f.warning() {
            suggestions.push(w.to_string());
        }
        suggestions.extend(f.suggestions().iter().map(|s| s.to_string()));
    }
    let problem = if length < MIN_LENGTH {
        Some(format!(
            "Passphrase must be {MIN_LENGTH} characters or more"
        ))
    } else if score < MIN_SCORE {
        Some(
            "Passphrase is too easy to guess. Add more words that are not related to the clinic"
                .into(),
        )
    } else {
        None
    };
    Strength {
        score,
        label,
        acceptable: problem.is_none(),
        problem,
        suggestions,
    }
}

/// Checks a new passphrase and its confirmation, adding errors under `field` and
/// `confirm_field` (the policy above, and the two must match).
pub fn check_new(
    errors: &mut crate::validation::ValidationErrors,
    field: &str,
    confirm_field: &str,
    passphrase: &str,
    confirmation: &str,
    context: &[&str],
) {
    if passphrase.is_empty() {
        errors.add(field, "Enter a passphrase");
    } else {
        let s = assess(passphrase, context);
        if !s.acceptable {
            errors.add(
                field,
                s.problem
                    .unwrap_or_else(|| "Choose a stronger passphrase".into()),
            );
        }
    }
    if confirmation.is_empty() && !passphrase.is_empty() {
        errors.add(confirm_field, "Enter the passphrase again to confirm it");
    } else if confirmation != passphrase {
        errors.add(confirm_field, "The passphrases do not match");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_guessable_passphrases_are_refused() {
        assert!(
            !assess("Tr0ub4dor&3", &[]).acceptable,
            "11 chars is too short"
        );
        assert!(!assess("password1234", &[]).acceptable);
        assert!(!assess("riverside clinic", &["Riverside Clinic"]).acceptable);
        let s = assess("copper kettle moonlit harbour", &[]);
        assert!(s.acceptable, "{s:?}");
        assert!(s.score >= MIN_SCORE);
    }
}
