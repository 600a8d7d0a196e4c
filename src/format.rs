//! French typography for every figure a person reads (terminal tables, the
//! report's text, tables and chart axes): `2 345` with a narrow no-break
//! space (U+202F), `63 %` with a narrow no-break space too, decimal comma.

/// Narrow no-break space, the French thousands separator.
pub const NNBSP: char = '\u{202F}';
/// No-break space, before `%`.
pub const NBSP: char = '\u{A0}';

/// How many characters of a value a message, the control page or the
/// terminal shows: a cell can hold a whole text pasted in the wrong
/// column. A real cell stays under it (ten codes of a multi-valued cell
/// are about 200 characters), so only such a text is cut.
pub const SHOWN_CHARS: usize = 500;

/// `value`'s first `most` characters and its length in characters, when it
/// is longer than that.
pub fn cut(value: &str, most: usize) -> Option<(&str, usize)> {
    let (at, _) = value.char_indices().nth(most)?;
    Some((&value[..at], value.chars().count()))
}

/// A value as a finding's message or the control page quote it: whole, or
/// its first [`SHOWN_CHARS`] characters and its length (`abc… (12 345
/// caractères)`).
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    match cut(value, SHOWN_CHARS) {
        None => value.into(),
        Some((start, length)) => format!("{start}… ({} caractères)", int(length as u64)).into(),
    }
}

/// `2345` → `2 345`.
pub fn int(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NNBSP);
        }
        out.push(c);
    }
    out
}

/// A signed whole number, with a true minus sign: `-12` → `−12`, `5` → `+5`.
pub fn signed(value: i64) -> String {
    match value {
        0 => "0".to_string(),
        v if v > 0 => format!("+{}", int(v.unsigned_abs())),
        v => format!("\u{2212}{}", int(v.unsigned_abs())),
    }
}

/// `63` → `63 %` (a narrow no-break space before the sign).
pub fn percent(value: u64) -> String {
    format!("{}\u{202F}%", int(value))
}

/// How a share `part / whole` reads: in whole percent (rounded half away
/// from zero), but a share that is not zero and rounds to it reads
/// [`BELOW_ONE_PERCENT`], one that is not whole and rounds to 100
/// [`ABOVE_99_PERCENT`] (SPEC §6: never `0 %` for something that is
/// there). For the report's text ([`share`]) and the workbooks' formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Percent {
    BelowOne,
    Above99,
    Rounded(u64),
}

pub const BELOW_ONE_PERCENT: &str = "<\u{a0}1\u{202F}%";
pub const ABOVE_99_PERCENT: &str = ">\u{a0}99\u{202F}%";

/// How `part / whole` reads ([`Percent`]); `None` when `whole` is 0.
pub fn percent_of(part: u64, whole: u64) -> Option<Percent> {
    (whole > 0).then(|| match round_percent(part, whole) {
        0 if part > 0 => Percent::BelowOne,
        100 if part < whole => Percent::Above99,
        rounded => Percent::Rounded(rounded),
    })
}

/// The share `part / whole` as the report writes it: `63 %`, `< 1 %`,
/// `> 99 %` ([`percent_of`]). `None` when `whole` is 0.
pub fn share(part: u64, whole: u64) -> Option<String> {
    Some(match percent_of(part, whole)? {
        Percent::BelowOne => BELOW_ONE_PERCENT.to_string(),
        Percent::Above99 => ABOVE_99_PERCENT.to_string(),
        Percent::Rounded(rounded) => percent(rounded),
    })
}

/// A decimal with `places` digits after a comma: `12.345, 1` → `12,3`.
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{:.*}", places, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole: u64 = whole.parse().unwrap_or(0);
    let sign = if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "\u{2212}"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{}", int(whole))
    } else {
        format!("{sign}{},{fraction}", int(whole))
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The French name of a month (1–12).
pub fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

/// `20241231` → `31 décembre 2024`; the first of a month is `1er`.
pub fn date(yyyymmdd: i32) -> String {
    let (year, month, day) = (
        yyyymmdd / 10_000,
        (yyyymmdd / 100 % 100) as u32,
        yyyymmdd % 100,
    );
    let day = if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    };
    format!("{day} {} {year}", month_name(month))
}

/// The civil date (`AAAAMMJJ`, UTC) of a Unix timestamp in seconds.
pub fn date_of_epoch(seconds: i64) -> i32 {
    // Howard Hinnant's days-from-civil inverse.
    let days = seconds.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year * 10_000 + month * 100 + day) as i32
}

/// French punctuation spacing for running text: a narrow no-break space
/// before `;`, `:`, `!`, `?` and `%`, inside « guillemets », and a no-break
/// space after `n°`.
pub fn typography(text: &str) -> String {
    text.replace(" :", "\u{202F}:")
        .replace(" ;", "\u{202F};")
        .replace(" !", "\u{202F}!")
        .replace(" ?", "\u{202F}?")
        .replace(" %", "\u{202F}%")
        .replace("« ", "«\u{202F}")
        .replace(" »", "\u{202F}»")
        .replace("n° ", "n°\u{a0}")
        .replace('\'', "’")
}

/// A label as it reads inside a sentence: its first letter in lower case,
/// unless its first word is an acronym; the rest as it is (« au moins un
/// TND », « personnes accompagnées par les ERHR et les CNRHR »).
pub fn in_sentence(label: &str) -> String {
    let first_word = label.split(char::is_whitespace).next().unwrap_or_default();
    let acronym = first_word.chars().filter(|c| c.is_uppercase()).count() > 1;
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if !acronym => first.to_lowercase().chain(chars).collect(),
        _ => label.to_string(),
    }
}

/// The change from `then` to `now` in persons (or acts) and percent:
/// `+78 (+3 %)`, `−3 (−0,1 %)` (one decimal when the percent rounds to 0
/// but the change is not 0), `+12` from 0.
pub fn change(now: u64, then: u64) -> String {
    let delta = now as i64 - then as i64;
    if then == 0 {
        return signed(delta);
    }
    let percent = delta as f64 * 100.0 / then as f64;
    let relative = if percent.abs() < 0.5 && delta != 0 {
        let tenths = (percent * 10.0).round();
        let tenths = if tenths == 0.0 {
            percent.signum()
        } else {
            tenths
        };
        let sign = if tenths < 0.0 { "\u{2212}" } else { "+" };
        format!("{sign}{}", decimal(tenths.abs() / 10.0, 1))
    } else {
        signed(percent.round() as i64)
    };
    format!("{} ({relative}\u{202F}%)", signed(delta))
}

/// The change of a rate in points: `+2 points`, `−1 point`, `0 point`.
pub fn points(now: u64, then: u64) -> String {
    let delta = now as i64 - then as i64;
    format!(
        "{} point{}",
        signed(delta),
        if delta.abs() > 1 { "s" } else { "" }
    )
}

/// A number of days: `1 jour`, `21 jours`.
pub fn days(days: u64) -> String {
    match days {
        1 => "1 jour".to_string(),
        days => format!("{} jours", int(days)),
    }
}

/// (v3) `n / d` rounded half away from zero, in exact integer arithmetic.
pub fn round_ratio(numerator: u64, denominator: u64) -> u64 {
    (2 * numerator + denominator) / (2 * denominator)
}

/// (v3) A number of tenths with its decimal comma: `41` → `4,1`.
pub fn tenths(tenths: u64) -> String {
    format!("{},{}", int(tenths / 10), tenths % 10)
}

/// (v3) A mean `n / d` to one decimal, rounded half away from zero from
/// the exact fraction (SPEC §4: `4,1`); `None` when `d` is 0.
pub fn mean(numerator: u64, denominator: u64) -> Option<String> {
    (denominator > 0).then(|| tenths(round_ratio(10 * numerator, denominator)))
}

/// (v3) A mean `n / d` to the unit, from the exact fraction, never from
/// its one-decimal rounding (SPEC §4: 4,46 is `4,5` and 4).
pub fn mean_unit(numerator: u64, denominator: u64) -> Option<u64> {
    (denominator > 0).then(|| round_ratio(numerator, denominator))
}

/// [`typography`] applied to the text of an HTML page or fragment, not to
/// its tags (an apostrophe in an attribute stays one) nor to its style
/// sheet.
pub fn typography_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut rest = html;
    // A `<` starts a tag only before a letter, `/` or `!`: the `< 5` of a
    // masked count is text.
    let tag_at = |text: &str| {
        text.match_indices('<')
            .find(|(at, _)| {
                text[at + 1..]
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'/' || b == b'!')
            })
            .map(|(at, _)| at)
    };
    while let Some(start) = tag_at(rest) {
        out.push_str(&typography(&rest[..start]));
        // A style sheet, and a value quoted from the export (`<samp>`), are
        // kept as they are.
        let verbatim = ["style", "samp"]
            .into_iter()
            .find(|name| rest[start + 1..].starts_with(name));
        let end = if let Some(name) = verbatim {
            let close = format!("</{name}>");
            rest[start..]
                .find(&close)
                .map_or(rest.len(), |e| start + e + close.len())
        } else {
            rest[start..]
                .find('>')
                .map_or(rest.len(), |e| start + e + 1)
        };
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    out.push_str(&typography(rest));
    out
}

/// `100 n / d` rounded half away from zero, in exact integer arithmetic
/// (SPEC §4: how every rate is shown).
pub fn round_percent(numerator: u64, denominator: u64) -> u64 {
    (200 * numerator + denominator) / (2 * denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_shown_cut_with_its_length() {
        assert_eq!(shown("31/02/2024"), "31/02/2024");
        let long = "é".repeat(2_000);
        assert_eq!(
            shown(&long),
            format!("{}… (2\u{202f}000 caractères)", "é".repeat(SHOWN_CHARS))
        );
        assert_eq!(cut("abc", 3), None);
        assert_eq!(cut("abcd", 3), Some(("abc", 4)));
    }

    #[test]
    fn a_label_in_a_sentence_keeps_its_acronyms() {
        assert_eq!(in_sentence("Au moins un TND"), "au moins un TND");
        assert_eq!(
            in_sentence("Personnes accompagnées par les ERHR et les CNRHR"),
            "personnes accompagnées par les ERHR et les CNRHR"
        );
        assert_eq!(in_sentence("Évaluation"), "évaluation");
        assert_eq!(in_sentence("ERHR de l’équipe"), "ERHR de l’équipe");
        assert_eq!(
            in_sentence("1° Déficience auditive"),
            "1° Déficience auditive"
        );
        assert_eq!(in_sentence(""), "");
    }

    #[test]
    fn typography_spaces_french_punctuation_in_text_only() {
        assert_eq!(
            typography_html(
                "<style>a:hover { content: 'x' }</style><p title=\"l'a\">Note : « oui » ; l'équipe</p>"
            ),
            "<style>a:hover { content: 'x' }</style><p title=\"l'a\">Note\u{202F}: «\u{202F}oui\u{202F}»\u{202F}; l’équipe</p>"
        );
        // A value quoted from the export stays as it is.
        assert_eq!(
            typography_html("<td><samp>l'a : x</samp> l'a</td>"),
            "<td><samp>l'a : x</samp> l’a</td>"
        );
        // A masked count's `<` is text, and the text after it is spaced.
        assert_eq!(
            typography_html("<p>< 5 : masqué, 100 % ; loi n° 2005</p>"),
            "<p>< 5\u{202F}: masqué, 100\u{202F}%\u{202F}; loi n°\u{a0}2005</p>"
        );
    }

    #[test]
    fn changes_read_in_persons_and_percent_and_never_zero_for_a_move() {
        assert_eq!(change(2345, 2267), "+78 (+3\u{202F}%)");
        assert_eq!(change(2342, 2345), "\u{2212}3 (\u{2212}0,1\u{202F}%)");
        assert_eq!(change(12, 0), "+12");
        assert_eq!(change(10, 10), "0 (0\u{202F}%)");
        assert_eq!(points(63, 61), "+2 points");
        assert_eq!(points(60, 61), "\u{2212}1 point");
        assert_eq!(days(1), "1 jour");
        assert_eq!(days(21), "21 jours");
        assert_eq!(share(1, 300).as_deref(), Some("<\u{a0}1\u{202F}%"));
        assert_eq!(share(299, 300).as_deref(), Some(">\u{a0}99\u{202F}%"));
        assert_eq!(share(0, 0), None);
    }

    #[test]
    fn means_are_rounded_from_the_exact_fraction_both_ways() {
        // 4,46: `4,5` to one decimal, 4 to the unit.
        assert_eq!(mean(446, 100).as_deref(), Some("4,5"));
        assert_eq!(mean_unit(446, 100), Some(4));
        assert_eq!(mean(41, 10).as_deref(), Some("4,1"));
        assert_eq!(mean(9, 2).as_deref(), Some("4,5"));
        assert_eq!(mean_unit(9, 2), Some(5));
        assert_eq!(mean(1, 20).as_deref(), Some("0,1"));
        assert_eq!(mean(0, 7).as_deref(), Some("0,0"));
        assert_eq!(mean(3, 0), None);
        assert_eq!(tenths(12345), "1\u{202F}234,5");
    }

    #[test]
    fn groups_thousands_with_narrow_spaces() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(2345), "2\u{202F}345");
        assert_eq!(int(1_234_567), "1\u{202F}234\u{202F}567");
        assert_eq!(percent(63), "63\u{202F}%");
        assert_eq!(signed(-1200), "\u{2212}1\u{202F}200");
        assert_eq!(signed(3), "+3");
    }

    #[test]
    fn writes_decimals_and_dates_the_french_way() {
        assert_eq!(decimal(1234.56, 1), "1\u{202F}234,6");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-2.5, 1), "\u{2212}2,5");
        assert_eq!(date(20241231), "31 décembre 2024");
        assert_eq!(date(20240101), "1er janvier 2024");
        assert_eq!(date_of_epoch(0), 19700101);
        assert_eq!(date_of_epoch(1_732_320_000), 20241123);
        assert_eq!(date_of_epoch(951_782_400), 20000229);
        assert_eq!(
            typography("Valeur « x » : ok"),
            "Valeur «\u{202F}x\u{202F}»\u{202F}: ok"
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_percent(1, 8), 13); // 12.5
        assert_eq!(round_percent(1, 200), 1); // 0.5
        assert_eq!(round_percent(1, 201), 0);
        assert_eq!(round_percent(5, 8), 63); // 62.5
        assert_eq!(round_percent(7, 7), 100);
        assert_eq!(round_percent(0, 3), 0);
    }
}
