//! The published national figures that `bilan sample` reproduces by
//! construction: the bilans d'activité 2024 (SPEC §1, §4) and 2021, and the
//! evolutions of 2021 on 2020 and 2018, on a ten-year archive from the first
//! teams (2015) on. The years are those of a window ending in 2024; another
//! last year shifts them (the last year plays 2024, three years before it
//! plays 2021, …). Counts are given for [`REFERENCE_PERSONS`] and scaled to
//! the number of persons asked for.

/// Persons in the documented invocation (`--persons 6000`): the dossiers
/// opened over the ten years, the sum of [`SERIES`]' new persons, for which
/// the counts below come out exactly.
pub const REFERENCE_PERSONS: u64 = 6000;

/// The year the figures below are written for, played by the last year of
/// the window.
pub const LAST: i32 = 2024;

/// (year, persons accompanied, new persons) at [`REFERENCE_PERSONS`].
/// Published: 2024 (2 345, 627) and 2021 (2 436); 2020 and 2018 are chosen
/// so that 2021 is +5 % and +44 % on them (2 320 and 1 692). The other
/// years draw a network that opens in 2015, grows fast while its teams fill
/// up, and levels off. In the first year everyone is new; later, the persons
/// accompanied the year before and still followed are the accompanied minus
/// the new.
pub const SERIES: [(i32, u64, u64); 10] = [
    (2015, 310, 310),
    (2016, 780, 540),
    (2017, 1260, 620),
    (2018, 1692, 650),
    (2019, 2040, 680),
    (2020, 2320, 640),
    (2021, 2436, 650),
    (2022, 2405, 653),
    (2023, 2372, 630),
    (2024, 2345, 627),
];

/// Published rates of 2024, in whole percent.
pub const DIAGNOSED: u64 = 63;
pub const AT_HOME: u64 = 76;
pub const TND: u64 = 35;
pub const SCHOOLED: u64 = 59;
pub const VISITED: u64 = 35;
pub const UNDER_20: u64 = 53;
/// "590 personnes sont sans solution" (2024), at [`REFERENCE_PERSONS`].
pub const WITHOUT_SOLUTION: u64 = 590;

/// The bilan 2021: its year and published rates, in whole percent.
pub const YEAR_2021: i32 = 2021;
pub const DIAGNOSED_2021: u64 = 62;
pub const AT_HOME_2021: u64 = 77;

/// (v3) "1 643 personnes présentent au moins un trouble associé" (2024),
/// at [`REFERENCE_PERSONS`]: TND included, and those with a TND are "près
/// de la moitié" of them.
pub const WITH_DISORDER: u64 = 1643;

/// (v3) The number of associated disorders of a person with at least one,
/// in percent: "souvent multiple (jusqu'à six)".
pub const DISORDERS_PER_PERSON: [(usize, u64); 6] =
    [(1, 35), (2, 30), (3, 18), (4, 10), (5, 5), (6, 2)];

/// (v3) At least this many persons of the last year have six associated
/// disorders ("jusqu'à six"); none has more.
pub const WITH_SIX_DISORDERS: usize = 3;

/// (v3) The number of types of accompaniment of the persons whose
/// `accompagnements` is filled in, in percent: a mean of 4,14, "1 personne
/// cumule en moyenne 4 types d'accompagnements" (2024).
pub const TYPES_PER_PERSON: [(usize, u64); 9] = [
    (0, 3),
    (1, 6),
    (2, 12),
    (3, 17),
    (4, 20),
    (5, 17),
    (6, 12),
    (7, 8),
    (8, 5),
];

/// Share of active persons whose field is not filled in, in per mille
/// (108 of 2345 for `lieu_de_vie`, as in the spec's JSON example).
pub const NOT_FILLED_DIAGNOSIS: u64 = 52;
pub const NOT_FILLED_HOME: u64 = 46;
pub const NOT_FILLED_TND: u64 = 88;
pub const NOT_FILLED_SCHOOL: u64 = 41;
pub const NOT_FILLED_SITUATION: u64 = 57;
/// (v3) `troubles_associes` and `accompagnements`.
pub const NOT_FILLED_DISORDERS: u64 = 60;
pub const NOT_FILLED_ACCOMPANIMENTS: u64 = 70;

/// Persons accompanied and new persons of `year` (a year of [`SERIES`]),
/// scaled to `persons`; zero before the first teams.
pub fn series(year: i32, persons: u64) -> (u64, u64) {
    SERIES
        .iter()
        .find(|s| s.0 == year)
        .map_or((0, 0), |&(_, active, new)| {
            (
                scale(persons, active, REFERENCE_PERSONS),
                scale(persons, new, REFERENCE_PERSONS),
            )
        })
}

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
    use crate::format::round_percent;

    #[test]
    fn the_reference_size_gives_the_published_counts() {
        assert_eq!(series(2024, REFERENCE_PERSONS), (2345, 627));
        assert_eq!(series(2021, REFERENCE_PERSONS).0, 2436);
        assert_eq!(series(2014, REFERENCE_PERSONS), (0, 0));
        assert_eq!(scale(2345, NOT_FILLED_HOME, 1000), 108);
        let dossiers: u64 = SERIES.iter().map(|s| s.2).sum();
        assert_eq!(dossiers, REFERENCE_PERSONS);
    }

    /// round(100·(2436 − P)/P) for P of 2020 and 2018, and for the half size.
    #[test]
    fn the_evolutions_of_2021_come_out() {
        for persons in [
            REFERENCE_PERSONS,
            REFERENCE_PERSONS / 2,
            2 * REFERENCE_PERSONS,
        ] {
            let active = |year| series(year, persons).0;
            let evolution = |before: u64| round_percent(active(2021) - before, before);
            assert_eq!(evolution(active(2020)), 5, "{persons}");
            assert_eq!(evolution(active(2018)), 44, "{persons}");
        }
    }

    /// Those still followed from one year to the next were followed the
    /// year before.
    #[test]
    fn the_series_is_a_flow_of_persons() {
        for pair in SERIES.windows(2) {
            let (before, now) = (pair[0], pair[1]);
            assert!(now.1 - now.2 <= before.1, "{}", now.0);
        }
        assert_eq!(SERIES[0].1, SERIES[0].2, "everyone is new in 2015");
    }

    #[test]
    fn numerators_round_to_the_target() {
        for denominator in [1u64, 7, 100, 613, 2237, 99_999] {
            for percent in [35, 59, 63, 76] {
                let n = numerator_for(percent, denominator);
                if denominator >= 100 {
                    assert_eq!(
                        round_percent(n, denominator),
                        percent,
                        "{percent} {denominator}"
                    );
                }
                assert!(n <= denominator);
            }
        }
        assert_eq!(numerator_for(76, 2237), 1700);
    }

    #[test]
    fn the_types_of_accompaniment_average_four() {
        let total: u64 = TYPES_PER_PERSON.iter().map(|t| t.1).sum();
        let weighted: u64 = TYPES_PER_PERSON.iter().map(|t| t.0 as u64 * t.1).sum();
        assert_eq!(total, 100);
        // 4,14: `4,1`, and 4 to the unit.
        assert_eq!(weighted, 414);
        let shares: u64 = DISORDERS_PER_PERSON.iter().map(|d| d.1).sum();
        assert_eq!(shares, 100);
    }
}
