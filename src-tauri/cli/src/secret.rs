//! Passphrases: from `KETACHART_PASSPHRASE` (for scripts) or a terminal prompt without echo.

use std::io::IsTerminal;

use ketachart_core::{passphrase, CoreError, ValidationErrors};
use zeroize::Zeroizing;

pub const ENV: &str = "KETACHART_PASSPHRASE";

fn no_terminal() -> CoreError {
    CoreError::Validation(ValidationErrors::single(
        "passphrase",
        format!("Enter the passphrase at the terminal, or set {ENV} when running without one"),
    ))
}

pub fn passphrase(prompt: &str) -> Result<Zeroizing<String>, CoreError> {
    if let Ok(p) = std::env::var(ENV) {
        return Ok(Zeroizing::new(p));
    }
    // Only prompt when a person is at the keyboard; scripts must use the environment.
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|_| no_terminal())
}

/// A new passphrase: from the environment, or typed twice at the terminal.
pub fn new_passphrase() -> Result<Zeroizing<String>, CoreError> {
    if let Ok(p) = std::env::var(ENV) {
        return Ok(Zeroizing::new(p));
    }
    eprintln!(
        "Choose a passphrase of at least {} characters: several unrelated words work well.",
        passphrase::MIN_LENGTH
    );
    let first = passphrase("New passphrase: ")?;
    let second = passphrase("Type it again: ")?;
    if *first != *second {
        return Err(CoreError::Validation(ValidationErrors::single(
            "passphraseConfirmation",
            "The passphrases do not match",
        )));
    }
    Ok(first)
}
