//! Date cells (SPEC §2.1): `JJ/MM/AAAA` (day and month may have one digit)
//! or `AAAA-MM-JJ`, optionally followed by ` HH:MM` or ` HH:MM:SS`, which is
//! checked for shape and ignored. A date is kept as the integer `AAAAMMJJ`,
//! which orders like the date and gives the year by `/ 10_000`.

/// Parses a date cell into `AAAAMMJJ`; `None` when it is not a real date.
pub fn parse_date(cell: &str) -> Option<i32> {
    let cell = cell.trim();
    let (year, month, day) = match in_full(cell.as_bytes()) {
        Some(parts) => parts,
        None => in_parts(cell)?,
    };
    (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then_some(year * 10_000 + month * 100 + day)
}

/// (year, month, day) of `JJ/MM/AAAA` or `AAAA-MM-JJ` with every digit
/// written and nothing else, as exports write a million dates: read by
/// position. Anything else is `None`, and left to [`in_parts`], which
/// reads these two forms the same way.
fn in_full(cell: &[u8]) -> Option<(i32, i32, i32)> {
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i32::from(b - b'0'))
        })
    };
    let (year, month, day) = match *cell {
        [d0, d1, b'/', m0, m1, b'/', y0, y1, y2, y3] => ([y0, y1, y2, y3], [m0, m1], [d0, d1]),
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => ([y0, y1, y2, y3], [m0, m1], [d0, d1]),
        _ => return None,
    };
    Some((number(&year)?, number(&month)?, number(&day)?))
}

/// (year, month, day) of any accepted form, cut at its separators; the
/// time after a space is checked, not kept.
fn in_parts(cell: &str) -> Option<(i32, i32, i32)> {
    let (date, time) = match cell.split_once(' ') {
        Some((date, time)) => (date, Some(time.trim_start())),
        None => (cell, None),
    };
    if let Some(time) = time {
        if !is_time(time) {
            return None;
        }
    }
    if let Some((day, rest)) = date.split_once('/') {
        let (month, year) = rest.split_once('/')?;
        Some((
            digits(year, 4, 4)?,
            digits(month, 1, 2)?,
            digits(day, 1, 2)?,
        ))
    } else {
        let mut parts = date.splitn(3, '-');
        let year = digits(parts.next()?, 4, 4)?;
        let month = digits(parts.next()?, 2, 2)?;
        let day = digits(parts.next()?, 2, 2)?;
        Some((year, month, day))
    }
}

/// `HH:MM` or `HH:MM:SS` with two digits each and real values.
fn is_time(time: &str) -> bool {
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return false;
    }
    let limits = [23, 59, 59];
    parts
        .iter()
        .zip(limits)
        .all(|(part, max)| digits(part, 2, 2).is_some_and(|v| v <= max))
}

/// A run of ASCII digits of `min..=max` characters.
fn digits(text: &str, min: usize, max: usize) -> Option<i32> {
    if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days in a month (1–12) of a year of the Gregorian calendar.
pub fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `AAAAMMJJ` written as an export writes it: `JJ/MM/AAAA`.
pub fn format_date(date: i32) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date % 100,
        date / 100 % 100,
        date / 10_000
    )
}

/// Whether `written` is `date` as [`format_date`] writes it, without
/// writing it: the persons' birth dates are compared with their cell.
pub fn is_written_as(date: i32, written: &str) -> bool {
    let (day, month, year) = (date % 100, date / 100 % 100, date / 10_000);
    if !(0..=9999).contains(&year) || day < 0 || month < 0 {
        return format_date(date) == written;
    }
    let digit = |n: i32| b'0' + (n % 10) as u8;
    let expected = [
        digit(day / 10),
        digit(day),
        b'/',
        digit(month / 10),
        digit(month),
        b'/',
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
    ];
    written.as_bytes() == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_forms() {
        assert_eq!(parse_date("05/03/2024"), Some(20240305));
        assert_eq!(parse_date("5/3/2024"), Some(20240305));
        assert_eq!(parse_date("2024-03-05"), Some(20240305));
        assert_eq!(parse_date("05/03/2024 14:30"), Some(20240305));
        assert_eq!(parse_date("2024-03-05 14:30:59"), Some(20240305));
        assert_eq!(parse_date(" 29/02/2024 "), Some(20240229));
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for cell in [
            "",
            "29/02/2023",
            "00/01/2024",
            "2024-02-30",
            "31/04/2024",
            "01/13/2024",
            "0000-01-01",
            "01/01/0000",
            "2024-3-5",
            "05/03/24",
            "-1/03/2024",
            "2024/03/05",
            "05/03/2024 25:00",
            "05/03/2024 abc",
            "05.03.2024",
            "1/1/2024/1",
            "29/02/1900",
            "+5/03/2024",
            "٠٥/03/2024",
        ] {
            assert_eq!(parse_date(cell), None, "{cell:?}");
        }
        assert_eq!(parse_date("29/02/2000"), Some(20000229));
        assert_eq!(parse_date("31/12/9999"), Some(99991231));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_accepts_only_real_dates(cell in "\\PC{0,30}") {
            if let Some(date) = parse_date(&cell) {
                let (year, month, day) = (date / 10_000, date / 100 % 100, date % 100);
                prop_assert!((1..=9999).contains(&year));
                prop_assert!((1..=12).contains(&month));
                prop_assert!(day >= 1 && day <= days_in_month(year, month));
            }
        }

        #[test]
        fn the_full_forms_read_by_position_as_by_parts(cell in "[0-9/-]{10}|[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            if let Some(parts) = in_full(cell.as_bytes()) {
                prop_assert_eq!(Some(parts), in_parts(&cell));
            }
        }

        #[test]
        fn every_real_date_reads_back_in_both_forms(year in 1i32..=9999, month in 1i32..=12, day in 1i32..=31) {
            prop_assume!(day <= days_in_month(year, month));
            let date = year * 10_000 + month * 100 + day;
            let want = Some(date);
            prop_assert_eq!(parse_date(&format!("{day:02}/{month:02}/{year:04}")), want);
            prop_assert_eq!(parse_date(&format!("{day}/{month}/{year:04} 23:59")), want);
            prop_assert_eq!(parse_date(&format!("{year:04}-{month:02}-{day:02} 00:00:00")), want);
            prop_assert_eq!(parse_date(&format_date(date)), want);
        }

        #[test]
        fn a_date_is_written_as_format_date_writes_it(date in any::<i32>(), cell in "[0-9/]{10}") {
            prop_assert!(is_written_as(date, &format_date(date)));
            prop_assert_eq!(is_written_as(date, &cell), format_date(date) == cell);
        }
    }
}
