//! Storing trials. Every write is one transaction with its audit entry; edits name the version
//! they started from.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::duration;
use super::model::{AdherenceSource, Outcome, Trial, TrialInput, TrialRole, ValidTrial};
use super::validate::validate;
use crate::access::Permission;
use crate::audit::{self, AuditAction, NewEvent};
use crate::error::{CoreError, CoreResult};
use crate::partial_date::PartialDate;
use crate::reference::drugs;
use crate::session::Session;
use crate::timestamp::now_utc;

fn patient_mrn(conn: &Connection, patient_id: i64) -> CoreResult<String> {
    conn.query_row("SELECT mrn FROM patient WHERE id = ?1", [patient_id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(CoreError::NotFound {
        what: "The patient",
    })
}

fn write_doses(conn: &Connection, trial_id: i64, v: &ValidTrial) -> CoreResult<()> {
    conn.execute("DELETE FROM med_trial_dose WHERE trial_id = ?1", [trial_id])?;
    for (i, d) in v.doses.iter().enumerate() {
        conn.execute(
            "INSERT INTO med_trial_dose (trial_id, seq, from_date, daily_dose) VALUES (?1, ?2, ?3, ?4)",
            params![trial_id, i as i64, d.from.to_iso(), d.daily],
        )?;
    }
    Ok(())
}

fn columns(v: &ValidTrial) -> [rusqlite::types::Value; 17] {
    use rusqlite::types::Value as V;
    let text = |s: &Option<String>| s.clone().map(V::Text).unwrap_or(V::Null);
    [
        v.drug_id.clone().map(V::Text).unwrap_or(V::Null),
        V::Text(v.drug_name.clone()),
        V::Text(v.role.as_str().into()),
        V::Text(v.start.to_iso()),
        v.stop.map(|d| V::Text(d.to_iso())).unwrap_or(V::Null),
        V::Integer(v.ongoing as i64),
        v.adherence_percent
            .map(|p| V::Integer(p as i64))
            .unwrap_or(V::Null),
        v.adherent.map(|a| V::Integer(a as i64)).unwrap_or(V::Null),
        v.adherence_source
            .map(|s| V::Text(s.as_str().into()))
            .unwrap_or(V::Null),
        v.outcome
            .map(|o| V::Text(o.as_str().into()))
            .unwrap_or(V::Null),
        text(&v.adverse_effect),
        text(&v.reason_stopped),
        V::Integer(v.current_episode as i64),
        text(&v.source_note),
        text(&v.score_instrument),
        v.pre_score.map(V::Real).unwrap_or(V::Null),
        v.post_score.map(V::Real).unwrap_or(V::Null),
    ]
}

/// Stores a validated trial (inside the caller's transaction); returns its id.
pub(crate) fn insert(
    conn: &Connection,
    patient_id: i64,
    v: &ValidTrial,
    now: &str,
) -> CoreResult<i64> {
    let c = columns(v);
    conn.execute(
        "INSERT INTO med_trial (patient_id, drug_id, drug_name, role, start_date, stop_date, ongoing, \
         adherence_percent, adherent, adherence_source, outcome, adverse_effect, reason_stopped, \
         current_episode, source_note, score_instrument, pre_score, post_score, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
        params![
            patient_id, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
            c[12], c[13], c[14], c[15], c[16], now
        ],
    )?;
    let id = conn.last_insert_rowid();
    write_doses(conn, id, v)?;
    Ok(id)
}

/// Records a trial for a patient.
pub fn create(
    session: &mut Session,
    patient_id: i64,
    input: &TrialInput,
    today: NaiveDate,
) -> CoreResult<Trial> {
    session.require(Permission::EditClinical)?;
    let v = validate(input, drugs::bundled()?, today)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let mrn = patient_mrn(&tx, patient_id)?;
    let id = insert(&tx, patient_id, &v, &now_utc())?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::TrialCreate)
            .patient(patient_id, &mrn)
            .record("trial", id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id, today)
}

/// Saves an edit made from `expected_version`; a stale edit is a `Conflict` and writes nothing.
pub fn update(
    session: &mut Session,
    id: i64,
    expected_version: i64,
    input: &TrialInput,
    today: NaiveDate,
) -> CoreResult<Trial> {
    session.require(Permission::EditClinical)?;
    let v = validate(input, drugs::bundled()?, today)?;
    let actor = session.actor();
    let tx = session.conn_mut().transaction()?;
    let row: Option<(i64, i64)> = tx
        .query_row(
            "SELECT patient_id, version FROM med_trial WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (patient_id, version) = row.ok_or(CoreError::NotFound { what: "The trial" })?;
    if version != expected_version {
        return Err(CoreError::Conflict(
            "This trial was changed by someone else since you opened it. Reload it and make your changes again".into(),
        ));
    }
    let mrn = patient_mrn(&tx, patient_id)?;
    let c = columns(&v);
    tx.execute(
        "UPDATE med_trial SET drug_id = ?2, drug_name = ?3, role = ?4, start_date = ?5, stop_date = ?6, \
         ongoing = ?7, adherence_percent = ?8, adherent = ?9, adherence_source = ?10, outcome = ?11, \
         adverse_effect = ?12, reason_stopped = ?13, current_episode = ?14, source_note = ?15, \
         score_instrument = ?16, pre_score = ?17, post_score = ?18, \
         version = version + 1, updated_at = ?19 WHERE id = ?1",
        params![
            id, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12],
            c[13], c[14], c[15], c[16], now_utc()
        ],
    )?;
    write_doses(&tx, id, &v)?;
    audit::append(
        &tx,
        &actor,
        &NewEvent::new(AuditAction::TrialUpdate)
            .patient(patient_id, &mrn)
            .record("trial", id.to_string()),
    )?;
    tx.commit()?;
    load(session.conn(), id, today)
}

/// A patient's trials, oldest first, each with its durations and flags.
pub fn list(session: &Session, patient_id: i64, today: NaiveDate) -> CoreResult<Vec<Trial>> {
    session.require(Permission::ReadClinical)?;
    patient_mrn(session.conn(), patient_id)?;
    let ids: Vec<i64> = session
        .conn()
        .prepare("SELECT id FROM med_trial WHERE patient_id = ?1 ORDER BY start_date, id")?
        .query_map([patient_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.into_iter()
        .map(|id| load(session.conn(), id, today))
        .collect()
}

fn bad_value(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.into(), rusqlite::types::Type::Text)
}

fn load(conn: &Connection, id: i64, today: NaiveDate) -> CoreResult<Trial> {
    let pd = |s: String| PartialDate::parse(&s).map_err(|_| bad_value("date"));
    let (patient_id, version, data) = conn
        .query_row(
            "SELECT patient_id, version, drug_id, drug_name, role, start_date, stop_date, ongoing, \
             adherence_percent, adherent, adherence_source, outcome, adverse_effect, reason_stopped, \
             current_episode, source_note, score_instrument, pre_score, post_score FROM med_trial WHERE id = ?1",
            [id],
            |r| {
                let role: String = r.get(4)?;
                let stop: Option<String> = r.get(6)?;
                let src: Option<String> = r.get(10)?;
                let outcome: Option<String> = r.get(11)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    ValidTrial {
                        drug_id: r.get(2)?,
                        drug_name: r.get(3)?,
                        role: TrialRole::parse(&role).ok_or_else(|| bad_value("role"))?,
                        start: pd(r.get(5)?)?,
                        stop: stop.map(pd).transpose()?,
                        ongoing: r.get::<_, i64>(7)? != 0,
                        doses: Vec::new(),
                        adherence_percent: r.get::<_, Option<i64>>(8)?.map(|p| p as u8),
                        adherent: r.get::<_, Option<i64>>(9)?.map(|a| a != 0),
                        adherence_source: src.as_deref().and_then(AdherenceSource::parse),
                        outcome: outcome.as_deref().and_then(Outcome::parse),
                        adverse_effect: r.get(12)?,
                        reason_stopped: r.get(13)?,
                        current_episode: r.get::<_, i64>(14)? != 0,
                        source_note: r.get(15)?,
                        score_instrument: r.get(16)?,
                        pre_score: r.get(17)?,
                        post_score: r.get(18)?,
                    },
                ))
            },
        )
        .optional()?
        .ok_or(CoreError::NotFound { what: "The trial" })?;
    let mut data = data;
    data.doses = conn
        .prepare(
            "SELECT from_date, daily_dose FROM med_trial_dose WHERE trial_id = ?1 ORDER BY seq",
        )?
        .query_map([id], |r| {
            Ok(duration::DoseStep {
                from: pd(r.get(0)?)?,
                daily: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let reference = drugs::bundled()?;
    let drug = data.drug_id.as_deref().and_then(|d| reference.get(d));
    let clinic_floor = match &data.drug_id {
        Some(d) => super::floor::clinic_floor(conn, d)?,
        None => None,
    };
    let floor = clinic_floor.or(drug.and_then(|d| d.min_therapeutic));
    let durations = duration::compute(
        &data.start,
        data.stop.as_ref(),
        data.ongoing,
        &data.doses,
        floor,
        today,
    );
    Ok(Trial {
        id,
        patient_id,
        version,
        class: drug.map(|d| d.class),
        category: drug.map(|d| d.category),
        unit: drug.map(|d| d.unit.clone()),
        min_therapeutic: floor,
        floor_from_clinic: clinic_floor.is_some(),
        data,
        durations,
    })
}
