//! The clinic's self-pay fee schedule (what a superbill charges per code). Fees are typed as
//! dollars ("350", "350.5", "$350.00") and kept as whole cents, so no rounding ever happens.

use rusqlite::{params, OptionalExtension};

use super::check::{code_shape, CODE_HINT};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::check as record_check;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

/// $1,000,000.00.
const MAX_CENTS: i64 = 100_000_000;
const DESCRIPTION_MAX: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    pub code: String,
    pub description: String,
    pub fee_cents: i64,
    /// RFC 3339 UTC.
    pub updated_at: String,
}

impl Fee {
    /// `350.00`.
    pub fn amount(&self) -> String {
        format!("{}.{:02}", self.fee_cents / 100, self.fee_cents % 100)
    }
}

/// A fee typed as dollars → cents: digits with at most two decimals, an optional leading `$`,
/// from 0 to 1,000,000.00. The error is the message for the field.
pub fn parse_fee(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let t = t.strip_prefix('$').unwrap_or(t).trim();
    if t.is_empty() {
        return Err("Enter the fee, like 350.00".into());
    }
    if t.starts_with('-') {
        return Err("The fee cannot be negative".into());
    }
    let (whole, cents) = match t.split_once('.') {
        None => (t, ""),
        Some((w, c)) => (w, c),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (t.contains('.') && !digits(cents)) {
        return Err("Enter the fee as dollars and cents, like 350.00".into());
    }
    if cents.len() > 2 {
        return Err("The fee can have at most 2 decimals (cents)".into());
    }
    let too_much = || format!("The fee must be at most {}", "1,000,000.00");
    if whole.len() > 7 {
        return Err(too_much());
    }
    let whole: i64 = whole.parse().map_err(|_| too_much())?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| too_much())? * 10,
        _ => cents.parse().map_err(|_| too_much())?,
    };
    let total = whole * 100 + cents;
    if total > MAX_CENTS {
        return Err(too_much());
    }
    Ok(total)
}

/// The schedule, by code (billing staff and whoever keeps the rules).
pub fn list_fees(session: &Session) -> CoreResult<Vec<Fee>> {
    if !session.can(Permission::ManagePayerRules) {
        session.require(Permission::ManageAuthorizations)?;
    }
    let mut stmt = session.conn().prepare(
        "SELECT code, description, fee_cents, updated_at FROM fee_schedule ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Fee {
            code: r.get(0)?,
            description: r.get(1)?,
            fee_cents: r.get(2)?,
            updated_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds a code to the schedule or changes its description and fee.
pub fn set_fee(session: &mut Session, code: &str, description: &str, fee: &str) -> CoreResult<Fee> {
    session.require(Permission::ManagePayerRules)?;
    let mut e = ValidationErrors::new();
    let code = match code_shape(code) {
        Some(c) => c,
        None => {
            e.add("code", CODE_HINT);
            String::new()
        }
    };
    let description = record_check::required_line(
        &mut e,
        "description",
        "The description",
        description,
        DESCRIPTION_MAX,
    );
    let cents = parse_fee(fee).map_err(|m| e.add("fee", m)).ok();
    e.into_result()?;
    let cents = cents.ok_or(CoreError::Crypto("a validated fee was lost"))?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO fee_schedule (code, description, fee_cents, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT(code) DO UPDATE SET description = ?2, fee_cents = ?3, updated_at = ?4",
        params![code, description, cents, now],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::FeeScheduleUpdate)
            .record("fee_schedule", code.clone())
            .detail("set"),
    )?;
    tx.commit()?;
    Ok(Fee {
        code,
        description,
        fee_cents: cents,
        updated_at: now,
    })
}

/// Takes a code off the schedule.
pub fn remove_fee(session: &mut Session, code: &str) -> CoreResult<()> {
    session.require(Permission::ManagePayerRules)?;
    let code = code.trim().to_ascii_uppercase();
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let known: Option<String> = tx
        .query_row(
            "SELECT code FROM fee_schedule WHERE code = ?1",
            [&code],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_none() {
        return Err(CoreError::NotFound {
            what: "The fee schedule entry",
        });
    }
    tx.execute("DELETE FROM fee_schedule WHERE code = ?1", [&code])?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::FeeScheduleUpdate)
            .record("fee_schedule", code)
            .detail("removed"),
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_dollars_and_cents() {
        assert_eq!(parse_fee("350"), Ok(35_000));
        assert_eq!(parse_fee("350.5"), Ok(35_050));
        assert_eq!(parse_fee(" $350.05 "), Ok(35_005));
        assert_eq!(parse_fee("0"), Ok(0));
        assert_eq!(parse_fee("1000000.00"), Ok(100_000_000));
        assert!(parse_fee("350.505").unwrap_err().contains("2 decimals"));
        assert!(parse_fee("-1").unwrap_err().contains("negative"));
        assert!(parse_fee("1000000.01").unwrap_err().contains("at most"));
        assert!(parse_fee("99999999").unwrap_err().contains("at most"));
        for bad in ["", "abc", "350.", ".5", "3,500", "1e3", "35 0"] {
            assert!(parse_fee(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_print_with_cents() {
        let f = Fee {
            code: "90868".into(),
            description: "TMS".into(),
            fee_cents: 35_050,
            updated_at: String::new(),
        };
        assert_eq!(f.amount(), "350.50");
    }
}
