//! Prior-authorization documents from a real vault: the initial packet (cover sheet, letter,
//! treatment-failure table, scores, screening, criterion → evidence table with page citations,
//! attestation, attachments), the draft watermark and the provider override, the
//! re-authorization packet, the appeal and the superbill. Checked with `qpdf --check`,
//! `pdftotext` (page by page) and `pdffonts`.

mod support;

use std::path::Path;
use std::process::Command;

use chrono::{Days, NaiveDate};
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::pa::attestation::{Attestation, AttestationKind};
use ketachart_core::pa::check::CheckRequest;
use ketachart_core::pa::outcome::Verdict;
use ketachart_core::pa::packet::{self, PacketData, PacketKind, PacketSpec};
use ketachart_core::pa::superbill::{SuperbillData, SuperbillLine};
use ketachart_core::pa::Service;
use ketachart_core::patient::{self, Address, PatientInput};
use ketachart_core::payer::{self, PayerInput, PayerType};
use ketachart_core::profile::clinic::ClinicProfileInput;
use ketachart_core::profile::provider::{ProviderProfileInput, Specialty};
use ketachart_core::record::coverage::{Benefit, Coverage, Priority, Relationship};
use ketachart_core::record::diagnosis::{Diagnosis, DiagnosisStatus};
use ketachart_core::record::episode::{ConfirmedBy, Course as EpisodeCourse, Episode, Severity};
use ketachart_core::record::psychotherapy::{
    Modality as TherapyModality, Psychotherapy, TherapyOutcome,
};
use ketachart_core::record::screening::{
    Answer, BloodPressure, Screening, ScreeningAnswer, ScreeningModality,
};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::scores::{self, Mode, ScoreInput};
use ketachart_core::treatment::session::{
    AdverseEvent, Concomitant, Discharge, Severity as AeSeverity, SpravatoDose, TreatmentSession,
    VitalsRow,
};
use ketachart_core::treatment::{view, Course, CourseStatus, Indication, Modality};
use ketachart_core::trial::{self, DoseInput, TrialInput};
use ketachart_core::user::manage::{self, NewUser};
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};
use ketachart_pdf::{pa_packet, superbill};

const PASS: &str = "copper kettle moonlit harbour";
const CLINIC: &str = "Klinika Północ & Søn";
const GIVEN: &str = "Zoë \"Z\"";
const FAMILY: &str = "O'Brien <b>";
/// The family name as the page header prints it (upper case), then the given name.
const NAME_ON_PAGE: &str = "O'BRIEN <B>, Zoë \"Z\"";
const DOB: &str = "03-Feb-1979";

/// A rule set written for these tests (the bundled file is maintained elsewhere): every
/// criterion kind the chart below can meet, two failed trials of two classes.
const RULES: &str = r#"{
  "format": "ketachart-pa-rules",
  "schemaVersion": 1,
  "published": "2026-01-01",
  "sources": {"T1": "Test policy text"},
  "ruleSets": [
    {
      "id": "test-spravato-trd",
      "version": "2026-01",
      "payer": "Test Health",
      "policy": "TH-101 Esketamine",
      "service": "spravato_trd",
      "effectiveFrom": "2020-01-01",
      "sources": ["T1"],
      "verified": true,
      "coverage": "covered",
      "criteria": {
        "age": {"min": 18},
        "prescriber": {"allowed": ["psychiatrist"]},
        "diagnosis": {"include": ["F33*", "F32*"], "exclude": ["F31*"]},
        "episode": {"currentRequired": true},
        "psychosis": {"handling": "attestation"},
        "baselineScore": {"anyOf": [{"instrument": "phq9", "atLeast": 15}], "maxAgeDays": 60},
        "contraindications": {"maxAgeDays": 90},
        "rems": {"certifiedSetting": true},
        "pdmp": {"maxAgeDays": 90},
        "pregnancy": {"excludes": true}
      },
      "pathways": [
        {
          "id": "trials",
          "label": "Two failed antidepressants of different classes, 6 weeks each",
          "antidepressantTrials": {"minTrials": 2, "distinctClasses": 2, "minWeeks": 6, "episode": "all", "nonResponseMaxImprovementPercent": 25}
        }
      ],
      "approval": {"initialMonths": 6, "maxSessions": 32},
      "reauthorization": {"minImprovementPercent": 20, "approvalMonths": 6}
    },
    {
      "id": "test-strict-spravato-trd",
      "version": "1",
      "payer": "Strict Health",
      "policy": "SH-9 Esketamine",
      "service": "spravato_trd",
      "effectiveFrom": "2020-01-01",
      "sources": ["T1"],
      "verified": false,
      "coverage": "covered",
      "criteria": {
        "age": {"min": 18},
        "episode": {"currentRequired": true, "structuredInterview": true}
      },
      "pathways": [
        {
          "id": "trials",
          "label": "Four failed antidepressants",
          "antidepressantTrials": {"minTrials": 4, "distinctClasses": 2, "minWeeks": 8, "episode": "all"}
        }
      ]
    }
  ]
}"#;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

struct Chart {
    s: Session,
    pid: i64,
    doc_id: i64,
    trials: Vec<i64>,
}

fn chart(dir: &Path) -> Chart {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: CLINIC.into(),
                admin_display_name: "Dr Émile Okafor".into(),
                admin_username: "doc".into(),
                passphrase: PASS.into(),
                passphrase_confirmation: PASS.into(),
            },
            KdfParams::FAST_FOR_TESTS,
        )
        .unwrap()
        .session;
    let me = s.user().id;
    manage::set_roles(&mut s, me, &[Role::Admin, Role::Provider]).unwrap();
    ketachart_core::profile::clinic::update(
        &mut s,
        &ClinicProfileInput {
            name: CLINIC.into(),
            address_line1: "100 Example Avenue".into(),
            address_line2: "Suite 200".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62701".into(),
            phone: "(217) 555-0140".into(),
            fax: "(217) 555-0141".into(),
            tin: "12-3456789".into(),
            npi: "1234567893".into(),
            rems_setting_id: "SPR-REMS-0001".into(),
        },
    )
    .unwrap();
    ketachart_core::profile::provider::update(
        &mut s,
        "doc",
        &ProviderProfileInput {
            given_name: "Émile".into(),
            family_name: "Okafor".into(),
            credentials: "MD".into(),
            npi: "1999999992".into(),
            phone: "(217) 555-0142".into(),
            email: "okafor@example.org".into(),
            prescriber: true,
            specialty: Some(Specialty::Psychiatrist),
        },
    )
    .unwrap();
    ketachart_core::pa::registry::import(&s, "test rules", RULES).unwrap();

    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: GIVEN.into(),
            family_name: FAMILY.into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1979, 2, 3).unwrap()),
            address: Address {
                line1: Some("1 Łódź Street".into()),
                city: Some("Springfield".into()),
                region: Some("IL".into()),
                postal_code: Some("62701".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let pid = p.id.0;
    let payer = payer::create(
        &mut s,
        &PayerInput {
            name: "Test Health".into(),
            payer_type: Some(PayerType::Commercial),
            pa_phone: Some("(800) 555-0100".into()),
            pa_fax: Some("(800) 555-0101".into()),
            active: true,
        },
    )
    .unwrap();
    let create =
        |s: &mut Session, body: RecordBody| record::create(s, pid, &body, today()).unwrap();
    create(
        &mut s,
        RecordBody::Coverage(Coverage {
            payer_id: payer.id,
            plan_name: "Open Access Plus".into(),
            member_id: "TH-0042-77".into(),
            group_number: Some("G-1187".into()),
            relationship: Some(Relationship::Self_),
            subscriber_name: None,
            benefit: Some(Benefit::Both),
            priority: Some(Priority::Primary),
            effective_from: "2024-01-01".into(),
            effective_to: None,
            pa_phone: None,
            pa_fax: None,
        }),
    );
    create(
        &mut s,
        RecordBody::Diagnosis(Diagnosis {
            code: "F33.2".into(),
            onset: Some("2023-09".into()),
            status: Some(DiagnosisStatus::Active),
            primary: true,
            note: None,
        }),
    );
    create(
        &mut s,
        RecordBody::Episode(Episode {
            onset: "2023-09".into(),
            end: None,
            current: true,
            course: Some(EpisodeCourse::Recurrent),
            severity: Some(Severity::Severe),
            psychotic_features: Some(false),
            confirmed_by: Some(ConfirmedBy::ClinicalInterview),
            instrument: None,
            confirming_clinician: "Dr Émile Okafor".into(),
            confirmed_on: Some(iso(days_ago(20))),
            note: None,
        }),
    );
    create(
        &mut s,
        RecordBody::Psychotherapy(Psychotherapy {
            modality: Some(TherapyModality::Cbt),
            modality_other: None,
            start: "2024-10".into(),
            end: Some("2025-02".into()),
            ongoing: false,
            sessions: Some("14".into()),
            therapist: Some("Sam Therapist, LCSW".into()),
            outcome: Some(TherapyOutcome::NoResponse),
            current_episode: true,
            source_note: None,
        }),
    );
    let screening = create(&mut s, RecordBody::Screening(spravato_screening()));
    record::sign(&mut s, screening.id, screening.version, PASS).unwrap();

    let mut trials = Vec::new();
    for (drug, start, stop, steps, adherence) in [
        (
            "sertraline",
            "2024-01-08",
            "2024-04-15",
            vec![("2024-01-08", "50"), ("2024-01-22", "150")],
            "90",
        ),
        (
            "venlafaxine",
            "2024-05-06",
            "2024-09-02",
            vec![("2024-05-06", "75"), ("2024-05-20", "225")],
            "85",
        ),
    ] {
        let t = trial::create(
            &mut s,
            pid,
            &TrialInput {
                drug: drug.into(),
                role: "monotherapy".into(),
                start_date: start.into(),
                stop_date: stop.into(),
                doses: steps
                    .into_iter()
                    .map(|(from, daily)| DoseInput {
                        from: from.into(),
                        daily: daily.into(),
                    })
                    .collect(),
                adherence_percent: adherence.into(),
                adherence_source: "pharmacy_fills".into(),
                outcome: "no_response".into(),
                reason_stopped: "No response at the maximum tolerated dose".into(),
                current_episode: true,
                score_instrument: "PHQ-9".into(),
                pre_score: "22".into(),
                post_score: "20".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        trials.push(t.id);
    }
    // Weekly PHQ-9 over five weeks, the latest 3 days ago (no safety item endorsed).
    for (i, total) in [22, 21, 21, 20, 19].into_iter().enumerate() {
        let day = days_ago(3 + 7 * (4 - i as u64));
        let answers = (1..=9)
            .map(|item| {
                let v = if item == 9 {
                    0
                } else {
                    ((total - (item - 1)) + 7) / 8
                };
                (item.to_string(), v.clamp(0, 3))
            })
            .chain([("10".to_string(), 1)])
            .collect();
        scores::record(
            &mut s,
            pid,
            &ScoreInput {
                instrument: "phq9".into(),
                administered_at: format!("{}T09:00", iso(day)),
                mode: Some(Mode::SelfReport),
                answers,
                ..Default::default()
            },
            chrono::Local::now().naive_local(),
        )
        .unwrap();
    }
    Chart {
        s,
        pid,
        doc_id: me,
        trials,
    }
}

fn spravato_screening() -> Screening {
    let on = iso(days_ago(10));
    let reference = ketachart_core::reference::screening::bundled().unwrap();
    Screening {
        modality: Some(ScreeningModality::Spravato),
        date: on.clone(),
        answers: reference
            .items("spravato")
            .iter()
            .map(|it| ScreeningAnswer {
                item: it.id.clone(),
                answer: Some(Answer::No),
                detail: None,
            })
            .collect(),
        blood_pressure: vec![BloodPressure {
            date: on.clone(),
            systolic: "128".into(),
            diastolic: "82".into(),
        }],
        pdmp_checked_on: Some(iso(days_ago(9))),
        pdmp_result: Some("No controlled substances dispensed".into()),
        no_known_allergies: true,
        allergies: None,
        current_medications: Some("None".into()),
        note: None,
    }
}

fn spec(c: &Chart, kind: PacketKind, rule_set: &str) -> PacketSpec {
    PacketSpec {
        request_id: None,
        course_record_id: None,
        kind,
        check: CheckRequest {
            patient_id: c.pid,
            rule_set_id: rule_set.into(),
            rule_set_version: None,
            service: Service::SpravatoTrd,
            on: today(),
            ordering_provider: Some(c.doc_id),
            attestations: Vec::new(),
        },
        rendering_provider: None,
        lines: Vec::new(),
        diagnosis_codes: Vec::new(),
        start: None,
        end: None,
        sessions: None,
        letter: None,
        override_reason: None,
        reference: Some("REF-2026-0042".into()),
        auth_number: None,
        denial_reason: None,
        appeal_letter: None,
        previous_authorized_sessions: None,
    }
}

/// Writes `bytes`, checks the file with qpdf and pdffonts, and returns the text of each page
/// as `pdftotext` with `args` extracts it.
fn pages_of(dir: &Path, name: &str, bytes: &[u8], args: &[&str]) -> Vec<String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    // `KETACHART_PDF_DUMP=/some/dir` keeps a copy of every PDF for a look.
    if let Some(keep) = std::env::var_os("KETACHART_PDF_DUMP") {
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf is installed");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(row.contains("DejaVuSans"), "{row}");
        assert_eq!(cols[4], "yes", "font not embedded: {row}");
    }
    let out = Command::new("pdftotext")
        .args(args)
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Characters of `with` minus those of `without`, sorted (whitespace ignored).
fn char_difference(with: &str, without: &str) -> String {
    let mut extra: Vec<char> = with.chars().filter(|c| !c.is_whitespace()).collect();
    extra.sort_unstable();
    let mut base: Vec<char> = without.chars().filter(|c| !c.is_whitespace()).collect();
    base.sort_unstable();
    for c in base {
        let i = extra
            .binary_search(&c)
            .unwrap_or_else(|_| panic!("{c:?} is only in the extraction without diagonal text"));
        extra.remove(i);
    }
    extra.into_iter().collect()
}

fn sorted_chars(s: &str) -> String {
    let mut v: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    v.sort_unstable();
    v.into_iter().collect()
}

/// Whitespace collapsed, so wrapped text can be searched.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_every_page_header(pages: &[String]) {
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        let w = words(page);
        for expected in [CLINIC, NAME_ON_PAGE, DOB] {
            assert!(w.contains(expected), "page {}: {expected:?} missing", i + 1);
        }
        assert!(
            w.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {}",
            i + 1
        );
    }
}

fn gather(c: &Chart, spec: &PacketSpec) -> PacketData {
    packet::gather(&c.s, spec, today()).unwrap()
}

/// Every `— p. N` that follows `needle` in `text` (raw reading order), as page numbers.
fn cited_pages(text: &str, needle: &str) -> Vec<usize> {
    let text = words(text);
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find(needle) {
        rest = &rest[i + needle.len()..];
        // The citation ends the evidence item, before the next bullet.
        let item = rest.split('•').next().unwrap_or_default();
        if let Some(j) = item.find("— p. ") {
            let n: String = item[j + "— p. ".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            out.push(n.parse().unwrap());
        }
    }
    out
}

#[test]
fn the_initial_packet_shows_every_section_and_cites_the_pages_its_evidence_is_on() {
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    let data = gather(&c, &spec(&c, PacketKind::Initial, "test-spravato-trd"));
    assert_eq!(
        data.evaluation.verdict,
        Verdict::Ready,
        "{:#?}",
        data.evaluation
            .criteria
            .iter()
            .map(|x| (&x.label, x.status, &x.explanation))
            .collect::<Vec<_>>()
    );
    assert!(!data.is_draft());
    // Both trials count toward the pathway the table reports.
    let best = data
        .evaluation
        .pathways
        .iter()
        .find(|p| Some(&p.id) == data.evaluation.best_pathway.as_ref());
    for id in &c.trials {
        assert!(best
            .unwrap()
            .trial_checks
            .iter()
            .any(|x| x.trial_id == *id && x.status == ketachart_core::pa::Status::Met));
    }
    let bytes = pa_packet::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "packet.pdf", &bytes, &["-layout"]);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    assert_every_page_header(&pages);
    let all = words(&pages.join("\n"));

    // Cover sheet: payer, member, codes, ICD-10, providers, clinic, rule set.
    let cover = words(&pages[0]);
    for expected in [
        "Test Health",
        "TH-0042-77",
        "G-1187",
        "(800) 555-0101",
        "J0013",
        "50458-0028-02",
        "F33.2",
        "Major depressive disorder, recurrent",
        "1999999992",
        "Okafor",
        "12-3456789",
        "1234567893",
        "SPR-REMS-0001",
        "TH-101 Esketamine",
        "version 2026-01",
        "criteria met: ready to submit",
        "REF-2026-0042",
    ] {
        assert!(
            cover.contains(expected),
            "cover sheet lacks {expected:?}:\n{cover}"
        );
    }
    // Sections in order.
    let order = [
        "Letter of medical necessity",
        "Treatment-failure table: antidepressant trials",
        "Augmentation trials",
        "Psychotherapy and other treatments",
        "Rating-scale history",
        "Safety and contraindication screening",
        "Criteria and evidence",
        "Provider attestation and signature",
        "Attachments",
    ];
    let mut at = 0;
    for h in order {
        let i = all[at..]
            .find(h)
            .unwrap_or_else(|| panic!("{h:?} missing or out of order"));
        at += i + h.len();
    }
    // Both trials, the letter verbatim, every criterion label.
    for expected in ["Sertraline", "Venlafaxine", "SSRI", "SNRI", "Sam Therapist"] {
        assert!(all.contains(expected), "{expected:?} missing");
    }
    for para in data.letter.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let first_line = words(para.lines().next().unwrap());
        assert!(
            all.contains(&first_line),
            "letter line {first_line:?} missing"
        );
    }
    for cr in &data.evaluation.criteria {
        assert!(
            all.contains(&words(&cr.label)),
            "criterion {:?} missing",
            cr.label
        );
    }
    assert!(
        all.contains("No controlled substances dispensed"),
        "PDMP result"
    );
    // No placeholder survived the page-reference passes, no watermark on a ready packet.
    assert!(!all.contains("p. ?"));
    assert_eq!(
        pages,
        pages_of(tmp.path(), "packet.pdf", &bytes, &["-layout", "-nodiag"])
    );

    // The criterion table cites the page the trial table (and its rows) is on.
    let raw = pages_of(tmp.path(), "packet-raw.pdf", &bytes, &["-raw"]);
    assert_eq!(raw.len(), pages.len());
    let trial_page = 1 + pages
        .iter()
        .position(|p| words(p).contains("Treatment-failure table: antidepressant trials"))
        .unwrap();
    let criteria_text: String = raw.join("\n");
    for drug in ["Sertraline", "Venlafaxine"] {
        let cited = cited_pages(&criteria_text, &format!("{drug} "));
        assert!(!cited.is_empty(), "{drug} is not cited with a page");
        for p in &cited {
            assert!(
                words(&pages[p - 1]).contains(drug) && words(&pages[p - 1]).contains("Counts"),
                "{drug} cited on p. {p}, but its trial row is not there"
            );
        }
        assert!(
            cited.contains(&trial_page),
            "{drug}: {cited:?} vs {trial_page}"
        );
    }
    // The PHQ-9 evidence points at the score history page, the screening at its section.
    let score_page = 1 + pages
        .iter()
        .position(|p| words(p).contains("Rating-scale history"))
        .unwrap();
    let phq = cited_pages(&criteria_text, "PHQ-9 19");
    assert!(!phq.is_empty(), "PHQ-9 not cited");
    for p in phq {
        assert!(p >= score_page && words(&pages[p - 1]).contains("Patient (self-report)"));
    }
    // The patient's name is printed literally: quotes and markup are text.
    assert!(all.contains(&FAMILY.to_uppercase()));
    assert!(!all.contains("&quot;") && !all.contains("&lt;"));
}

#[test]
fn a_packet_with_gaps_is_a_draft_on_every_page_until_a_provider_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    let mut sp = spec(&c, PacketKind::Initial, "test-strict-spravato-trd");
    let data = gather(&c, &sp);
    assert!(data.evaluation.has_gaps());
    assert!(data.is_draft());
    let bytes = pa_packet::render(&data).unwrap();
    // Poppler extracts the diagonal watermark as fragments glued to nearby words: compare
    // with the same document rendered without it; each page gains exactly its characters.
    let pages = pages_of(tmp.path(), "draft.pdf", &bytes, &["-layout"]);
    let unmarked = ketachart_pdf::render_with_page_refs(|p| {
        let mut doc = pa_packet::document(&data, p);
        doc.watermark = None;
        doc
    })
    .unwrap();
    let straight = pages_of(tmp.path(), "unmarked.pdf", &unmarked, &["-layout"]);
    assert_eq!(pages.len(), straight.len());
    for (i, (with, without)) in pages.iter().zip(&straight).enumerate() {
        assert_eq!(
            char_difference(with, without),
            sorted_chars(pa_packet::DRAFT_WATERMARK),
            "page {} lacks the watermark",
            i + 1
        );
    }
    assert_every_page_header(&straight);
    // With the draft status line under the header, the cover sheet still fits its page.
    assert!(words(&straight[0]).contains("SPR-REMS-0001"));
    let all = words(&straight.join("\n"));
    assert!(all.contains("NOT MET") || all.contains("INSUFFICIENT"));
    assert!(
        all.contains("Requires review"),
        "unverified rule set is flagged"
    );

    // A provider's override reason makes it final: no watermark, the reason printed.
    sp.override_reason = Some((
        "Fourth trial contraindicated by QTc prolongation; see cardiology note".into(),
        "Dr Émile Okafor".into(),
        "2026-11-20T15:00:00Z".into(),
    ));
    let data = gather(&c, &sp);
    assert!(!data.is_draft());
    let bytes = pa_packet::render(&data).unwrap();
    assert!(pa_packet::document(&data, &Default::default())
        .watermark
        .is_none());
    let pages = pages_of(tmp.path(), "override.pdf", &bytes, &["-layout"]);
    let straight = pages_of(tmp.path(), "override.pdf", &bytes, &["-layout", "-nodiag"]);
    assert_eq!(
        pages, straight,
        "an overridden packet is final: no diagonal text"
    );
    let all = words(&pages.join("\n"));
    assert!(all.contains("Fourth trial contraindicated by QTc prolongation"));
}

#[test]
fn attestations_are_printed_with_who_and_when() {
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    let mut sp = spec(&c, PacketKind::Initial, "test-spravato-trd");
    sp.check.attestations = vec![Attestation {
        kind: AttestationKind::PsychosisBenefitOutweighsRisk,
        by: c.doc_id,
        by_name: "Dr Émile Okafor".into(),
        at: "2026-11-20T15:00:00Z".into(),
    }];
    let data = gather(&c, &sp);
    let bytes = pa_packet::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "attested.pdf", &bytes, &["-layout"]);
    let all = words(&pages.join("\n"));
    assert!(all.contains(&words(
        AttestationKind::PsychosisBenefitOutweighsRisk.statement()
    )));
    assert!(all.contains("Attested by Dr Émile Okafor"));
    assert!(all.contains("Signature"));
}

fn vitals(tp: &str, time: &str) -> VitalsRow {
    VitalsRow {
        timepoint: tp.into(),
        time: Some(time.into()),
        systolic: Some("128".into()),
        diastolic: Some("82".into()),
        heart_rate: Some("72".into()),
        spo2: Some("98".into()),
        respiratory_rate: Some("14".into()),
        moaas: Some("5".into()),
    }
}

/// A Spravato course with three signed sessions (billing codes as suggested), the first with
/// mild dissociation.
fn spravato_course(c: &mut Chart) -> i64 {
    support::enroll_in_rems(&mut c.s, c.pid, days_ago(60), today());
    support::sign_required_consents(&c.s, c.pid, Modality::Spravato, days_ago(60), PASS);
    let course = record::create(
        &mut c.s,
        c.pid,
        &RecordBody::Course(Course {
            modality: Some(Modality::Spravato),
            indication: Some(Indication::Trd),
            protocol_id: Some("spravato_trd".into()),
            phases: vec![],
            start_date: iso(days_ago(20)),
            status: CourseStatus::Active,
            status_reason: None,
            end_date: None,
            authorized_units: Some("8".into()),
            authorization_number: Some("AUTH-77-A".into()),
            note: None,
        }),
        today(),
    )
    .unwrap()
    .id;
    for (i, ago) in [20u64, 16, 13].into_iter().enumerate() {
        let mut body = TreatmentSession {
            course_id: course,
            date: iso(days_ago(ago)),
            weight: None,
            ketamine: None,
            spravato: Some(SpravatoDose {
                rems_enrolled: Some(true),
                concomitant: Concomitant {
                    benzodiazepines: Some(false),
                    non_benzodiazepine_hypnotics: Some(false),
                    psychostimulants: Some(false),
                    maois: Some(false),
                    opioids: Some(false),
                },
                dose_mg: Some(56),
                device_times: vec!["09:00".into(), "09:05".into()],
                lot: Some("SPR-LOT-77".into()),
                expiry: None,
                ready_to_leave_minutes: Some("90".into()),
                vitals_acceptable_before: Some(true),
                vitals_acceptable_at_end: Some(true),
                sedation: Some(false),
                dissociation: Some(i == 0),
                respiratory_depression: Some(false),
            }),
            tms: None,
            vitals: vec![
                vitals("pre", "08:50"),
                vitals("m40", "09:40"),
                vitals("discharge", "11:00"),
            ],
            hold_override: None,
            adverse_events: if i == 0 {
                vec![AdverseEvent {
                    event: "dissociation".into(),
                    severity: Some(AeSeverity::Mild),
                    action: Some("Reassurance".into()),
                    detail: None,
                }]
            } else {
                vec![]
            },
            discharge: Discharge {
                criteria: [
                    "mental_status",
                    "vitals_near_baseline",
                    "ambulatory",
                    "escort",
                    "no_driving",
                ]
                .map(String::from)
                .to_vec(),
                time: Some("11:00".into()),
                escort_name: Some("Sam O'Brien".into()),
                note: None,
            },
            billing: vec![],
            note: None,
        };
        let (facts, _) = view::evaluate(&c.s, c.pid, &body, None).unwrap();
        body.billing = facts.suggested_billing;
        let saved = record::create(&mut c.s, c.pid, &RecordBody::Session(body), today()).unwrap();
        record::sign(&mut c.s, saved.id, saved.version, PASS).unwrap();
    }
    course
}

#[test]
fn the_reauthorization_packet_compares_scores_with_baseline_and_counts_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = chart(&tmp.path().join("vault"));
    spravato_course(&mut c);
    let data = gather(
        &c,
        &spec(&c, PacketKind::Reauthorization, "test-spravato-trd"),
    );
    let r = data.reauth.as_ref().unwrap();
    assert_eq!(r.courses.len(), 1);
    assert_eq!(r.min_improvement_percent, Some(20.0));
    let bytes = pa_packet::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "reauth.pdf", &bytes, &["-layout"]);
    assert_every_page_header(&pages);
    let all = words(&pages.join("\n"));
    for expected in [
        "Re-authorization request",
        "Re-authorization summary",
        "Response against baseline",
        "Meets the policy's 20%?",
        // PHQ-9 22 → 19 is a 14 % reduction: below the policy's 20 %.
        "−14 % from baseline",
        "needs ≥ 20%",
        "Sessions against the authorization",
        "AUTH-77-A",
        "Adverse events",
        "dissociation",
        "mild",
        "Concomitant oral antidepressant",
        "Letter of medical necessity",
        "Criteria and evidence",
    ] {
        assert!(all.contains(expected), "{expected:?} missing:\n{all}");
    }
    let summary = all.find("Re-authorization summary").unwrap();
    let letter = all.find("Letter of medical necessity").unwrap();
    let criteria = all.find("Criteria and evidence").unwrap();
    assert!(summary < letter && letter < criteria);
    assert!(
        !all.contains("Treatment-failure table"),
        "not part of a renewal"
    );
}

#[test]
fn the_appeal_starts_with_the_appeal_letter_and_its_denial_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    let mut sp = spec(&c, PacketKind::Appeal, "test-spravato-trd");
    sp.denial_reason = Some("Insufficient trial duration (<b>6 weeks</b> not shown)".into());
    let data = gather(&c, &sp);
    let bytes = pa_packet::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "appeal.pdf", &bytes, &["-layout"]);
    assert_every_page_header(&pages);
    let first = words(&pages[0]);
    assert!(first.contains("Appeal of a prior-authorization denial"));
    assert!(first.contains("Appeal letter"));
    assert!(
        first.contains("Insufficient trial duration (<b>6 weeks</b> not shown)"),
        "{first}"
    );
    let all = words(&pages.join("\n"));
    let letter = all.find("Appeal letter").unwrap();
    let criteria = all.find("Criteria and evidence").unwrap();
    let trials = all.find("Treatment-failure table").unwrap();
    assert!(letter < criteria && criteria < trials);
    assert!(all.contains("Sertraline") && all.contains("Venlafaxine"));
    assert!(!all.contains("p. ?"));
}

#[test]
fn the_superbill_prices_signed_sessions_and_names_codes_without_a_fee() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = chart(&tmp.path().join("vault"));
    spravato_course(&mut c);
    // From the vault: signed sessions, no fee schedule yet.
    let data = ketachart_core::pa::superbill::gather(
        &c.s,
        c.pid,
        Service::SpravatoTrd,
        days_ago(30),
        today(),
    )
    .unwrap();
    assert!(!data.lines.is_empty());
    assert!(!data.missing_fees.is_empty());
    let bytes = superbill::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "superbill.pdf", &bytes, &["-layout"]);
    assert_every_page_header(&pages);
    let all = words(&pages.join("\n"));
    assert!(all.contains("Superbill"));
    assert!(all.contains(&words(superbill::PAID_BY_PATIENT)));
    assert!(all.contains("F33.2"));
    assert!(all.contains("Not priced"));
    for code in &data.missing_fees {
        assert!(all.contains(code.as_str()), "{code}");
    }

    // With fees: line totals and the grand total in dollars.
    let priced = SuperbillData {
        lines: vec![
            SuperbillLine {
                date: iso(days_ago(20)),
                code: "G2082".into(),
                description: "Esketamine, up to 56 mg, with 2 hours of observation".into(),
                units: 1,
                ndc: None,
                fee_cents: Some(95_000),
            },
            SuperbillLine {
                date: iso(days_ago(16)),
                code: "J0013".into(),
                description: "Esketamine, 1 mg".into(),
                units: 56,
                ndc: Some("50458-0028-02".into()),
                fee_cents: Some(1_625),
            },
        ],
        missing_fees: Vec::new(),
        ..data
    };
    assert_eq!(priced.total_cents(), 95_000 + 56 * 1_625);
    let bytes = superbill::render(&priced).unwrap();
    let pages = pages_of(tmp.path(), "superbill-priced.pdf", &bytes, &["-layout"]);
    let all = words(&pages.join("\n"));
    for expected in ["$950.00", "$16.25", "$910.00", "$1,860.00", "50458-0028-02"] {
        assert!(all.contains(expected), "{expected:?} missing:\n{all}");
    }
    assert!(!all.contains("Not priced"));
}

#[test]
fn export_needs_authorization_rights_and_a_real_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = chart(&tmp.path().join("vault"));
    let sp = spec(&c, PacketKind::Initial, "test-spravato-trd");
    let relative = pa_packet::export(&c.s, &sp, "packet.pdf", today(), false);
    assert!(
        matches!(relative, Err(CoreError::Validation(_))),
        "{relative:?}"
    );
    let out = tmp.path().join("packet.pdf");
    let written = pa_packet::export(&c.s, &sp, out.to_str().unwrap(), today(), false).unwrap();
    assert_eq!(written, out);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));

    manage::create(
        &mut c.s,
        PASS,
        &NewUser {
            username: "nurse".into(),
            display_name: "Nina Nurse".into(),
            roles: vec![Role::Nurse],
            passphrase: PASS.into(),
            passphrase_confirmation: PASS.into(),
        },
    )
    .unwrap();
    drop(c.s);
    let nurse = VaultDir::new(tmp.path().join("vault"))
        .unlock("nurse", PASS)
        .unwrap();
    let refused = tmp.path().join("nurse.pdf");
    let r = pa_packet::export(&nurse, &sp, refused.to_str().unwrap(), today(), false);
    assert!(matches!(r, Err(CoreError::Forbidden(_))), "{r:?}");
    assert!(!refused.exists());
}

/// A one-page PDF saying `marker`, as an outside office might send it.
fn outside_pdf(marker: &str) -> Vec<u8> {
    ketachart_pdf::render(&ketachart_pdf::Document {
        header: ketachart_pdf::PageHeader {
            clinic_name: "Dr Lee's office".into(),
            document_title: "Outside records".into(),
            patient_line: "O'Brien, Zoë".into(),
            generated_line: "Faxed 02-Jan-2026".into(),
            signed_line: None,
        },
        blocks: vec![ketachart_pdf::Block::Paragraph(marker.into())],
        watermark: None,
    })
    .unwrap()
}

#[test]
fn linked_documents_are_listed_cited_and_appended_in_one_file() {
    use ketachart_core::document::{
        self, DocumentImportInput, DocumentKind, DocumentLink, LinkTarget,
    };
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    // A three-page pharmacy history (page 2 is the first trial's evidence) and an insurance
    // card photo linked to the coverage.
    let parts: Vec<std::path::PathBuf> = (1..=3)
        .map(|i| {
            let p = tmp.path().join(format!("fills-{i}.pdf"));
            std::fs::write(&p, outside_pdf(&format!("FILLS-PAGE-{i}"))).unwrap();
            p
        })
        .collect();
    let fills = tmp.path().join("fills.pdf");
    let out = Command::new("qpdf")
        .args(["--empty", "--pages"])
        .args(&parts)
        .arg("--")
        .arg(&fills)
        .output()
        .unwrap();
    assert!(out.status.success());
    let card = tmp.path().join("card.png");
    image::RgbImage::from_pixel(320, 200, image::Rgb([30, 90, 160]))
        .save(&card)
        .unwrap();
    let coverage = record::list(&c.s, c.pid, Some(record::RecordKind::Coverage))
        .unwrap()
        .first()
        .map(|r| r.id)
        .expect("the chart has a coverage");
    let import = |path: &Path, kind, title: &str, links: Vec<DocumentLink>| {
        document::import(
            &c.s,
            &DocumentImportInput {
                patient_id: c.pid,
                path: path.to_str().unwrap().into(),
                kind,
                title: title.into(),
                document_date: "2026-01-02".into(),
                source: "CVS".into(),
                links,
            },
            today(),
        )
        .unwrap()
    };
    let fills_doc = import(
        &fills,
        DocumentKind::PharmacyHistory,
        "CVS fills 2024–2025",
        vec![DocumentLink {
            target: LinkTarget::Trial,
            target_id: c.trials[0],
            page: Some(2),
        }],
    );
    let card_doc = import(
        &card,
        DocumentKind::InsuranceCardFront,
        "Member card",
        vec![DocumentLink {
            target: LinkTarget::Coverage,
            target_id: coverage,
            page: None,
        }],
    );

    // A signed consent is the patient's business with the clinic, not the payer's: linked to
    // the coverage, it stays out of the packet.
    let consent = tmp.path().join("consent.pdf");
    std::fs::write(&consent, outside_pdf("CONSENT-SCAN")).unwrap();
    import(
        &consent,
        DocumentKind::Consent,
        "Financial consent (paper)",
        vec![DocumentLink {
            target: LinkTarget::Coverage,
            target_id: coverage,
            page: None,
        }],
    );

    let sp = spec(&c, PacketKind::Initial, "test-spravato-trd");
    let data = gather(&c, &sp);
    let docs: Vec<_> = data.documents().collect();
    assert_eq!(docs.len(), 2, "{:#?}", data.attachments);
    assert_eq!(docs[0].label, "A1");
    assert_eq!(docs[0].document_id(), Some(fills_doc.id));
    assert_eq!(docs[0].pages, Some(3));
    assert_eq!(docs[1].label, "A2");
    assert_eq!(docs[1].document_id(), Some(card_doc.id));
    assert_eq!(
        data.trial_citations(c.trials[0]),
        vec!["Attachment A1, p. 2"]
    );

    // Listed and cited, not enclosed.
    let listed = pa_packet::render(&data).unwrap();
    let pages = pages_of(tmp.path(), "listed.pdf", &listed, &[]);
    let all = words(&pages.join(" "));
    assert!(
        all.contains("Pharmacy fill history: CVS fills 2024–2025 (02-Jan-2026)"),
        "{all}"
    );
    assert!(all.contains("Insurance card (front): Member card"), "{all}");
    assert!(all.contains("3 pages, not enclosed"), "{all}");
    assert!(all.contains("Source: Attachment A1, p. 2"), "{all}");
    assert!(
        all.matches("Attachment A1, p. 2").count() >= 2,
        "cited in the trial table and the criterion table: {all}"
    );

    // Appended: one file, the packet's pages then 3 + 1.
    let out = tmp.path().join("appended.pdf");
    pa_packet::export(&c.s, &sp, out.to_str().unwrap(), today(), true).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let pages = pages_of(tmp.path(), "appended-check.pdf", &bytes, &[]);
    let own = pages.len() - 4;
    assert_eq!(
        own,
        pa_packet::render(&data)
            .map(|b| pages_of(tmp.path(), "x.pdf", &b, &[]).len())
            .unwrap()
    );
    let total = pages.len();
    for (i, p) in pages.iter().enumerate() {
        assert!(
            words(p).contains(&format!("Page {} of {total}", i + 1)),
            "page {}: {p}",
            i + 1
        );
    }
    for i in 1..=3 {
        let p = words(&pages[own + i - 1]);
        assert!(p.contains(&format!("FILLS-PAGE-{i}")), "{p}");
        assert!(p.contains("Attachment A1 · O'BRIEN <B>, Zoë \"Z\""), "{p}");
    }
    let last = words(&pages[own + 3]);
    assert!(
        last.contains("Attachment A2 — Insurance card (front) — Member card"),
        "{last}"
    );
    let index = words(&pages.join(" "));
    assert!(
        index.contains(&format!("pp. {}–{}", own + 1, own + 3)),
        "the index gives the appended pages: {index}"
    );

    // The export's audit entry names the documents appended.
    let entries = ketachart_core::audit::query::list(
        &c.s,
        &ketachart_core::audit::AuditFilter::default(),
        None,
        50,
    )
    .unwrap();
    let detail = format!("{:?}", entries.entries);
    assert!(
        detail.contains(&format!(
            "appended documents {}, {}",
            fills_doc.id, card_doc.id
        )),
        "{detail}"
    );
}

#[test]
fn appending_with_no_linked_documents_exports_the_packet_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let c = chart(&tmp.path().join("vault"));
    let sp = spec(&c, PacketKind::Initial, "test-spravato-trd");
    let out = tmp.path().join("packet.pdf");
    pa_packet::export(&c.s, &sp, out.to_str().unwrap(), today(), true).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let alone = pa_packet::render(&gather(&c, &sp)).unwrap();
    assert_eq!(
        pages_of(tmp.path(), "appended.pdf", &bytes, &[]).len(),
        pages_of(tmp.path(), "alone.pdf", &alone, &[]).len()
    );
}
