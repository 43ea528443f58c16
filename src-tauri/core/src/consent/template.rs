//! Consent templates: the bundled sample texts (`core/reference/consent-templates.v1.json`,
//! seeded as version 1 on first use) and the clinic's own versions. A version never changes;
//! saving a template adds the next version. Placeholders (`{{patient.name}}`, …) are replaced
//! by plain text in one pass: a value is never read as a placeholder or as markup.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;

use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::session::Session;
use crate::timestamp::now_utc;
use crate::treatment::Modality;
use crate::validation::ValidationErrors;

/// The placeholders a template may use, with what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 5] = [
    ("patient.name", "the patient's name"),
    ("patient.dob", "the patient's date of birth"),
    ("clinic.name", "the clinic's name"),
    ("date", "the date of signing"),
    ("provider.name", "the staff member preparing the consent"),
];

/// Shown with a bundled sample text until the clinic saves its own version.
pub const SAMPLE_NOTE: &str = "Sample text: the clinic must review with its counsel before use";

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 50_000;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReferenceFile {
    format: String,
    version: i64,
    #[allow(dead_code)]
    published: String,
    #[allow(dead_code)]
    about: String,
    templates: Vec<ReferenceTemplate>,
    requirements: BTreeMap<Modality, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReferenceTemplate {
    key: String,
    title: String,
    reviewed: bool,
    note: String,
    body: String,
}

/// The bundled reference data (parsed once).
pub(crate) struct Reference {
    pub version: i64,
    pub templates: Vec<(String, String, String)>,
    pub requirements: BTreeMap<Modality, Vec<String>>,
}

pub(crate) fn reference() -> CoreResult<&'static Reference> {
    static REF: OnceLock<Option<Reference>> = OnceLock::new();
    REF.get_or_init(|| {
        let f: ReferenceFile =
            serde_json::from_str(include_str!("../../reference/consent-templates.v1.json")).ok()?;
        if f.format != "ketachart-consent-templates" {
            return None;
        }
        let ok = f.templates.iter().all(|t| {
            !t.reviewed && t.note == SAMPLE_NOTE && unknown_placeholders(&t.body).is_empty()
        });
        ok.then(|| Reference {
            version: f.version,
            templates: f
                .templates
                .into_iter()
                .map(|t| (t.key, t.title, t.body))
                .collect(),
            requirements: f.requirements,
        })
    })
    .as_ref()
    .ok_or(CoreError::Crypto(
        "the bundled consent templates are not readable",
    ))
}

/// Seeds the bundled templates (version 1) and the default requirements once per reference
/// version; a clinic's later changes are never undone.
pub(crate) fn ensure_seeded(conn: &Connection) -> CoreResult<()> {
    let r = reference()?;
    let done: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM consent_seed WHERE reference_version = ?1)",
        [r.version],
        |row| row.get(0),
    )?;
    if done {
        return Ok(());
    }
    // A savepoint: seeding may happen inside the caller's transaction (a session being saved)
    // or on its own.
    conn.execute_batch("SAVEPOINT consent_seed")?;
    let result = seed(conn, r);
    if result.is_err() {
        conn.execute_batch("ROLLBACK TO consent_seed")?;
    }
    conn.execute_batch("RELEASE consent_seed")?;
    result
}

fn seed(tx: &Connection, r: &Reference) -> CoreResult<()> {
    let now = now_utc();
    for (key, title, body) in &r.templates {
        tx.execute(
            "INSERT OR IGNORE INTO consent_template (key, version, title, body, sample, created_by, created_at) \
             VALUES (?1, 1, ?2, ?3, 1, 'system', ?4)",
            params![key, title, body, now],
        )?;
    }
    for (modality, keys) in &r.requirements {
        for (position, key) in keys.iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO consent_requirement (modality, template_key, position) VALUES (?1, ?2, ?3)",
                params![modality.as_str(), key, position as i64],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO consent_seed (reference_version, seeded_at) VALUES (?1, ?2)",
        params![r.version, now],
    )?;
    Ok(())
}

/// One version of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentTemplate {
    pub key: String,
    pub version: i64,
    pub title: String,
    pub body: String,
    /// The bundled sample text, not yet replaced by the clinic's own (show [`SAMPLE_NOTE`]).
    pub sample: bool,
    pub created_by: String,
    pub created_at: String,
}

impl ConsentTemplate {
    /// The note to show with the template in the app (never printed on a signed form).
    pub fn review_note(&self) -> Option<&'static str> {
        self.sample.then_some(SAMPLE_NOTE)
    }
}

const COLUMNS: &str = "key, version, title, body, sample, created_by, created_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConsentTemplate> {
    Ok(ConsentTemplate {
        key: r.get(0)?,
        version: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        sample: r.get(4)?,
        created_by: r.get(5)?,
        created_at: r.get(6)?,
    })
}

/// The current (highest) version of every template, by title.
pub(crate) fn current_all(conn: &Connection) -> CoreResult<Vec<ConsentTemplate>> {
    ensure_seeded(conn)?;
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM consent_template t \
         WHERE version = (SELECT max(version) FROM consent_template WHERE key = t.key) \
         ORDER BY title, key"
    ))?;
    let rows = st.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The current version of one template.
pub(crate) fn current(conn: &Connection, key: &str) -> CoreResult<Option<ConsentTemplate>> {
    ensure_seeded(conn)?;
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM consent_template WHERE key = ?1 ORDER BY version DESC LIMIT 1"
            ),
            [key],
            row,
        )
        .optional()?)
}

/// Every template's current version (anyone who may prepare consents or keep the settings).
pub fn list(session: &Session) -> CoreResult<Vec<ConsentTemplate>> {
    if !session.can(Permission::ManageSettings) {
        session.require(Permission::ManageDocuments)?;
    }
    current_all(session.conn())
}

/// What the template form sends.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub key: String,
    pub title: String,
    pub body: String,
}

/// The `{{…}}` names in `body` that are not placeholders, and unclosed `{{` (as `{{`).
pub fn unknown_placeholders(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                if !PLACEHOLDERS.iter().any(|(p, _)| *p == name) {
                    out.push(format!("{{{{{}}}}}", &after[..end]));
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push("{{".to_string());
                break;
            }
        }
    }
    out
}

fn valid_key(key: &str) -> bool {
    let b = key.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Saves a new version of a template (or a new template). Admins (clinic settings).
pub fn save(session: &mut Session, input: &TemplateInput) -> CoreResult<ConsentTemplate> {
    session.require(Permission::ManageSettings)?;
    ensure_seeded(session.conn())?;
    let mut e = ValidationErrors::new();
    let key = input.key.trim();
    if !valid_key(key) {
        e.add(
            "key",
            "Use 2–40 lower-case letters, digits or underscores, starting with a letter",
        );
    }
    let title = input.title.trim();
    if title.is_empty() {
        e.add("title", "Enter the consent's title");
    } else if title.chars().count() > TITLE_MAX {
        e.add("title", format!("At most {TITLE_MAX} characters"));
    }
    let body = input.body.trim();
    if body.is_empty() {
        e.add("body", "Enter the consent text");
    } else if body.chars().count() > BODY_MAX {
        e.add("body", format!("At most {BODY_MAX} characters"));
    } else {
        let unknown = unknown_placeholders(body);
        if !unknown.is_empty() {
            let known: Vec<String> = PLACEHOLDERS
                .iter()
                .map(|(p, _)| format!("{{{{{p}}}}}"))
                .collect();
            e.add(
                "body",
                format!(
                    "Unknown placeholder {}; the text may use {}",
                    unknown.join(", "),
                    known.join(", ")
                ),
            );
        }
    }
    e.into_result()?;
    // Every save is a new version, even with unchanged text: saving the bundled sample is how
    // the clinic adopts it as its own.
    let previous = current(session.conn(), key)?;
    let version = previous.as_ref().map_or(1, |p| p.version + 1);
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO consent_template (key, version, title, body, sample, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
        params![key, version, title, body, actor.username, now_utc()],
    )?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::ConsentTemplateSave).detail(format!("{key} v{version}")),
    )?;
    tx.commit()?;
    current(session.conn(), key)?.ok_or(CoreError::NotFound {
        what: "The consent template",
    })
}

/// The values placeholders are replaced with.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub patient_name: String,
    pub patient_dob: String,
    pub clinic_name: String,
    pub date: String,
    pub provider_name: String,
}

/// Replaces every placeholder with its value, in one pass over the template (a value that
/// contains `{{…}}` or markup stays exactly as it is). Unknown placeholders were refused on
/// save; any left are printed as written.
pub fn render(body: &str, v: &Values) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let value = match after[..end].trim() {
            "patient.name" => Some(&v.patient_name),
            "patient.dob" => Some(&v.patient_dob),
            "clinic.name" => Some(&v.clinic_name),
            "date" => Some(&v.date),
            "provider.name" => Some(&v.provider_name),
            _ => None,
        };
        match value {
            Some(val) => out.push_str(val),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}
