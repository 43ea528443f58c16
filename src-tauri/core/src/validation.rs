//! Field-level validation errors, collected so a form can show every problem at once.
//!
//! Field identifiers are the names the UI uses for its inputs (camelCase, with `.part` for
//! the parts of a date), so an error can be placed next to the right control.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut v = Self::new();
        v.add(field, message);
        v
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// `Ok(())` when nothing was added, otherwise the collected errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => write!(f, "There is a problem"),
            [one] => write!(f, "{}", one.message),
            many => write!(
                f,
                "There are {} problems: {}",
                many.len(),
                many.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

/// Trims, and rejects control characters (other than none at all) in single-line text.
pub(crate) fn clean_line(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim().to_string();
    if v.chars().any(char::is_control) {
        errors.add(
            field,
            format!("{label} must not contain line breaks or tabs"),
        );
    } else if v.chars().count() > max {
        errors.add(field, format!("{label} must be {max} characters or less"));
    }
    v
}

/// Like [`clean_line`], but empty means "not provided".
pub(crate) fn optional_line(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = clean_line(errors, field, label, value.unwrap_or(""), max);
    (!v.is_empty()).then_some(v)
}
