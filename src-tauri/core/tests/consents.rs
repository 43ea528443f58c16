//! Consents and ABNs on a real vault: templating (placeholders, literal values), versions,
//! refused signatures and passphrases storing nothing, a signed consent stored as a document,
//! the first-session gate (refused naming every missing consent, then passing), and the ABN
//! (needed for Medicare with a non-covering rule set; signed, linked to the course, warned).
//! The PDFs' content is checked with the real renderer in `ketachart-pdf`'s tests.

#[path = "support/consents.rs"]
#[allow(dead_code)]
mod consent_support;

use chrono::{Days, NaiveDate};
use consent_support::{pad, render};
use ketachart_core::abn::{self, AbnSignInput};
use ketachart_core::audit::query;
use ketachart_core::audit::AuditFilter;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::consent::{
    self, requirement, template, ConsentSignInput, Requirement, SignatureInput,
};
use ketachart_core::date_input::DateParts;
use ketachart_core::document::{self, DocumentKind};
use ketachart_core::pa::registry;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::payer::{self, PayerInput, PayerType};
use ketachart_core::record::coverage::{Benefit, Coverage, Priority, Relationship};
use ketachart_core::record::{self, RecordBody};
use ketachart_core::treatment::{view, Course, CourseStatus, Indication, Modality};
use ketachart_core::user::manage;
use ketachart_core::user::Role;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_core::{CoreError, Session};

const PASS: &str = "copper kettle moonlit harbour";

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn clinic(dir: &std::path::Path) -> (Session, i64) {
    let mut s = VaultDir::new(dir)
        .create(
            &ClinicSetup {
                clinic_name: "Consent Clinic".into(),
                admin_display_name: "Dr Paz".into(),
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
    let p = patient::create(
        &mut s,
        &PatientInput {
            given_name: "Ana {{date}}".into(),
            family_name: "O'Brien <b>bold</b>".into(),
            birth_date: DateParts::from_date(NaiveDate::from_ymd_opt(1980, 1, 2).unwrap()),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    (s, p.id.0)
}

fn fields(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Validation(v) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected validation, got {other:?}"),
    }
}

fn input(pid: i64, key: &str, version: i64) -> ConsentSignInput {
    ConsentSignInput {
        patient_id: pid,
        template_key: key.into(),
        template_version: version,
        patient_signer_name: String::new(),
        patient_signature: pad(),
        witness_signature: pad(),
        password: PASS.into(),
        course_id: None,
    }
}

fn stored(s: &Session, pid: i64) -> (usize, usize) {
    (
        consent::list(s, pid).unwrap().signed.len(),
        document::list(s, pid).unwrap().len(),
    )
}

fn add_course(s: &mut Session, pid: i64, modality: Modality, start: NaiveDate) -> i64 {
    let protocol = match modality {
        Modality::Spravato => "spravato_trd",
        Modality::Tms => "tms_standard",
        _ => "iv_ketamine_induction",
    };
    record::create(
        s,
        pid,
        &RecordBody::Course(Course {
            modality: Some(modality),
            indication: Some(Indication::Trd),
            protocol_id: Some(protocol.into()),
            phases: vec![],
            start_date: iso(start),
            status: CourseStatus::Active,
            status_reason: None,
            end_date: None,
            authorized_units: None,
            authorization_number: None,
            note: None,
        }),
        today(),
    )
    .unwrap()
    .id
}

#[test]
fn templates_render_literally_and_every_save_is_a_new_version() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let all = template::list(&s).unwrap();
    let keys: Vec<&str> = all.iter().map(|t| t.key.as_str()).collect();
    for k in [
        "ketamine_offlabel",
        "spravato_treatment",
        "tms_treatment",
        "privacy_notice",
        "self_pay",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert!(all
        .iter()
        .all(|t| t.version == 1 && t.review_note().is_some()));

    // A name holding a placeholder and markup is printed exactly as it is.
    let d = consent::prepare(&s, pid, "privacy_notice").unwrap();
    assert!(
        d.text.contains("Ana {{date}} O'Brien <b>bold</b>"),
        "{}",
        d.text
    );
    assert!(d.text.contains("02-Jan-1980"));
    assert!(d.text.contains("Consent Clinic"));
    assert!(!d.text.contains("{{patient"));

    // Unknown placeholders are refused on save; nothing stored.
    let e = template::save(
        &mut s,
        &template::TemplateInput {
            key: "privacy_notice".into(),
            title: "Privacy".into(),
            body: "Hello {{patient.ssn}} and {{ date }}".into(),
        },
    )
    .unwrap_err();
    let f = fields(e);
    assert!(
        f[0].0 == "body" && f[0].1.contains("{{patient.ssn}}"),
        "{f:?}"
    );
    let v2 = template::save(
        &mut s,
        &template::TemplateInput {
            key: "privacy_notice".into(),
            title: "Privacy notice acknowledgement".into(),
            body: "I, {{patient.name}}, received the notice on {{ date }}.".into(),
        },
    )
    .unwrap();
    assert_eq!(v2.version, 2);
    assert!(v2.review_note().is_none());
    let d2 = consent::prepare(&s, pid, "privacy_notice").unwrap();
    assert_eq!(d2.template_version, 2);
    assert!(d2
        .text
        .starts_with("I, Ana {{date}} O'Brien <b>bold</b>, received"));

    // Signing the version read before the change is refused.
    let e = consent::sign(&s, &input(pid, "privacy_notice", 1), render).unwrap_err();
    assert!(matches!(e, CoreError::Conflict(_)), "{e:?}");
    assert_eq!(stored(&s, pid), (0, 0));
}

#[test]
fn empty_pads_and_wrong_passphrases_store_nothing_and_a_signed_consent_is_a_document() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, pid) = clinic(tmp.path());
    let mut i = input(pid, "tms_treatment", 1);
    i.patient_signature = SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![],
    };
    i.witness_signature.strokes = vec![vec![vec![1.0, 1.0]]];
    let f = fields(consent::sign(&s, &i, render).unwrap_err());
    assert!(f.contains(&(
        "patientSignature".into(),
        "The patient has not signed yet".into()
    )));
    assert!(f.contains(&(
        "witnessSignature".into(),
        "The witness has not signed yet".into()
    )));
    let mut i = input(pid, "tms_treatment", 1);
    i.password = "wrong horse battery".into();
    let f = fields(consent::sign(&s, &i, render).unwrap_err());
    assert_eq!(f[0].0, "password");
    let failing = consent::sign(&s, &input(pid, "tms_treatment", 1), |_| Err("boom".into()));
    assert!(failing.is_err());
    assert_eq!(stored(&s, pid), (0, 0));

    let mut i = input(pid, "tms_treatment", 1);
    i.patient_signer_name = "Jo Representative".into();
    let c = consent::sign(&s, &i, render).unwrap();
    assert_eq!(c.patient_signer_name, "Jo Representative");
    assert_eq!(c.witness_name, "Dr Paz");
    assert_eq!(c.signed_on, iso(today()));
    let docs = document::list(&s, pid).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, c.document_id);
    assert_eq!(docs[0].kind, DocumentKind::Consent);
    assert!(docs[0].generated);
    let entries = query::list(&s, &AuditFilter::default(), None, 500)
        .unwrap()
        .entries;
    assert!(entries.iter().any(|e| e.action == "consent.sign"));
}

#[test]
fn the_first_session_waits_for_every_required_consent() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let start = today().checked_sub_days(Days::new(3)).unwrap();
    let course = add_course(&mut s, pid, Modality::Tms, start);
    let overview = consent::list(&s, pid).unwrap();
    let missing: Vec<&str> = overview.missing.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(
        missing,
        [
            "TMS treatment consent",
            "Notice of privacy practices — acknowledgement"
        ]
    );
    let mut draft = view::new_draft(&s, pid, course, today()).unwrap();
    draft.date = iso(start);
    let e = record::create(&mut s, pid, &RecordBody::Session(draft.clone()), today()).unwrap_err();
    let f = fields(e);
    assert_eq!(f[0].0, "consents");
    assert_eq!(
        f[0].1,
        "Before the first session of this course, the patient must sign: TMS treatment consent, Notice of privacy practices — acknowledgement. Open Consents on the patient's chart."
    );
    // Signed after the session date does not count; on or before it does.
    consent::sign(&s, &input(pid, "tms_treatment", 1), render).unwrap();
    consent::sign_as_of(&s, &input(pid, "privacy_notice", 1), start, render).unwrap();
    let f = fields(
        record::create(&mut s, pid, &RecordBody::Session(draft.clone()), today()).unwrap_err(),
    );
    assert!(
        f[0].1
            .ends_with("must sign: TMS treatment consent. Open Consents on the patient's chart."),
        "{f:?}"
    );
    consent::sign_as_of(&s, &input(pid, "tms_treatment", 1), start, render).unwrap();
    record::create(&mut s, pid, &RecordBody::Session(draft), today()).unwrap();
    assert!(consent::list(&s, pid).unwrap().missing.is_empty());

    // A clinic that requires nothing for TMS has no gate.
    requirement::set(
        &mut s,
        &[Requirement {
            modality: Modality::Tms,
            template_keys: vec![],
        }],
    )
    .unwrap();
    let e = requirement::set(
        &mut s,
        &[Requirement {
            modality: Modality::Tms,
            template_keys: vec!["nope".into()],
        }],
    )
    .unwrap_err();
    assert_eq!(fields(e)[0].0, "items.0.templateKeys");
}

#[test]
fn a_medicare_course_under_a_non_covering_rule_set_needs_an_abn() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut s, pid) = clinic(tmp.path());
    let start = today();
    let course = add_course(&mut s, pid, Modality::IvKetamine, start);
    assert!(!abn::need(&s, pid, course).unwrap().needed);
    let medicare = payer::create(
        &mut s,
        &PayerInput {
            name: "Medicare Part B".into(),
            payer_type: Some(PayerType::Medicare),
            active: true,
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    record::create(
        &mut s,
        pid,
        &RecordBody::Coverage(Coverage {
            payer_id: medicare,
            plan_name: "Original Medicare".into(),
            member_id: "1EG4TE5MK73".into(),
            group_number: None,
            relationship: Some(Relationship::Self_),
            subscriber_name: None,
            benefit: Some(Benefit::Both),
            priority: Some(Priority::Primary),
            effective_from: "2020-01-01".into(),
            effective_to: None,
            pa_phone: None,
            pa_fax: None,
        }),
        today(),
    )
    .unwrap();
    assert!(
        !abn::need(&s, pid, course).unwrap().needed,
        "no rule set linked"
    );
    registry::link_payer(&s, medicare, &["aetna-cpb0938-iv-ketamine".into()]).unwrap();
    let need = abn::need(&s, pid, course).unwrap();
    assert!(need.needed, "{need:?}");
    assert!(need
        .reason
        .as_deref()
        .unwrap()
        .starts_with("Medicare does not cover"));
    assert!(need.service.contains("Ketamine infusion"));

    let base = AbnSignInput {
        patient_id: pid,
        course_id: course,
        service: need.service.clone(),
        reason: need.reason.clone().unwrap(),
        estimated_cost: "0".into(),
        option: None,
        additional_info: String::new(),
        patient_signer_name: String::new(),
        patient_signature: pad(),
        password: PASS.into(),
    };
    let f = fields(abn::sign(&s, &base, |_| Ok(Vec::new())).unwrap_err());
    let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["estimatedCost", "option"], "{f:?}");
    let f = fields(
        abn::sign(
            &s,
            &AbnSignInput {
                estimated_cost: "100000.01".into(),
                option: Some(2),
                ..base.clone()
            },
            |_| Ok(Vec::new()),
        )
        .unwrap_err(),
    );
    assert_eq!(f[0].0, "estimatedCost");
    assert!(document::list(&s, pid).unwrap().is_empty());

    let signed = abn::sign(
        &s,
        &AbnSignInput {
            estimated_cost: "$1,250.00".replace(',', ""),
            option: Some(1),
            ..base
        },
        |d| {
            assert_eq!(d.option, 1);
            assert_eq!(d.options.len(), 3);
            assert!(d.form_note.contains("CMS-R-131"));
            Ok(consent_support::minimal_pdf("ABN"))
        },
    )
    .unwrap();
    assert_eq!(signed.estimated_cost_cents, 125_000);
    // Signed on the start day: warned, not refused.
    assert_eq!(signed.warnings.len(), 1, "{:?}", signed.warnings);
    let docs = document::list(&s, pid).unwrap();
    assert_eq!(docs[0].kind, DocumentKind::Abn);
    assert!(docs[0].links.iter().any(|l| l.link.target_id == course));
    assert_eq!(abn::list(&s, pid).unwrap().len(), 1);
}
