//! `documents`: import a file into a patient's document store, list a patient's documents,
//! export one to a file. The core reads and checks the file (size before reading, content type
//! by magic bytes, PDF or image checks, duplicates); the CLI only passes the path.

use std::path::PathBuf;

use clap::Subcommand;
use ketachart_core::document::{self, DocumentImportInput, DocumentKind, DocumentLink, LinkTarget};
use ketachart_core::{CoreError, Session, ValidationErrors};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// Import a PDF, PNG or JPEG into a patient's documents (encrypted inside the vault).
    Add {
        /// The patient's MRN or internal id.
        patient: String,
        /// The file to import.
        path: PathBuf,
        /// What it is: outside_records, pharmacy_history, insurance_card_front,
        /// insurance_card_back, payer_approval, payer_denial, payer_rfi, lab_ecg, consent,
        /// rems_enrollment, abn, other.
        #[arg(long)]
        kind: String,
        /// A title, e.g. "CVS fills 2024".
        #[arg(long)]
        title: String,
        /// The document's own date: YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// Who it came from, e.g. "CVS Pharmacy".
        #[arg(long)]
        source: Option<String>,
        /// Link it to a medication trial (its id) as that trial's evidence.
        #[arg(long)]
        trial: Option<i64>,
        /// The page of the PDF that shows the trial (with --trial).
        #[arg(long, requires = "trial")]
        page: Option<u32>,
    },
    /// A patient's documents (removed ones are not listed).
    List {
        /// The patient's MRN or internal id.
        patient: String,
    },
    /// Write a stored document to a file (owner-only permissions; audited).
    Export {
        /// The document id (see `documents list`).
        id: i64,
        /// Where to write it.
        path: PathBuf,
    },
}

fn parse_kind(s: &str) -> Result<DocumentKind, CoreError> {
    DocumentKind::parse(s.trim()).ok_or_else(|| {
        CoreError::Validation(ValidationErrors::single(
            "kind",
            format!(
                "\"{s}\" is not a document kind: use {}",
                DocumentKind::ALL.map(DocumentKind::as_str).join(", ")
            ),
        ))
    })
}

/// Paths may be relative to the working directory; the core wants them absolute.
fn absolute(p: &std::path::Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn document_json(d: &document::Document) -> serde_json::Value {
    json!({
        "id": d.id,
        "patientId": d.patient_id,
        "kind": d.kind.as_str(),
        "kindLabel": d.kind.label(),
        "title": d.title,
        "documentDate": d.document_date.map(|p| p.to_iso()),
        "source": d.source,
        "mediaType": d.media_type.as_str(),
        "size": d.size,
        "pageCount": d.page_count,
        "width": d.width,
        "height": d.height,
        "sha256": d.sha256,
        "fileName": d.file_name,
        "importedBy": d.created_by_name,
        "importedAt": d.created_at,
        "generated": d.generated,
        "links": d.links.iter().map(|l| json!({
            "target": l.link.target.as_str(),
            "targetId": l.link.target_id,
            "page": l.link.page,
            "label": l.label,
        })).collect::<Vec<_>>(),
    })
}

fn describe(d: &document::Document) -> String {
    let date = d
        .document_date
        .map(|p| p.display())
        .unwrap_or_else(|| "undated".into());
    let shape = match (d.page_count, d.width, d.height) {
        (Some(p), _, _) => format!("{p} page{}", if p == 1 { "" } else { "s" }),
        (_, Some(w), Some(h)) => format!("{w}×{h} px"),
        _ => String::new(),
    };
    format!(
        "{:>5}  {:<11}  {} — {}  [{}, {}]",
        d.id,
        date,
        d.kind.label(),
        d.title,
        d.media_type.as_str(),
        shape
    )
}

pub fn run(
    as_json: bool,
    session: &Session,
    command: &DocumentsCommand,
    patient_id: impl Fn(&str) -> Result<i64, CoreError>,
    today: chrono::NaiveDate,
) -> Result<(), CoreError> {
    match command {
        DocumentsCommand::Add {
            patient,
            path,
            kind,
            title,
            date,
            source,
            trial,
            page,
        } => {
            let kind = parse_kind(kind)?;
            let input = DocumentImportInput {
                patient_id: patient_id(patient)?,
                path: absolute(path),
                kind,
                title: title.clone(),
                document_date: date.clone().unwrap_or_default(),
                source: source.clone().unwrap_or_default(),
                links: trial
                    .map(|t| {
                        vec![DocumentLink {
                            target: LinkTarget::Trial,
                            target_id: t,
                            page: *page,
                        }]
                    })
                    .unwrap_or_default(),
            };
            let d = document::import(session, &input, today)?;
            if as_json {
                print_json(&document_json(&d));
            } else {
                println!("{}", describe(&d));
                eprintln!("Imported document {}.", d.id);
            }
        }
        DocumentsCommand::List { patient } => {
            let docs = document::list(session, patient_id(patient)?)?;
            if as_json {
                print_json(&json!({
                    "documents": docs.iter().map(document_json).collect::<Vec<_>>()
                }));
            } else if docs.is_empty() {
                println!("no documents stored");
            } else {
                for d in &docs {
                    println!("{}", describe(d));
                    for l in &d.links {
                        println!("         → {}", l.label);
                    }
                }
            }
        }
        DocumentsCommand::Export { id, path } => {
            let written = document::export(session, *id, &absolute(path))?;
            if as_json {
                print_json(&json!({ "path": written.display().to_string() }));
            } else {
                eprintln!("Wrote {}", written.display());
            }
        }
    }
    Ok(())
}
