//! The published national figures of the bilan d'activité 2024 (SPEC §1),
//! which `bilan sample` reproduces by construction for the last year of its
//! range, scaled to the number of persons asked for.

/// Persons in the documented invocation (`--persons 4000`), for which the
/// counts below come out exactly.
pub const REFERENCE_PERSONS: u64 = 4000;
/// personnes accompagnées par les ERHR et les CNRHR.
pub const ACTIVE: u64 = 2345;
/// nouvelles personnes ayant sollicité le DIHR.
pub const NEW: u64 = 627;
/// Target rates, in whole percent.
pub const DIAGNOSED: u64 = 63;
pub const AT_HOME: u64 = 76;
pub const TND: u64 = 35;
pub const SCHOOLED: u64 = 59;
pub const VISITED: u64 = 35;
/// Share of active persons whose field is not filled in, in per mille
/// (108 of 2345 for `lieu_de_vie`, as in the spec's JSON example).
pub const NOT_FILLED_DIAGNOSIS: u64 = 52;
pub const NOT_FILLED_HOME: u64 = 46;
pub const NOT_FILLED_TND: u64 = 88;
pub const NOT_FILLED_SCHOOL: u64 = 41;

/// `value × numerator / denominator`, rounded half up.
pub fn scale(value: u64, numerator: u64, denominator: u64) -> u64 {
    (2 * value * numerator + denominator) / (2 * denominator)
}

/// The numerator whose rate over `denominator` rounds (half away from zero)
/// to `percent`: the closest to the exact share that does.
pub fn numerator_for(percent: u64, denominator: u64) -> u64 {
    if denominator == 0 {
        return 0;
    }
    let guess = scale(denominator, percent, 100);
    let rounds = |n: u64| crate::format::round_percent(n, denominator) == percent;
    [guess, guess.saturating_sub(1), guess + 1]
        .into_iter()
        .find(|&n| n <= denominator && rounds(n))
        .unwrap_or(guess.min(denominator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_size_gives_the_published_counts() {
        assert_eq!(scale(REFERENCE_PERSONS, ACTIVE, REFERENCE_PERSONS), 2345);
        assert_eq!(scale(2345, NEW, ACTIVE), 627);
        assert_eq!(scale(2345, NOT_FILLED_HOME, 1000), 108);
    }

    #[test]
    fn numerators_round_to_the_target() {
        for denominator in [1u64, 7, 100, 613, 2237, 99_999] {
            for percent in [35, 59, 63, 76] {
                let n = numerator_for(percent, denominator);
                if denominator >= 100 {
                    assert_eq!(
                        crate::format::round_percent(n, denominator),
                        percent,
                        "{percent} {denominator}"
                    );
                }
                assert!(n <= denominator);
            }
        }
        assert_eq!(numerator_for(76, 2237), 1700);
    }
}
