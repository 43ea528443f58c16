//! The demo patient's signed consents: the Spravato treatment consent and the privacy-notice
//! acknowledgement, signed two weeks ago (before the demo course's first session, so the
//! first-session gate is met). The PDFs are rendered by the caller's renderer (the app and the
//! CLI pass `ketachart-pdf`'s), exactly as a real signing stores them; the signatures are
//! drawn by code (an obviously artificial wave).

use chrono::{Duration, NaiveDate};

use super::DEMO_PASSPHRASE;
use crate::consent::{self, ConsentDocument, ConsentSignInput, SignatureInput};
use crate::error::CoreResult;
use crate::treatment::Modality;
use crate::Session;

/// Renders a consent's PDF (`ketachart_pdf::consent::render_for_signing`).
pub type ConsentRenderer<'a> = &'a dyn Fn(&ConsentDocument) -> Result<Vec<u8>, String>;

/// A wave across a 400 × 120 pad; `phase` makes the two signers' strokes differ.
fn scribble(phase: f64) -> SignatureInput {
    let stroke = (0..60)
        .map(|i| {
            let x = 20.0 + f64::from(i) * 6.0;
            let y = 60.0 + 30.0 * ((f64::from(i) / 5.0) + phase).sin();
            vec![x, y]
        })
        .collect();
    SignatureInput {
        width: 400.0,
        height: 120.0,
        strokes: vec![stroke],
    }
}

pub(super) fn seed(
    session: &mut Session,
    patient_id: i64,
    today: NaiveDate,
    render: ConsentRenderer<'_>,
) -> CoreResult<()> {
    let on = today - Duration::days(14);
    for key in consent::requirement::for_modality(session.conn(), Modality::Spravato)? {
        let t = consent::prepare(session, patient_id, &key)?;
        consent::sign_as_of(
            session,
            &ConsentSignInput {
                patient_id,
                template_key: key,
                template_version: t.template_version,
                patient_signer_name: String::new(),
                patient_signature: scribble(0.0),
                witness_signature: scribble(1.5),
                password: DEMO_PASSPHRASE.into(),
                course_id: None,
            },
            on,
            render,
        )?;
    }
    Ok(())
}
