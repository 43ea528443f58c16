//! Benchmark: vault unlock time, patient search, audit verification and a full backup over
//! 100,000 synthetic patients.
//! Prints figures (no pass/fail): `cargo bench -p ketachart-core --bench search`.
//! Target from the foundation issue: search p99 ≤ 5 ms in the core.
//! `KETACHART_BENCH_PATIENTS` overrides the patient count.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ketachart_core::clinic::ClinicSetup;
use ketachart_core::date_input::DateParts;
use ketachart_core::patient::{self, PatientInput};
use ketachart_core::vault::{KdfParams, VaultDir};

const PASS: &str = "copper kettle moonlit harbour";
const SYLLABLES: &[&str] = &[
    "an", "ber", "cal", "dor", "el", "fen", "gar", "hol", "is", "jan", "kel", "lor", "mü", "nor",
    "o", "par", "quin", "ros", "sel", "tor", "ul", "ven", "wil", "xan", "yor", "zé", "son", "man",
    "berg", "ley",
];

fn name(rng: &mut fastrand::Rng, parts: usize) -> String {
    let mut s: String = (0..parts)
        .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
        .collect();
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

fn synthetic(n: usize, rng: &mut fastrand::Rng) -> Vec<PatientInput> {
    (0..n)
        .map(|_| PatientInput {
            given_name: name(rng, 2),
            family_name: name(rng, 3),
            birth_date: DateParts::from_date(
                NaiveDate::from_ymd_opt(rng.i32(1930..2008), rng.u32(1..=12), rng.u32(1..=28))
                    .unwrap(),
            ),
            ..Default::default()
        })
        .collect()
}

fn percentiles(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    format!(
        "p50 {:>6.3} ms  p95 {:>6.3} ms  p99 {:>6.3} ms  max {:>6.3} ms",
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    )
}

fn main() {
    let n: usize = std::env::var("KETACHART_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let vault = VaultDir::new(tmp.path());
    let setup = ClinicSetup {
        clinic_name: "Bench Clinic".into(),
        admin_display_name: "Bench".into(),
        admin_username: "bench".into(),
        passphrase: PASS.into(),
        passphrase_confirmation: PASS.into(),
    };
    drop(
        vault
            .create(&setup, KdfParams::DEFAULT)
            .expect("create")
            .session,
    );

    // Unlock: Argon2id (KdfParams::DEFAULT) + opening SQLCipher + schema check.
    let mut unlocks = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let s = vault.unlock("bench", PASS).expect("unlock");
        unlocks.push(t.elapsed());
        drop(s);
    }
    let k = KdfParams::DEFAULT;
    println!(
        "vault unlock (Argon2id m={} MiB t={} p={}), 7 runs: {}",
        k.m_kib / 1024,
        k.t,
        k.p,
        percentiles(unlocks)
    );

    let mut session = vault.unlock("bench", PASS).expect("unlock");
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let t = Instant::now();
    for chunk in 0..n.div_ceil(10_000) {
        let size = (n - chunk * 10_000).min(10_000);
        patient::create_batch(&mut session, &synthetic(size, &mut rng), today).expect("insert");
    }
    println!(
        "inserted {n} patients in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Queries a front desk types: partial and full names, accents, two words, MRN, DOB, misses.
    let sample = patient::list(&session, (n / 2) as u32, 1).expect("list");
    let p = &sample[0];
    let family = p.family_name.clone();
    let queries: Vec<(&str, String)> = vec![
        ("1-letter prefix", "b".into()),
        ("3-letter prefix", family[..3].to_lowercase()),
        ("full family name", family.clone()),
        (
            "given + family prefix",
            format!("{} {}", p.given_name, &family[..4]),
        ),
        ("accent-folded 'mu'", "mu".into()),
        ("MRN", p.mrn.clone()),
        ("date of birth", p.birth_date.format("%m/%d/%Y").to_string()),
        ("no match", "qqqzzz".into()),
        ("quote and dash", "o'neil-".into()),
    ];
    let mut all = Vec::new();
    for (label, q) in &queries {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..300 {
            let t = Instant::now();
            let r = patient::search(&session, q, 50).expect("search");
            times.push(t.elapsed());
            hits = r.patients.len();
        }
        println!(
            "search {label:<22} ({hits:>2} shown): {}",
            percentiles(times.clone())
        );
        all.extend(times);
    }
    println!(
        "search, all {} queries over {n} patients: {}",
        all.len(),
        percentiles(all)
    );

    let mut pages = Vec::new();
    for i in 0..300u32 {
        let t = Instant::now();
        patient::list(&session, (i * 97) % (n as u32), 50).expect("list");
        pages.push(t.elapsed());
    }
    println!("alphabetical list page of 50: {}", percentiles(pages));

    // The audit log grew by one entry per patient (plus the ones above): verify walks it all.
    let t = Instant::now();
    let report = ketachart_core::audit::verify(&session).expect("verify");
    println!(
        "audit verify over {} entries: {:.2} s (intact: {})",
        report.entries,
        t.elapsed().as_secs_f64(),
        report.is_intact()
    );

    // A backup of the whole vault: copy, package, read back and check.
    let out = tempfile::tempdir().expect("tempdir");
    let t = Instant::now();
    let r =
        ketachart_core::backup::create(&mut session, out.path().to_str().expect("utf-8"), &|_| {})
            .expect("backup");
    println!(
        "backup of {n} patients ({:.1} MiB), written and checked: {:.2} s",
        r.bytes as f64 / 1048576.0,
        t.elapsed().as_secs_f64()
    );
}
