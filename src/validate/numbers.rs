//! Number cells of `actions.csv` (SPEC §2.6): `participants`, a whole
//! number ≥ 0, and `duree_heures`, hours with a decimal comma or point.
//! Hours are kept exactly (whole hours and attohours), so that a sum over
//! many actions is exact and rounded to the hundredth only once (§4.4).

/// Attohours (10⁻¹⁸ hour) in one hour: the finest fraction kept exactly.
pub const FRACTION_UNIT: u64 = 1_000_000_000_000_000_000;

/// How many decimals of an hour are kept exactly.
pub const MAX_DECIMALS: usize = 18;

/// A duration in hours, exact: `whole + fraction / 10¹⁸`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hours {
    pub whole: u32,
    /// Below [`FRACTION_UNIT`].
    pub fraction: u64,
}

/// Why an hours cell was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursError {
    /// Not a number ≥ 0 written with digits and one decimal comma or point.
    NotANumber,
    /// More hours than a count of hours can be (over 4 294 967 295).
    TooLarge,
    /// More significant decimals than are kept exactly.
    TooPrecise,
}

/// A whole number ≥ 0 written with ASCII digits only (`12`, `0`), up to
/// 4 294 967 295; `None` for anything else (`12,5`, `-3`, `douze`, `1 200`).
pub fn parse_whole(raw: &str) -> Option<u32> {
    let raw = raw.trim();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// Hours ≥ 0 with a decimal comma or point: `1,5`, `2.25`, `3`, `,5`, `4,`.
pub fn parse_hours(raw: &str) -> Result<Hours, HoursError> {
    let raw = raw.trim();
    let (whole, decimals) = match raw.find([',', '.']) {
        Some(at) => (&raw[..at], &raw[at + 1..]),
        None => (raw, ""),
    };
    let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && decimals.is_empty()) || !digits(whole) || !digits(decimals) {
        return Err(HoursError::NotANumber);
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| HoursError::TooLarge)?
    };
    let decimals = decimals.trim_end_matches('0');
    if decimals.len() > MAX_DECIMALS {
        return Err(HoursError::TooPrecise);
    }
    let fraction = if decimals.is_empty() {
        0
    } else {
        let value: u64 = decimals.parse().map_err(|_| HoursError::NotANumber)?;
        value * 10u64.pow((MAX_DECIMALS - decimals.len()) as u32)
    };
    Ok(Hours { whole, fraction })
}

/// An exact sum of hours (in attohours) rounded half up to hundredths.
pub fn round_to_hundredths(attohours: u128) -> u64 {
    let hundredth = u128::from(FRACTION_UNIT / 100);
    u64::try_from((attohours + hundredth / 2) / hundredth).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(whole: u32, fraction: u64) -> Result<Hours, HoursError> {
        Ok(Hours { whole, fraction })
    }

    #[test]
    fn reads_whole_numbers_only() {
        assert_eq!(parse_whole("12"), Some(12));
        assert_eq!(parse_whole(" 0 "), Some(0));
        assert_eq!(parse_whole("007"), Some(7));
        for raw in [
            "",
            "-3",
            "12,5",
            "12.0",
            "douze",
            "1 200",
            "+4",
            "99999999999",
        ] {
            assert_eq!(parse_whole(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn reads_hours_with_a_comma_or_a_point() {
        const HALF: u64 = FRACTION_UNIT / 2;
        assert_eq!(parse_hours("1,5"), hours(1, HALF));
        assert_eq!(parse_hours("2.25"), hours(2, FRACTION_UNIT / 4));
        assert_eq!(parse_hours(" 3 "), hours(3, 0));
        assert_eq!(parse_hours(",5"), hours(0, HALF));
        assert_eq!(parse_hours("4,"), hours(4, 0));
        assert_eq!(parse_hours("0,500000000000000000000"), hours(0, HALF));
        assert_eq!(parse_hours("0,000000000000000001"), hours(0, 1));
        for raw in [
            "", ",", "-1", "1,5h", "1h30", "1,2,3", "1.5.", "deux", "+1", "1 000",
        ] {
            assert_eq!(parse_hours(raw), Err(HoursError::NotANumber), "{raw:?}");
        }
        assert_eq!(parse_hours("99999999999"), Err(HoursError::TooLarge));
        assert_eq!(
            parse_hours("0,0000000000000000001"),
            Err(HoursError::TooPrecise)
        );
    }

    #[test]
    fn rounds_the_exact_sum_once() {
        let unit = u128::from(FRACTION_UNIT);
        assert_eq!(round_to_hundredths(0), 0);
        assert_eq!(round_to_hundredths(unit * 402 + unit / 2), 40_250);
        // 0,005 rounds up; 0,004999… does not.
        assert_eq!(round_to_hundredths(unit / 200), 1);
        assert_eq!(round_to_hundredths(unit / 200 - 1), 0);
        // Three thirds written 0,333 + 0,333 + 0,334 sum to exactly 1.
        let third = parse_hours("0,333").unwrap().fraction as u128;
        let last = parse_hours("0,334").unwrap().fraction as u128;
        assert_eq!(round_to_hundredths(2 * third + last), 100);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text: no panic, and what is read is a real duration.
        #[test]
        fn never_panics(raw in "\\PC{0,30}") {
            if let Ok(hours) = parse_hours(&raw) {
                prop_assert!(hours.fraction < FRACTION_UNIT);
            }
            let _ = parse_whole(&raw);
        }

        /// Hours written with a comma or a point read back exactly.
        #[test]
        fn written_hours_read_back(whole in 0u32..100_000, fraction in 0u64..1_000_000, comma: bool) {
            let text = format!("{whole}{}{fraction:06}", if comma { ',' } else { '.' });
            let hours = parse_hours(&text).unwrap();
            prop_assert_eq!(hours, Hours { whole, fraction: fraction * 1_000_000_000_000 });
        }
    }
}
