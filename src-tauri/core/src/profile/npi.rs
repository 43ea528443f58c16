//! The National Provider Identifier's check digit (CMS, "Requirements for National Provider
//! Identifier (NPI) and NPI Enumeration"): the tenth digit is the Luhn check digit of the first
//! nine, computed as if they were prefixed by 80840 (the NPI's card issuer prefix). The
//! prefix's contribution is the constant 24 that CMS describes.

/// The check digit for the first nine digits of an NPI; `None` unless given exactly 9 digits.
pub fn check_digit(first_nine: &str) -> Option<u32> {
    if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Luhn over "80840" + the nine digits: double every second digit from the right, starting
    // with the rightmost (the check digit is not there yet).
    let sum: u32 = "80840"
        .bytes()
        .chain(first_nine.bytes())
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    Some((10 - sum % 10) % 10)
}

/// Whether `npi` is ten digits whose last digit is the check digit of the other nine.
pub fn is_valid_npi(npi: &str) -> bool {
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (first, last) = npi.split_at(9);
    check_digit(first) == last.parse::<u32>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cms_worked_example_is_valid() {
        // CMS's example: 123456789 → check digit 3 (sum with the 24 for 80840 is 67).
        assert_eq!(check_digit("123456789"), Some(3));
        assert!(is_valid_npi("1234567893"));
    }

    #[test]
    fn the_same_sum_with_and_without_the_prefix_constant() {
        // Without the prefix, the nine digits' Luhn sum is 43; CMS adds 24 for 80840.
        let digits = "123456789";
        let sum: u32 = digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 0 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    d
                }
            })
            .sum();
        assert_eq!(sum, 43);
        assert_eq!((10 - (sum + 24) % 10) % 10, 3);
    }

    #[test]
    fn other_real_format_numbers() {
        for ok in ["1000000004", "1999999992", "1245319599", "1987654328"] {
            assert!(is_valid_npi(ok), "{ok} is valid");
        }
        for bad in [
            "1234567890", // wrong check digit
            "1234567894",
            "1245319598",
            "2234567893", // a changed digit breaks the check
            "1234567839", // two digits swapped
            "123456789",  // too short
            "12345678933",
            "12345 6789",
            "123456789a",
            "",
        ] {
            assert!(!is_valid_npi(bad), "{bad} is not valid");
        }
        assert_eq!(check_digit("12345678"), None);
        assert_eq!(check_digit("12345678x"), None);
    }
}
