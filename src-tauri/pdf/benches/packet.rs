//! Benchmark: rendering a prior-authorization packet (with its page-reference passes) from
//! data gathered once from the demo vault's first patient, then a batch of renders.
//! Prints figures (no pass/fail): `cargo bench -p ketachart-pdf --bench packet`.
//! Targets: median ≤ 50 ms for a ~6-page packet; 1,000 renders ≤ 30 s.
//! `KETACHART_BENCH_BATCH` overrides the batch size; `KETACHART_BENCH_PDF` saves the packet.

use std::time::{Duration, Instant};

use ketachart_core::demo::{ensure_demo_vault, DEMO_PASSPHRASE, DEMO_USERNAME};
use ketachart_core::pa::check::CheckRequest;
use ketachart_core::pa::packet::{self, PacketKind, PacketSpec};
use ketachart_core::pa::Service;
use ketachart_core::vault::{KdfParams, VaultDir};
use ketachart_pdf::{pa_packet, paginate, Pagination};

const RUNS: usize = 50;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let batch: usize = std::env::var("KETACHART_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let today = chrono::Local::now().date_naive();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("vault");
    ensure_demo_vault(
        &dir,
        KdfParams::FAST_FOR_TESTS,
        today,
        &ketachart_pdf::consent::render_for_signing,
    )
    .expect("demo vault");
    let session = VaultDir::new(&dir)
        .unlock(DEMO_USERNAME, DEMO_PASSPHRASE)
        .expect("unlock");
    let patient_id = ketachart_core::patient::list(&session, 0, 1).expect("patients")[0]
        .id
        .0;
    let rules = ketachart_core::pa::bundled().expect("bundled rule sets");
    let rule_set = rules
        .iter()
        .find(|r| r.id == "cigna-spravato-trd")
        .or_else(|| rules.iter().find(|r| r.service == Service::SpravatoTrd))
        .expect("a Spravato TRD rule set");
    let spec = PacketSpec {
        request_id: None,
        course_record_id: None,
        kind: PacketKind::Initial,
        check: CheckRequest {
            patient_id,
            rule_set_id: rule_set.id.clone(),
            rule_set_version: Some(rule_set.version.clone()),
            service: Service::SpravatoTrd,
            on: today,
            ordering_provider: Some(session.user().id),
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
        reference: Some("BENCH-0001".into()),
        auth_number: None,
        denial_reason: None,
        appeal_letter: None,
        previous_authorized_sessions: None,
    };
    let t = Instant::now();
    let data = packet::gather(&session, &spec, today).expect("gather");
    let gather = t.elapsed();

    let mut pages = Pagination::default();
    for _ in 0..4 {
        pages = paginate(&pa_packet::document(&data, &pages)).expect("layout");
    }
    // Warm-up (fonts are parsed once per process).
    let bytes = pa_packet::render(&data).expect("render");
    // `KETACHART_BENCH_PDF=/some/file.pdf` keeps the packet for a look.
    if let Some(path) = std::env::var_os("KETACHART_BENCH_PDF") {
        std::fs::write(path, &bytes).expect("write the packet");
    }

    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let b = pa_packet::render(&data).expect("render");
            let e = t.elapsed();
            assert!(!b.is_empty());
            e
        })
        .collect();
    times.sort();
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "packet: {} pages, {} KiB, {} criteria ({}), gathered in {:.1} ms",
        pages.pages,
        bytes.len() / 1024,
        data.evaluation.criteria.len(),
        data.evaluation.verdict.label(),
        ms(gather)
    );
    println!(
        "render × {RUNS}: median {:.2} ms  p95 {:.2} ms  max {:.2} ms   (target: median ≤ 50 ms)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0))
    );

    let t = Instant::now();
    let mut total_bytes = 0usize;
    for _ in 0..batch {
        total_bytes += pa_packet::render(&data).expect("render").len();
    }
    let took = t.elapsed();
    println!(
        "batch: {batch} renders in {:.2} s ({:.2} ms each, {} MiB written to memory)   (target: 1,000 ≤ 30 s)",
        took.as_secs_f64(),
        ms(took) / batch as f64,
        total_bytes / (1024 * 1024)
    );
}
