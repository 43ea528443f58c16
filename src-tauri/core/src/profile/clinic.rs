//! The clinic's profile: the healthcare setting as forms print it (name, address, phone, fax)
//! and its identifiers (TIN, NPI, Spravato REMS setting ID). One row (`clinic`, id 1) per vault.
//! Any signed-in user reads it (forms are printed by clinicians); administrators change it.

use rusqlite::{params, Connection};

use super::check;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::CoreResult;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

pub const NAME_MAX: usize = 120;
pub const ADDRESS_LINE_MAX: usize = 120;
pub const CITY_MAX: usize = 60;
pub const REMS_SETTING_ID_MAX: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClinicProfile {
    pub name: String,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    /// Two-letter USPS code, in capitals.
    pub state: Option<String>,
    /// `02139` or `02139-4307`.
    pub zip: Option<String>,
    /// `(617) 555-0142`.
    pub phone: Option<String>,
    pub fax: Option<String>,
    /// `12-3456789`.
    pub tin: Option<String>,
    /// Ten digits with a valid check digit.
    pub npi: Option<String>,
    pub rems_setting_id: Option<String>,
}

/// What the clinic profile form sends: text as typed (empty means not given).
#[derive(Debug, Clone, Default)]
pub struct ClinicProfileInput {
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub phone: String,
    pub fax: String,
    pub tin: String,
    pub npi: String,
    pub rems_setting_id: String,
}

/// The clinic's profile, without a session: for documents the core builds.
pub(crate) fn load(conn: &Connection) -> CoreResult<ClinicProfile> {
    Ok(conn.query_row(
        "SELECT name, address_line1, address_line2, city, state, zip, phone, fax, tin, npi, \
         rems_setting_id FROM clinic WHERE id = 1",
        [],
        |r| {
            Ok(ClinicProfile {
                name: r.get(0)?,
                address_line1: r.get(1)?,
                address_line2: r.get(2)?,
                city: r.get(3)?,
                state: r.get(4)?,
                zip: r.get(5)?,
                phone: r.get(6)?,
                fax: r.get(7)?,
                tin: r.get(8)?,
                npi: r.get(9)?,
                rems_setting_id: r.get(10)?,
            })
        },
    )?)
}

/// Any signed-in user may read the clinic profile: it is printed on forms.
pub fn get(session: &Session) -> CoreResult<ClinicProfile> {
    load(session.conn())
}

/// Checks every field; the valid profile is returned normalised (state in capitals, phone
/// numbers, TIN and ZIP code formatted).
pub fn validate(input: &ClinicProfileInput) -> Result<ClinicProfile, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = check::line(
        &mut e,
        "name",
        "Clinic name",
        &input.name,
        NAME_MAX,
        Some("Enter the clinic name"),
    );
    let address_line1 = check::line(
        &mut e,
        "addressLine1",
        "Address line 1",
        &input.address_line1,
        ADDRESS_LINE_MAX,
        Some("Enter address line 1, like 12 Harbour Road"),
    );
    let address_line2 = check::line(
        &mut e,
        "addressLine2",
        "Address line 2",
        &input.address_line2,
        ADDRESS_LINE_MAX,
        None,
    );
    let city = check::line(
        &mut e,
        "city",
        "City",
        &input.city,
        CITY_MAX,
        Some("Enter the city"),
    );
    let state = check::us_state(&mut e, "state", &input.state);
    let zip = check::zip(&mut e, "zip", &input.zip);
    let phone = check::us_phone(&mut e, "phone", "Phone number", &input.phone, None);
    let fax = check::us_phone(&mut e, "fax", "Fax number", &input.fax, None);
    let tin = check::tin(&mut e, "tin", &input.tin);
    let npi = check::npi(&mut e, "npi", &input.npi);
    let rems_setting_id = check::line(
        &mut e,
        "remsSettingId",
        "REMS setting ID",
        &input.rems_setting_id,
        REMS_SETTING_ID_MAX,
        None,
    );
    e.into_result()?;
    Ok(ClinicProfile {
        name: name.unwrap_or_default(),
        address_line1,
        address_line2,
        city,
        state,
        zip,
        phone,
        fax,
        tin,
        npi,
        rems_setting_id,
    })
}

/// The names of the fields that differ, for the audit entry (never their values).
fn changed(before: &ClinicProfile, after: &ClinicProfile) -> Vec<&'static str> {
    [
        ("name", before.name != after.name),
        ("address", {
            (&before.address_line1, &before.address_line2, &before.city)
                != (&after.address_line1, &after.address_line2, &after.city)
                || (&before.state, &before.zip) != (&after.state, &after.zip)
        }),
        ("phone", before.phone != after.phone),
        ("fax", before.fax != after.fax),
        ("TIN", before.tin != after.tin),
        ("NPI", before.npi != after.npi),
        (
            "REMS setting ID",
            before.rems_setting_id != after.rems_setting_id,
        ),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Saves the clinic profile (administrators). Validation runs first; the change and its audit
/// entry are one transaction. A new name is also written to the key file, whose label the
/// unlock screen shows.
pub fn update(session: &mut Session, input: &ClinicProfileInput) -> CoreResult<ClinicProfile> {
    session.require(Permission::ManageSettings)?;
    let next = validate(input)?;
    let before = load(session.conn())?;
    let fields = changed(&before, &next);
    let renamed = before.name != next.name;
    let envelope = if renamed {
        let mut env = session.vault().load_envelope()?;
        env.label = next.name.clone();
        Some(env)
    } else {
        None
    };
    let keys_path = session.vault().keys_path();
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "UPDATE clinic SET name = ?1, address_line1 = ?2, address_line2 = ?3, city = ?4, \
         state = ?5, zip = ?6, phone = ?7, fax = ?8, tin = ?9, npi = ?10, rems_setting_id = ?11, \
         updated_at = ?12 WHERE id = 1",
        params![
            next.name,
            next.address_line1,
            next.address_line2,
            next.city,
            next.state,
            next.zip,
            next.phone,
            next.fax,
            next.tin,
            next.npi,
            next.rems_setting_id,
            now_utc(),
        ],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ClinicProfileUpdate)
            .record("clinic", "1")
            .detail(if fields.is_empty() {
                "no change".to_string()
            } else {
                format!("changed {}", fields.join(", "))
            }),
    )?;
    let staged = match &envelope {
        Some(env) => Some(env.stage(&keys_path)?),
        None => None,
    };
    tx.commit()?;
    if let Some(staged) = staged {
        // The database is the record; the key file's label is only what the unlock screen
        // shows, so a failure here is logged rather than reported as a failed save.
        if let Err(err) = staged.install() {
            tracing::warn!(
                error = err.kind(),
                "the unlock screen keeps the old clinic name"
            );
        }
    }
    if renamed {
        session.set_clinic_name(next.name.clone());
    }
    load(session.conn())
}
