//! Storing the payer list (admins and billing keep it).

use rusqlite::{params, Connection, OptionalExtension};

use super::{Payer, PayerInput, PayerType};
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::record::check;
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::validation::ValidationErrors;

struct Valid {
    name: String,
    payer_type: PayerType,
    pa_phone: Option<String>,
    pa_fax: Option<String>,
}

fn validate(conn: &Connection, input: &PayerInput, except: Option<i64>) -> CoreResult<Valid> {
    let mut e = ValidationErrors::new();
    let name = check::required_line(&mut e, "name", "The payer name", &input.name, 100);
    if input.payer_type.is_none() {
        e.add("payerType", "Select the payer type");
    }
    let pa_phone = check::optional_line(
        &mut e,
        "paPhone",
        "The PA phone number",
        &input.pa_phone,
        30,
    );
    let pa_fax = check::optional_line(&mut e, "paFax", "The PA fax number", &input.pa_fax, 30);
    if !name.is_empty() && !e.has("name") {
        let taken: Option<i64> = conn
            .query_row(
                "SELECT id FROM payer WHERE lower(name) = lower(?1)",
                [&name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some_and(|id| Some(id) != except) {
            e.add("name", format!("{name} is already on the payer list"));
        }
    }
    e.into_result()?;
    Ok(Valid {
        name,
        payer_type: input.payer_type.unwrap_or(PayerType::Other),
        pa_phone,
        pa_fax,
    })
}

pub fn list(session: &Session) -> CoreResult<Vec<Payer>> {
    session.require(Permission::ReadPatients)?;
    let mut stmt = session.conn().prepare(
        "SELECT id, name, payer_type, pa_phone, pa_fax, active, version FROM payer ORDER BY lower(name)",
    )?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Payer> {
    let t: String = r.get(2)?;
    Ok(Payer {
        id: r.get(0)?,
        name: r.get(1)?,
        payer_type: PayerType::parse(&t).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(2, "payer_type".into(), rusqlite::types::Type::Text)
        })?,
        pa_phone: r.get(3)?,
        pa_fax: r.get(4)?,
        active: r.get::<_, i64>(5)? != 0,
        version: r.get(6)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> CoreResult<Payer> {
    conn.query_row(
        "SELECT id, name, payer_type, pa_phone, pa_fax, active, version FROM payer WHERE id = ?1",
        [id],
        row,
    )
    .optional()?
    .ok_or(CoreError::NotFound { what: "The payer" })
}

pub fn create(session: &mut Session, input: &PayerInput) -> CoreResult<Payer> {
    session.require(Permission::ManagePayers)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let v = validate(&tx, input, None)?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO payer (name, payer_type, pa_phone, pa_fax, active, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
        params![v.name, v.payer_type.as_str(), v.pa_phone, v.pa_fax, now],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::PayerCreate).record("payer", id.to_string()),
    )?;
    tx.commit()?;
    get(session.conn(), id)
}

pub fn update(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    input: &PayerInput,
) -> CoreResult<Payer> {
    session.require(Permission::ManagePayers)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let current = get(&tx, id)?;
    if current.version != expected_version {
        return Err(CoreError::Conflict(
            "This payer was changed by someone else since you opened it. Reload and try again"
                .into(),
        ));
    }
    let v = validate(&tx, input, Some(id))?;
    tx.execute(
        "UPDATE payer SET name = ?2, payer_type = ?3, pa_phone = ?4, pa_fax = ?5, active = ?6, \
         version = version + 1, updated_at = ?7 WHERE id = ?1",
        params![
            id,
            v.name,
            v.payer_type.as_str(),
            v.pa_phone,
            v.pa_fax,
            input.active as i64,
            now_utc()
        ],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::PayerUpdate).record("payer", id.to_string()),
    )?;
    tx.commit()?;
    get(session.conn(), id)
}

/// Finds a payer by name or adds it (patient import: coverage names its payer).
pub(crate) fn find_or_add(
    conn: &Connection,
    name: &str,
    payer_type: PayerType,
    pa_phone: Option<&str>,
    pa_fax: Option<&str>,
) -> CoreResult<i64> {
    if let Some(id) = conn
        .query_row(
            "SELECT id FROM payer WHERE lower(name) = lower(?1)",
            [name],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let now = now_utc();
    conn.execute(
        "INSERT INTO payer (name, payer_type, pa_phone, pa_fax, active, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
        params![name, payer_type.as_str(), pa_phone, pa_fax, now],
    )?;
    Ok(conn.last_insert_rowid())
}
