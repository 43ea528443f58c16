//! Antidepressant and augmentation trials: the facts a prior authorization counts. This
//! module holds the rules (durations at a therapeutic dose, flags for missing facts); the
//! stored trial records and their screens follow in the clinical-record work.

pub mod duration;
