//! The chart sections of the PA documents, built from the patient summary's tables
//! ([`crate::summary`]) with an anchor on every row the criterion table may cite: the
//! treatment-failure tables, the rating-scale history, the safety screening and the
//! re-authorization summary.

use chrono::NaiveDate;
use ketachart_core::pa::outcome::{EvidenceKind, Status};
use ketachart_core::record::screening::Answer;
use ketachart_core::record::{Record, RecordBody};
use ketachart_core::reference::drugs::Category;
use ketachart_core::reference::screening as screening_ref;
use ketachart_core::trial::model::TrialRole;
use ketachart_core::trial::Trial;

use crate::pa_packet::{anchor, Cx};
use crate::summary::{
    at, change_text, day, pd, score_cells, score_columns, screening_blocks, therapy_cells,
    therapy_columns, trend_change, trend_chart, trial_cells, trial_columns, trial_sources,
};
use crate::{Block, Cell, Column};

/// Up to this many scores, an instrument's table stays on the page of its chart.
const SCORES_KEPT_WITH_CHART: usize = 12;

fn is_augmentation(t: &Trial) -> bool {
    t.data.role == TrialRole::Augmentation || t.category == Some(Category::Augmentation)
}

/// Whether the trial counts toward the best pathway, and why.
fn counts_cell(cx: &Cx<'_>, t: &Trial) -> Cell {
    let e = &cx.d.evaluation;
    let check = e
        .best_pathway
        .as_ref()
        .and_then(|id| e.pathways.iter().find(|p| &p.id == id))
        .and_then(|p| p.trial_checks.iter().find(|c| c.trial_id == t.id));
    let Some(c) = check else {
        return Cell::new("Not assessed");
    };
    let why = c.reasons.join("; ");
    match c.status {
        Status::Met => Cell::new(if why.is_empty() {
            "Yes".to_string()
        } else {
            format!("Yes — {why}")
        }),
        Status::NotMet => Cell::new(format!("No — {why}")),
        Status::Insufficient => Cell::flagged("Cannot tell yet", why),
        Status::NotApplicable => Cell::new(if why.is_empty() {
            "Not applicable".to_string()
        } else {
            format!("Not applicable: {why}")
        }),
    }
}

/// The summary's trial table with the class moved under the drug (room for "Counts?").
fn trial_table(cx: &Cx<'_>, trials: &[&Trial], b: &mut Vec<Block>) {
    let mut columns = trial_columns();
    columns.remove(1);
    let widths = [1.55, 1.2, 1.6, 0.8, 1.3, 1.55, 1.05];
    for (c, w) in columns.iter_mut().zip(widths) {
        c.width = w;
    }
    columns.push(Column::new("Counts?", 2.0));
    let rows = trials
        .iter()
        .map(|t| {
            let mut cells = trial_cells(t);
            let class = cells.remove(1).text;
            let mut medication = std::mem::take(&mut cells[0]);
            medication.text = format!("{}\n{class} · {}", t.data.drug_name, t.data.role.as_str());
            // The trial's source documents, as the attachments index labels them.
            for c in cx.d.trial_citations(t.id) {
                medication.text.push_str(&format!("\nSource: {c}"));
            }
            cells[0] = medication.anchored(anchor::trial(t.id));
            cells.push(counts_cell(cx, t));
            cells
        })
        .collect();
    b.push(Block::Table { columns, rows });
}

/// Antidepressant trials, augmentation trials, psychotherapy and other treatments.
pub(crate) fn treatment_history(cx: &Cx<'_>, b: &mut Vec<Block>) {
    let d = cx.d;
    let (aug, ads): (Vec<&Trial>, Vec<&Trial>) =
        d.facts.trials.iter().partition(|t| is_augmentation(t));
    b.push(Block::Anchor(anchor::TRIALS.into()));
    b.push(Block::Heading(
        "Treatment-failure table: antidepressant trials".into(),
    ));
    let e = &d.evaluation;
    if let Some(p) = e
        .best_pathway
        .as_ref()
        .and_then(|id| e.pathways.iter().find(|p| &p.id == id))
    {
        b.push(Block::Note(format!(
            "“Counts?” says whether each trial counts toward “{}” under {} and why.",
            p.label, e.policy
        )));
    }
    if ads.is_empty() {
        b.push(Block::Note("No antidepressant trials recorded.".into()));
    } else {
        trial_table(cx, &ads, b);
    }
    b.push(Block::Heading("Augmentation trials".into()));
    if aug.is_empty() {
        b.push(Block::Note("No augmentation trials recorded.".into()));
    } else {
        trial_table(cx, &aug, b);
    }
    b.extend(trial_sources(d.facts.trials.iter()));

    b.push(Block::Anchor(anchor::THERAPY.into()));
    b.push(Block::Heading("Psychotherapy and other treatments".into()));
    let rows: Vec<Vec<Cell>> = d
        .facts
        .records
        .iter()
        .filter(|r| {
            matches!(
                r.body,
                RecordBody::Psychotherapy(_) | RecordBody::OtherTreatment(_)
            )
        })
        .filter_map(|r| {
            let mut cells = therapy_cells(r)?;
            cells[0] = std::mem::take(&mut cells[0]).anchored(anchor::therapy(r.id));
            Some(cells)
        })
        .collect();
    if rows.is_empty() {
        b.push(Block::Note(
            "No psychotherapy or other treatments recorded.".into(),
        ));
    } else {
        b.push(Block::Table {
            columns: therapy_columns(),
            rows,
        });
    }
}

/// Per instrument: the chart (two scores or more), the change from baseline, and every score.
pub(crate) fn score_history(cx: &Cx<'_>, b: &mut Vec<Block>) {
    b.push(Block::Anchor(anchor::SCORES.into()));
    b.push(Block::Heading("Rating-scale history".into()));
    if cx.d.trends.is_empty() {
        b.push(Block::Note("No rating-scale scores recorded.".into()));
    }
    for t in &cx.d.trends {
        let table = Block::Table {
            columns: score_columns(),
            rows: t
                .points
                .iter()
                .map(|p| {
                    let mut cells = score_cells(p);
                    cells[0] = std::mem::take(&mut cells[0]).anchored(anchor::score(p.id));
                    cells
                })
                .collect(),
        };
        // An instrument's chart, change and scores are read together: one page when they fit
        // (a long series of scores flows on, its header repeated).
        let mut group: Vec<Block> = trend_chart(t, &[]).map(Block::Chart).into_iter().collect();
        group.push(Block::KeyValues(trend_change(t)));
        if t.points.len() <= SCORES_KEPT_WITH_CHART {
            group.push(table);
            b.push(Block::KeepTogether(group));
        } else {
            b.push(Block::KeepTogether(group));
            b.push(table);
        }
    }
}

fn answer_of(r: &Record, item: &str) -> Option<(Answer, Option<String>)> {
    match &r.body {
        RecordBody::Screening(s) => s
            .answers
            .iter()
            .find(|a| a.item == item)
            .and_then(|a| a.answer.map(|x| (x, a.detail.clone()))),
        _ => None,
    }
}

fn yes_no(a: Option<(Answer, Option<String>)>) -> String {
    match a {
        Some((Answer::Yes, Some(d))) => format!("Yes — {d}"),
        Some((Answer::Yes, None)) => "Yes".into(),
        Some((Answer::No, _)) => "No".into(),
        None => "Not answered".into(),
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// The screenings to show: the latest one for the service on or before the evaluation date
/// (what the criteria use), else the latest for the service, plus any other cited as evidence.
fn screenings<'a>(cx: &Cx<'a>) -> Vec<&'a Record> {
    let d = cx.d;
    let modality = d.service.screening();
    let of_service: Vec<&Record> = d
        .facts
        .records
        .iter()
        .filter(|r| matches!(&r.body, RecordBody::Screening(s) if s.modality == Some(modality)))
        .collect();
    let date = |r: &Record| match &r.body {
        RecordBody::Screening(s) => iso_date(&s.date),
        _ => None,
    };
    let latest = of_service
        .iter()
        .filter(|r| date(r).is_some_and(|x| x <= d.evaluation.on))
        .max_by_key(|r| (date(r), r.id))
        .or_else(|| of_service.iter().max_by_key(|r| (date(r), r.id)))
        .copied();
    let cited: Vec<i64> = d
        .evaluation
        .criteria
        .iter()
        .flat_map(|c| &c.evidence)
        .filter(|e| e.kind == EvidenceKind::Screening)
        .map(|e| e.id)
        .collect();
    let mut out: Vec<&Record> = latest.into_iter().collect();
    for r in &d.facts.records {
        if cited.contains(&r.id)
            && matches!(r.body, RecordBody::Screening(_))
            && !out.iter().any(|x| x.id == r.id)
        {
            out.push(r);
        }
    }
    out
}

/// The latest screening's key findings (contraindications and warnings present, psychosis,
/// substance use, pregnancy, PDMP), then every answer.
pub(crate) fn screening(cx: &Cx<'_>, b: &mut Vec<Block>) {
    b.push(Block::Anchor(anchor::SCREENING.into()));
    b.push(Block::Heading(
        "Safety and contraindication screening".into(),
    ));
    let shown = screenings(cx);
    if shown.is_empty() {
        b.push(Block::Note(format!(
            "No {} screening recorded.",
            cx.d.service.screening().label()
        )));
        return;
    }
    let reference = screening_ref::bundled().ok();
    for r in shown {
        let RecordBody::Screening(s) = &r.body else {
            continue;
        };
        let findings = reference.map(|x| s.findings(x)).unwrap_or_default();
        let list = |v: &[String]| {
            if v.is_empty() {
                "None reported".to_string()
            } else {
                v.join("; ")
            }
        };
        let mut kv = vec![
            (
                "Screening".to_string(),
                format!(
                    "{} on {}{}",
                    s.modality.map_or("Safety", |m| m.label()),
                    pd(&s.date),
                    match &r.signature {
                        Some(sig) => format!(", signed by {}", sig.by_name),
                        None => ", not signed".into(),
                    }
                ),
            ),
            (
                "Contraindications".into(),
                list(&findings.contraindications),
            ),
            ("Warnings".into(), list(&findings.warnings)),
            ("Psychosis".into(), yes_no(answer_of(r, "psychosis"))),
            (
                "Substance use".into(),
                yes_no(answer_of(r, "substance_use")),
            ),
            ("Pregnancy".into(), yes_no(answer_of(r, "pregnancy"))),
        ];
        if findings.unanswered > 0 {
            kv.push((
                "Unanswered".into(),
                format!("{} question(s)", findings.unanswered),
            ));
        }
        b.push(Block::Anchor(anchor::screening(r.id)));
        b.push(Block::KeyValues(kv));
        // The full questionnaire, without repeating its title line.
        b.extend(
            screening_blocks(r)
                .into_iter()
                .filter(|x| !matches!(x, Block::Paragraph(_))),
        );
    }
}

/// Scores against baseline, sessions against the authorization, adverse events, adherence and
/// the plan.
pub(crate) fn reauthorization(cx: &Cx<'_>, b: &mut Vec<Block>) {
    let d = cx.d;
    b.push(Block::Anchor(anchor::REAUTH.into()));
    b.push(Block::Heading("Re-authorization summary".into()));
    let Some(r) = &d.reauth else {
        b.push(Block::Note(
            "No re-authorization facts were gathered.".into(),
        ));
        return;
    };

    b.push(Block::Note(format!(
        "Response to date, sessions against the authorization, adverse events, adherence and \
         the plan, for renewal under {} ({}).",
        d.rules.policy, d.rules.payer
    )));
    b.push(Block::Anchor(anchor::SCORES.into()));
    b.push(Block::Heading("Response against baseline".into()));
    let threshold = r.min_improvement_percent;
    let rows: Vec<Vec<Cell>> = r
        .trends
        .iter()
        .filter_map(|t| {
            let (base, latest) = (t.baseline()?, t.latest()?);
            let score = |a: &ketachart_core::scores::Administration| {
                format!(
                    "{}\n{}",
                    a.total.map(|x| x.to_string()).unwrap_or_default(),
                    at(&a.administered_at)
                )
            };
            let change = t.change.as_ref();
            let meets = match (threshold, change.and_then(|c| c.reduction_percent)) {
                (Some(m), Some(p)) if p + 1e-9 >= m => Cell::new(format!("Yes (≥ {m:.0}%)")),
                (Some(m), Some(_)) => Cell::flagged("No", format!("needs ≥ {m:.0}%")),
                (Some(_), None) => Cell::flagged("Cannot tell", "no change computable"),
                (None, _) => Cell::new("Policy sets no threshold"),
            };
            Some(vec![
                Cell::new(t.instrument_name.clone()),
                Cell::new(score(base)).anchored(anchor::score(base.id)),
                Cell::new(score(latest)).anchored(anchor::score(latest.id)),
                Cell::new(change.map_or_else(|| "Only one score".into(), change_text)),
                meets,
            ])
        })
        .collect();
    if rows.is_empty() {
        b.push(Block::Note("No rating-scale scores recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![
                Column::new("Instrument", 1.1),
                Column::new("Baseline", 1.3),
                Column::new("Current", 1.3),
                Column::new("Change", 2.6),
                Column::new(
                    match threshold {
                        Some(m) => format!("Meets the policy's {m:.0}%?"),
                        None => "Meets the policy?".into(),
                    },
                    1.3,
                ),
            ],
            rows,
        });
    }

    b.push(Block::Heading("Sessions against the authorization".into()));
    if r.courses.is_empty() {
        b.push(Block::Note(
            "No treatment course of this service recorded.".into(),
        ));
    } else {
        b.push(Block::Table {
            columns: vec![
                Column::new("Course", 2.2),
                Column::new("Status", 1.0),
                Column::new("Sessions", 0.9),
                Column::new("Signed", 0.8),
                Column::new("Authorized", 1.0),
                Column::new("Authorization", 1.4),
            ],
            rows: r
                .courses
                .iter()
                .map(|c| {
                    let authorized = match c.authorized {
                        Some(a) if c.sessions > a => Cell::flagged(
                            a.to_string(),
                            format!("{} over the authorization", c.sessions - a),
                        ),
                        Some(a) => Cell::new(a.to_string()),
                        None => Cell::new("Not recorded"),
                    };
                    vec![
                        Cell::new(format!(
                            "{}\nfrom {}{}",
                            c.course.modality.map_or("Course", |m| m.label()),
                            pd(&c.course.start_date),
                            c.course
                                .end_date
                                .as_deref()
                                .map(|e| format!(" to {}", pd(e)))
                                .unwrap_or_default()
                        )),
                        Cell::new(c.course.status.label()),
                        Cell::new(c.sessions.to_string()),
                        Cell::new(c.signed.to_string()),
                        authorized,
                        Cell::new(
                            c.course
                                .authorization_number
                                .clone()
                                .unwrap_or_else(|| "—".into()),
                        ),
                    ]
                })
                .collect(),
        });
    }

    b.push(Block::Heading("Adverse events".into()));
    if r.adverse_events.is_empty() {
        b.push(Block::Note(
            "No adverse events recorded in the sessions.".into(),
        ));
    } else {
        b.push(Block::Table {
            columns: vec![
                Column::new("Date", 1.0),
                Column::new("Event", 3.0),
                Column::new("Severity", 1.0),
            ],
            rows: r
                .adverse_events
                .iter()
                .map(|(date, event, severity)| {
                    vec![
                        Cell::new(pd(date)),
                        Cell::new(event.clone()),
                        Cell::new(if severity.is_empty() {
                            "—".to_string()
                        } else {
                            severity.clone()
                        }),
                    ]
                })
                .collect(),
        });
    }

    let ongoing: Vec<String> = d
        .facts
        .trials
        .iter()
        .filter(|t| t.data.ongoing && !is_augmentation(t))
        .map(|t| format!("{} (since {})", t.data.drug_name, t.data.start.display()))
        .collect();
    let required = d
        .rules
        .reauthorization
        .as_ref()
        .is_some_and(|x| x.concomitant_oral_antidepressant);
    let mut plan = format!("Continue {}", d.service.label().to_lowercase());
    if let Some(s) = d.sessions {
        plan.push_str(&format!(", {s} sessions"));
    }
    if let (Some(a), Some(z)) = (d.start, d.end) {
        plan.push_str(&format!(", {} to {}", day(a), day(z)));
    }
    if let Some(m) = d
        .rules
        .reauthorization
        .as_ref()
        .and_then(|x| x.approval_months)
    {
        plan.push_str(&format!(" (the policy renews for up to {m} months)"));
    }
    plan.push('.');
    b.push(Block::Heading("Adherence and plan".into()));
    b.push(Block::KeyValues(vec![
        (
            "Concomitant oral antidepressant".into(),
            format!(
                "{}{}",
                if ongoing.is_empty() {
                    "None ongoing in the chart".to_string()
                } else {
                    format!("Ongoing: {}", ongoing.join("; "))
                },
                if required {
                    " (the policy requires one)"
                } else {
                    ""
                }
            ),
        ),
        ("Plan".into(), plan),
    ]));
}
