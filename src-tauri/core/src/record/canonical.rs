//! Canonical JSON for signatures: object keys sorted (by UTF-16 code units would be JCS; we sort
//! by Rust string order, which is the same for the ASCII keys we write), no whitespace, serde_json's
//! number and string forms. Written here because it must not depend on whether some other crate
//! turns on serde_json's `preserve_order` feature (features unify across the workspace).
//!
//! Never change the output for an existing input: it would break every stored signature.

use serde_json::Value;
use sha2::{Digest, Sha256};

const TAG: &str = "ketachart-signed-record-v1";

pub fn to_canonical(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The SHA-256 (hex) a signature stores for a record's content.
pub fn content_hash(body: &Value) -> String {
    hex::encode(Sha256::digest(format!("{TAG}\n{}", to_canonical(body))))
}

/// An addendum's hash binds its text to the signed record it amends.
pub fn addendum_hash(record_hash: &str, text: &str) -> String {
    let v = serde_json::json!([TAG, "addendum", record_hash, text]);
    hex::encode(Sha256::digest(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_does_not_change_the_hash_but_content_does() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":"Ł","x":[1,2]}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":[1,2],"y":"Ł"},"b":1}"#).unwrap();
        assert_eq!(to_canonical(&a), r#"{"a":{"x":[1,2],"y":"Ł"},"b":1}"#);
        assert_eq!(content_hash(&a), content_hash(&b));
        let c: Value = serde_json::from_str(r#"{"a":{"x":[2,1],"y":"Ł"},"b":1}"#).unwrap();
        assert_ne!(content_hash(&a), content_hash(&c));
    }

    #[test]
    fn an_addendum_hash_depends_on_the_record_and_the_text() {
        assert_ne!(addendum_hash("aa", "x"), addendum_hash("ab", "x"));
        assert_ne!(addendum_hash("aa", "x"), addendum_hash("aa", "y"));
    }
}
