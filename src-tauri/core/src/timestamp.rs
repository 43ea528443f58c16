//! Record timestamps: UTC, RFC 3339 with milliseconds (`2026-11-21T14:03:05.123Z`), so they sort
//! as text and say unambiguously when something happened.

pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
