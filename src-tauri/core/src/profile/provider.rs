//! A staff member's profile: their name as forms print it, credentials, NPI, work phone and
//! email, and whether they prescribe. The Spravato REMS Patient Monitoring Form names the
//! monitoring health care provider from here. Every signed-in user may read profiles (they are
//! work contact details); a user changes their own, an administrator anyone's.

use rusqlite::{params, Connection, OptionalExtension};

use super::check;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

pub const NAME_MAX: usize = 100;
pub const CREDENTIALS_MAX: usize = 40;

/// A user and their profile; the profile fields are empty until someone fills them in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderProfile {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Letters after the name, like `MD` or `PMHNP-BC`.
    pub credentials: Option<String>,
    /// Ten digits with a valid check digit.
    pub npi: Option<String>,
    /// `(617) 555-0142`.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub prescriber: bool,
    /// Payers ask who orders a treatment (Cigna: a psychiatrist).
    pub specialty: Option<Specialty>,
}

/// A provider's specialty as payer rules name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Specialty {
    Psychiatrist,
    PsychiatricNursePractitioner,
    OtherMentalHealth,
    Other,
}

impl Specialty {
    pub const ALL: [Specialty; 4] = [
        Specialty::Psychiatrist,
        Specialty::PsychiatricNursePractitioner,
        Specialty::OtherMentalHealth,
        Specialty::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Specialty::Psychiatrist => "psychiatrist",
            Specialty::PsychiatricNursePractitioner => "psychiatric_nurse_practitioner",
            Specialty::OtherMentalHealth => "other_mental_health",
            Specialty::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Specialty::Psychiatrist => "Psychiatrist",
            Specialty::PsychiatricNursePractitioner => "Psychiatric nurse practitioner",
            Specialty::OtherMentalHealth => "Other mental health prescriber",
            Specialty::Other => "Other",
        }
    }
}

/// What the profile form sends: text as typed (empty means not given).
#[derive(Debug, Clone, Default)]
pub struct ProviderProfileInput {
    pub given_name: String,
    pub family_name: String,
    pub credentials: String,
    pub npi: String,
    pub phone: String,
    pub email: String,
    pub prescriber: bool,
    pub specialty: Option<Specialty>,
}

/// The valid, normalised fields of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    given_name: Option<String>,
    family_name: Option<String>,
    credentials: Option<String>,
    npi: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    prescriber: bool,
    specialty: Option<Specialty>,
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, p.given_name, p.family_name, \
    p.credentials, p.npi, p.phone, p.email, coalesce(p.prescriber, 0), p.specialty \
    FROM app_user u LEFT JOIN provider_profile p ON p.user_id = u.id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProviderProfile> {
    Ok(ProviderProfile {
        user_id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        given_name: r.get(3)?,
        family_name: r.get(4)?,
        credentials: r.get(5)?,
        npi: r.get(6)?,
        phone: r.get(7)?,
        email: r.get(8)?,
        prescriber: r.get::<_, i64>(9)? != 0,
        specialty: r
            .get::<_, Option<String>>(10)?
            .as_deref()
            .and_then(Specialty::parse),
    })
}

/// The profile of the user named `username` (disabled users too: forms they appear on stay
/// printable), without a session: for documents the core builds. `None` for no such user.
pub(crate) fn load_by_id(conn: &Connection, user_id: i64) -> CoreResult<Option<ProviderProfile>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE u.id = ?1"), [user_id], row)
        .optional()?)
}

pub(crate) fn load(conn: &Connection, username: &str) -> CoreResult<Option<ProviderProfile>> {
    let username = username.trim().to_lowercase();
    Ok(conn
        .query_row(&format!("{SELECT} WHERE u.username = ?1"), [username], row)
        .optional()?)
}

fn not_found() -> CoreError {
    CoreError::NotFound { what: "The user" }
}

/// Any signed-in user may read a profile.
pub fn get(session: &Session, username: &str) -> CoreResult<ProviderProfile> {
    load(session.conn(), username)?.ok_or_else(not_found)
}

/// Every enabled user holding the provider or nurse role, by name.
pub fn list(session: &Session) -> CoreResult<Vec<ProviderProfile>> {
    let mut stmt = session.conn().prepare(&format!(
        "{SELECT} WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM app_user_role r \
         WHERE r.user_id = u.id AND r.role IN ('provider', 'nurse')) \
         ORDER BY lower(u.display_name), u.username"
    ))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Checks every field of the form. Given and family name, work phone and email are required
/// (the REMS monitoring form asks for each); credentials and NPI are optional.
fn validate(input: &ProviderProfileInput) -> Result<Fields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let given_name = check::line(
        &mut e,
        "givenName",
        "Given name",
        &input.given_name,
        NAME_MAX,
        Some("Enter your given name"),
    );
    let family_name = check::line(
        &mut e,
        "familyName",
        "Family name",
        &input.family_name,
        NAME_MAX,
        Some("Enter your family name"),
    );
    let credentials = check::line(
        &mut e,
        "credentials",
        "Credentials",
        &input.credentials,
        CREDENTIALS_MAX,
        None,
    );
    let npi = check::npi(&mut e, "npi", &input.npi);
    let phone = check::us_phone(
        &mut e,
        "phone",
        "Work phone number",
        &input.phone,
        Some("Enter a work phone number"),
    );
    let email = check::email(
        &mut e,
        "email",
        &input.email,
        Some("Enter a work email address"),
    );
    e.into_result()?;
    Ok(Fields {
        given_name,
        family_name,
        credentials,
        npi,
        phone,
        email,
        prescriber: input.prescriber,
        specialty: input.specialty,
    })
}

fn fields_of(p: &ProviderProfile) -> Fields {
    Fields {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        credentials: p.credentials.clone(),
        npi: p.npi.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        prescriber: p.prescriber,
        specialty: p.specialty,
    }
}

/// The names of the fields that differ, for the audit entry (never their values).
fn changed(before: &Fields, after: &Fields) -> Vec<&'static str> {
    [
        (
            "name",
            (&before.given_name, &before.family_name) != (&after.given_name, &after.family_name),
        ),
        ("credentials", before.credentials != after.credentials),
        ("NPI", before.npi != after.npi),
        ("phone", before.phone != after.phone),
        ("email", before.email != after.email),
        ("prescriber", before.prescriber != after.prescriber),
        ("specialty", before.specialty != after.specialty),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Saves the profile of `username`: their own for anyone, anyone's for an administrator
/// (`ManageUsers`), otherwise `Forbidden`. The change and its audit entry are one transaction.
pub fn update(
    session: &mut Session,
    username: &str,
    input: &ProviderProfileInput,
) -> CoreResult<ProviderProfile> {
    // User names are stored lower-case (see `user::normalize_username`).
    let username = username.trim().to_lowercase();
    if username != session.user().username {
        session.require(Permission::ManageUsers)?;
    }
    let Some(before) = load(session.conn(), &username)? else {
        return Err(not_found());
    };
    let next = validate(input)?;
    let fields = changed(&fields_of(&before), &next);
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO provider_profile (user_id, given_name, family_name, credentials, npi, phone, \
         email, prescriber, specialty, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?9) \
         ON CONFLICT (user_id) DO UPDATE SET given_name = excluded.given_name, \
         family_name = excluded.family_name, credentials = excluded.credentials, \
         npi = excluded.npi, phone = excluded.phone, email = excluded.email, \
         prescriber = excluded.prescriber, specialty = excluded.specialty, \
         updated_at = excluded.updated_at",
        params![
            before.user_id,
            next.given_name,
            next.family_name,
            next.credentials,
            next.npi,
            next.phone,
            next.email,
            next.prescriber as i64,
            now_utc(),
            next.specialty.map(Specialty::as_str),
        ],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ProviderProfileUpdate)
            .record("user", before.username.clone())
            .detail(if fields.is_empty() {
                "no change".to_string()
            } else {
                format!("changed {}", fields.join(", "))
            }),
    )?;
    tx.commit()?;
    load(session.conn(), &username)?.ok_or_else(not_found)
}
