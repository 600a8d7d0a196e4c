//! WCAG 2.1 contrast ratios, for the tests that check the charts (1.4.11:
//! 3:1 for every mark) and the publication outputs' text (1.4.3: 4.5:1).

/// The contrast ratio of two `#rrggbb` colours, from 1 to 21.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// The relative luminance of a `#rrggbb` colour (WCAG 2.1's definition).
fn luminance(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "a #rrggbb colour: {colour}");
    let channel = |i: usize| {
        let value = u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits") as f64 / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

#[test]
fn ratios_match_wcag_examples() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#FFFFFF", "#ffffff") - 1.0).abs() < 1e-9);
    // #767676 is the lightest grey with 4.5:1 on white.
    assert!(contrast("#767676", "#ffffff") >= 4.5);
    assert!(contrast("#777777", "#ffffff") < 4.5);
}
