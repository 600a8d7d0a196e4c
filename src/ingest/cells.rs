//! A workbook cell as the text a CSV export would hold (SPEC §2.1 v2): a
//! date cell (or an Excel serial number in a date column, 1900 or 1904
//! system) as `JJ/MM/AAAA`, a number without a trailing `.0`, a formula's
//! cached value as it is.

use calamine::{Data, DataRef};

/// A cell's value, whatever the kind of workbook it comes from.
pub(super) enum Value<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date cell: its serial number.
    Date(f64),
    Iso(&'a str),
    Error(String),
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(data: &'a Data) -> Self {
        match data {
            Data::Empty => Value::Empty,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Iso(s),
            Data::Error(e) => Value::Error(e.to_string()),
        }
    }
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(data: &'a DataRef<'a>) -> Self {
        match data {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::Date(d.as_f64()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s),
            DataRef::Error(e) => Value::Error(e.to_string()),
        }
    }
}

/// The date of an Excel serial number as `JJ/MM/AAAA` (the time of day is
/// dropped), or `None` outside 01/01/1900–31/12/9999. In the 1900 system
/// Excel counts a 29 February 1900 that never was (serial 60), kept here
/// as that impossible date so that it is reported, not shifted.
pub fn serial_date(serial: f64, is_1904: bool) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let day = serial.floor() as i64;
    let days_from_1970 = if is_1904 {
        day - 24_107
    } else if day == 60 {
        return Some("29/02/1900".to_string());
    } else if day < 60 {
        day - 25_568
    } else {
        day - 25_569
    };
    let (y, m, d) = civil_from_days(days_from_1970);
    Some(format!("{d:02}/{m:02}/{y:04}"))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A number as a CSV export writes it: no `.0` on a whole number.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A cell's text; `date` when its column is a date column.
pub(super) fn cell_text(value: Value<'_>, date: bool, is_1904: bool) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text.to_string(),
        Value::Int(i) if date => serial_date(i as f64, is_1904).unwrap_or_else(|| i.to_string()),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if date => serial_date(f, is_1904).unwrap_or_else(|| number_text(f)),
        Value::Float(f) => number_text(f),
        Value::Date(serial) => serial_date(serial, is_1904).unwrap_or_else(|| number_text(serial)),
        Value::Bool(true) => "VRAI".to_string(),
        Value::Bool(false) => "FAUX".to_string(),
        // `2024-03-15T10:30:00` → `2024-03-15 10:30:00`, a form the date
        // reader knows.
        Value::Iso(text) => text.replacen('T', " ", 1),
        Value::Error(text) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_in_both_systems() {
        assert_eq!(serial_date(1.0, false).as_deref(), Some("01/01/1900"));
        assert_eq!(serial_date(59.0, false).as_deref(), Some("28/02/1900"));
        assert_eq!(serial_date(60.0, false).as_deref(), Some("29/02/1900"));
        assert_eq!(serial_date(61.0, false).as_deref(), Some("01/03/1900"));
        assert_eq!(serial_date(45_366.75, false).as_deref(), Some("15/03/2024"));
        assert_eq!(serial_date(43_904.0, true).as_deref(), Some("15/03/2024"));
        assert_eq!(serial_date(0.0, false), None);
        assert_eq!(serial_date(f64::NAN, false), None);
        assert_eq!(serial_date(1e300, false), None);
    }

    #[test]
    fn numbers_lose_a_trailing_zero_only() {
        assert_eq!(number_text(35.0), "35");
        assert_eq!(number_text(-2.0), "-2");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }
}
