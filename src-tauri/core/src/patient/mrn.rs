//! Medical record numbers: `KC-` + six-digit sequence + `-` + a Luhn check digit, e.g.
//! `KC-000042-6`. Sequential per vault (a counter in `vault_meta`), so two patients never
//! share one and a mistyped digit is caught by the check digit.

/// Luhn (mod 10) check digit over the decimal digits of `n`.
fn luhn_digit(n: u64) -> u32 {
    let digits: Vec<u32> = n
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    (10 - sum % 10) % 10
}

pub fn format_mrn(seq: u64) -> String {
    format!("KC-{seq:06}-{}", luhn_digit(seq))
}

pub fn is_valid_mrn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("KC-") else {
        return false;
    };
    let Some((num, check)) = rest.rsplit_once('-') else {
        return false;
    };
    match (num.parse::<u64>(), check.parse::<u32>()) {
        (Ok(n), Ok(c)) => num.len() >= 6 && check.len() == 1 && luhn_digit(n) == c,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_catches_typos() {
        let m = format_mrn(42);
        assert!(m.starts_with("KC-000042-"));
        assert!(is_valid_mrn(&m));
        assert!(!is_valid_mrn("KC-000043-".to_string().as_str()));
        let typo = m.replace("000042", "000024");
        assert!(
            !is_valid_mrn(&typo),
            "a transposition must fail the check digit"
        );
        assert!(!is_valid_mrn("KC-000042-x"));
        assert!(!is_valid_mrn("000042"));
    }
}
