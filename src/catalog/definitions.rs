//! The rules of SPEC §3–4 that several figures share, written once: the
//! birth dates that give an age, the age on 31 December, the 3–16 year
//! olds, *under 20*, the age brackets of the tables, and the calendar
//! year as a span of `AAAAMMJJ` dates. The engine builds its Polars
//! expressions from these (`indicators/`); the differential test's model
//! does not (it is the independent check).

use std::ops::RangeInclusive;

/// The birth dates (`AAAAMMJJ`, inclusive) that give a known age for year
/// Y (SPEC §3): not after 31 December Y, not more than 120 years before it.
pub fn birth_bounds(year: i32) -> (i32, i32) {
    ((year - 120) * 10_000 + 1231, year * 10_000 + 1231)
}

/// The age in completed years on 31 December of `year` (SPEC §4): `Y −
/// birth year`, for a birth date that gives a known age.
pub fn age_on_31_december(birth: i32, year: i32) -> Option<i32> {
    let (earliest, latest) = birth_bounds(year);
    (earliest..=latest)
        .contains(&birth)
        .then(|| year - birth / 10_000)
}

/// The ages of the schooling rate's population: 3 to 16 (SPEC §4).
pub const CHILD_AGES: RangeInclusive<i32> = 3..=16;

/// `moins_de_20_ans` counts the ages under this one (SPEC §4).
pub const UNDER_AGE: i32 = 20;

/// Age brackets of the report: (label, lowest age, highest age). Cut so
/// that *under 20* ([`UNDER_AGE`]) reads off the table (SPEC §4).
pub const AGE_BRACKETS: [(&str, i32, i32); 10] = [
    ("0–2 ans", 0, 2),
    ("3–5 ans", 3, 5),
    ("6–11 ans", 6, 11),
    ("12–15 ans", 12, 15),
    ("16–17 ans", 16, 17),
    ("18–19 ans", 18, 19),
    ("20–24 ans", 20, 24),
    ("25–44 ans", 25, 44),
    ("45–59 ans", 45, 59),
    ("60 ans et plus", 60, 200),
];

/// The labels of the age brackets under [`UNDER_AGE`].
pub fn brackets_under_age() -> impl Iterator<Item = &'static str> {
    AGE_BRACKETS
        .iter()
        .filter(|(_, _, highest)| *highest < UNDER_AGE)
        .map(|(label, _, _)| *label)
}

/// The `AAAAMMJJ` dates from 1 January `first` to 31 December `last`,
/// inclusive: a year, or a span of years (SPEC §4: "for a calendar year Y").
pub fn year_span(first: i32, last: i32) -> (i32, i32) {
    (first * 10_000 + 101, last * 10_000 + 1231)
}

/// Whether an `AAAAMMJJ` date falls in the years `first..=last`.
pub fn in_years(date: i32, (first, last): (i32, i32)) -> bool {
    let (start, end) = year_span(first, last);
    (start..=end).contains(&date)
}

/// The calendar year of an `AAAAMMJJ` date.
pub fn year_of(date: i32) -> i32 {
    date / 10_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_completed_years_on_31_december_within_120_years() {
        assert_eq!(age_on_31_december(20101231, 2024), Some(14));
        assert_eq!(age_on_31_december(20100101, 2024), Some(14));
        assert_eq!(age_on_31_december(20241231, 2024), Some(0));
        assert_eq!(age_on_31_december(20250101, 2024), None);
        assert_eq!(age_on_31_december(19041231, 2024), Some(120));
        assert_eq!(age_on_31_december(19041230, 2024), None);
    }

    #[test]
    fn the_brackets_under_20_are_those_the_rate_counts() {
        let under: Vec<&str> = brackets_under_age().collect();
        assert_eq!(under.len(), 6);
        assert_eq!(under.last(), Some(&"18–19 ans"));
        for window in AGE_BRACKETS.windows(2) {
            assert_eq!(window[0].2 + 1, window[1].1, "brackets are contiguous");
        }
    }

    #[test]
    fn a_year_is_the_span_of_its_dates() {
        assert!(in_years(20240101, (2024, 2024)));
        assert!(in_years(20241231, (2024, 2024)));
        assert!(!in_years(20250101, (2024, 2024)));
        assert!(in_years(20200615, (2019, 2021)));
        assert_eq!(year_of(20240615), 2024);
    }
}
