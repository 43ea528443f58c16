//! The self-pay superbill from the core's [`SuperbillData`]: the clinic and rendering provider,
//! the patient, the diagnoses and every signed service with its code, units, NDC and fee, so
//! the patient can claim out-of-network reimbursement.

use std::path::PathBuf;

use chrono::NaiveDate;
use ketachart_core::access::Permission;
use ketachart_core::export_file::{check_target, save_for_user};
use ketachart_core::pa::superbill::{self, SuperbillData};
use ketachart_core::pa::Service;
use ketachart_core::{CoreResult, Session};

use crate::pa_packet::clinic_address;
use crate::session::{iso_day, render_error};
use crate::summary::{day, local_stamp};
use crate::{render as render_doc, Block, Cell, Column, Document, PageHeader, PdfError};

/// The statement printed under the title.
pub const PAID_BY_PATIENT: &str =
    "Paid by the patient — for submission to the insurer as an out-of-network claim.";

/// `123450` cents → `$1,234.50`; negative amounts as `-$5.00`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let dollars = (c / 100).to_string();
    let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
    for (i, ch) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}${grouped}.{:02}", c % 100)
}

/// Renders the superbill.
///
/// # Errors
///
/// Only [`PdfError::Font`] or [`PdfError::Write`] (a broken build or a printpdf bug).
pub fn render(data: &SuperbillData) -> Result<Vec<u8>, PdfError> {
    render_doc(&document(data, &local_stamp(chrono::Local::now())))
}

/// Gathers the signed sessions of `service` between two dates, renders the superbill and saves
/// it to `path` (owner-only, outside the vault, atomically). Returns where it was written.
pub fn export(
    session: &Session,
    patient_id: i64,
    service: Service,
    from: NaiveDate,
    to: NaiveDate,
    path: &str,
) -> CoreResult<PathBuf> {
    require(session)?;
    check_target("path", path)?;
    let data = superbill::gather(session, patient_id, service, from, to)?;
    save(session, &data, path)
}

/// Renders an already gathered superbill and saves it to `path`.
pub fn save(session: &Session, data: &SuperbillData, path: &str) -> CoreResult<PathBuf> {
    require(session)?;
    check_target("path", path)?;
    let bytes = render(data).map_err(render_error)?;
    let written = save_for_user(session, path, &bytes)?;
    ketachart_core::pa::superbill::record_export(session, data)?;
    Ok(written)
}

fn require(session: &Session) -> CoreResult<()> {
    session.require(Permission::ManageAuthorizations)?;
    session.require(Permission::ReadClinical)
}

fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.trim().is_empty())
        .unwrap_or("Not recorded")
        .to_string()
}

/// The superbill as a document; `generated_at` is printed in the footer.
pub fn document(d: &SuperbillData, generated_at: &str) -> Document {
    let p = &d.patient;
    let name = format!("{}, {}", p.family_name.to_uppercase(), p.given_name);
    let header = PageHeader {
        clinic_name: d.clinic.name.clone(),
        document_title: "Superbill".into(),
        patient_line: format!("{name} · DOB {} · MRN {}", day(p.birth_date), p.mrn),
        generated_line: format!("Generated {generated_at} by {}", d.generated_by),
        signed_line: Some(PAID_BY_PATIENT.into()),
    };
    let mut b = Vec::new();

    b.push(Block::Heading("Billing provider".into()));
    let c = &d.clinic;
    let address = clinic_address(c);
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("Clinic".to_string(), c.name.clone()),
            (
                "Address".into(),
                if address.is_empty() {
                    "Not recorded".into()
                } else {
                    address
                },
            ),
            (
                "Phone / fax".into(),
                format!(
                    "{} / {}",
                    or_dash(c.phone.as_deref()),
                    or_dash(c.fax.as_deref())
                ),
            ),
            ("Tax ID (TIN)".into(), or_dash(c.tin.as_deref())),
            ("Clinic NPI".into(), or_dash(c.npi.as_deref())),
        ],
    });
    b.push(Block::Fields {
        per_row: 3,
        fields: match &d.provider {
            Some(pr) => vec![
                ("Rendering provider".into(), pr.display_name.clone()),
                ("Credentials".into(), or_dash(pr.credentials.as_deref())),
                ("Provider NPI".into(), or_dash(pr.npi.as_deref())),
            ],
            None => vec![("Rendering provider".into(), "Not recorded".into())],
        },
    });

    b.push(Block::Heading("Patient".into()));
    let a = &p.address;
    let address = [
        a.line1.as_deref(),
        a.line2.as_deref(),
        a.city.as_deref(),
        a.region.as_deref(),
        a.postal_code.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    b.push(Block::Fields {
        per_row: 3,
        fields: vec![
            ("Name".into(), name),
            ("Date of birth".into(), day(p.birth_date)),
            ("MRN".into(), p.mrn.clone()),
            (
                "Address".into(),
                if address.is_empty() {
                    "Not recorded".into()
                } else {
                    address
                },
            ),
        ],
    });

    b.push(Block::Heading("Diagnoses".into()));
    if d.diagnoses.is_empty() {
        b.push(Block::Note("No active diagnosis recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![Column::new("ICD-10-CM", 0.9), Column::new("Diagnosis", 5.0)],
            rows: d
                .diagnoses
                .iter()
                .map(|(code, title)| vec![Cell::new(code.clone()), Cell::new(title.clone())])
                .collect(),
        });
    }

    b.push(Block::Heading(format!(
        "Services: {}, {} to {}",
        d.service.label(),
        day(d.from),
        day(d.to)
    )));
    if d.lines.is_empty() {
        b.push(Block::Note(
            "No signed sessions of this service in the period.".into(),
        ));
    } else {
        let reference = ketachart_core::billing::reference::bundled().ok();
        let mut rows: Vec<Vec<Cell>> = d
            .lines
            .iter()
            .map(|l| {
                // The fee schedule's description, else the code reference's plain words.
                let description = if l.description.trim().is_empty() {
                    reference
                        .and_then(|r| r.code(&l.code))
                        .map(|c| c.descriptor.clone())
                        .unwrap_or_default()
                } else {
                    l.description.clone()
                };
                vec![
                    Cell::new(iso_day(&l.date)),
                    Cell::new(l.code.clone()),
                    Cell::new(description),
                    Cell::new(l.units.to_string()),
                    Cell::new(l.ndc.clone().unwrap_or_else(|| "—".into())),
                    match l.fee_cents {
                        Some(f) => Cell::new(money(f)),
                        None => Cell::flagged("", "no fee on schedule"),
                    },
                    Cell::new(l.total_cents().map(money).unwrap_or_else(|| "—".into())),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::new(""),
            Cell::new(""),
            Cell::new("Total charges"),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(money(d.total_cents())),
        ]);
        b.push(Block::Table {
            columns: vec![
                Column::new("Date", 1.2),
                Column::new("Code", 0.8),
                Column::new("Description", 2.8),
                Column::new("Units", 0.6),
                Column::new("NDC", 1.3),
                Column::new("Fee", 1.0),
                Column::new("Line total", 1.1),
            ],
            rows,
        });
    }
    if !d.missing_fees.is_empty() {
        b.push(Block::Note(format!(
            "Not priced: the clinic's fee schedule has no fee for {}. Those lines are not in \
             the total; add the fees and print the superbill again.",
            d.missing_fees.join(", ")
        )));
    }
    b.push(Block::KeepTogether(vec![
        Block::Paragraph(
            "I certify that the services above were provided to the patient on the dates shown \
             and that the patient paid the charges shown."
                .into(),
        ),
        Block::Fields {
            per_row: 2,
            fields: vec![
                (
                    "Provider signature".into(),
                    "\n\n____________________________________".into(),
                ),
                ("Date".into(), "\n\n____________________".into()),
            ],
        },
    ]));
    Document {
        header,
        blocks: b,
        watermark: None,
    }
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_is_dollars_with_thousands_separators() {
        assert_eq!(money(0), "$0.00");
        assert_eq!(money(5), "$0.05");
        assert_eq!(money(123_450), "$1,234.50");
        assert_eq!(money(100_000_000), "$1,000,000.00");
        assert_eq!(money(99_999), "$999.99");
        assert_eq!(money(-500), "-$5.00");
    }
}
