//! Stage 4a — figures → SVG strings, drawn by Plotters' SVG backend.
//! Pure functions: no file is written here. Every number drawn goes through
//! the French formatter of `crate::format`. Layout is computed in pixels so
//! that long labels, zero values and very different magnitudes stay legible.

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format;

#[cfg(test)]
pub(crate) mod contrast;
mod line;

pub use line::{line_alt_text, line_chart, Axis, Point};

/// One bar: its label, its value (`None` when masked by statistical
/// secrecy) and the text shown for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
    pub shown: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: u64) -> Self {
        Self {
            label: label.into(),
            value: Some(value),
            shown: format::int(value),
        }
    }

    /// The colour of the value written at the bar's end: muted when the
    /// value is masked by secrecy (`shown` then says so, e.g. "< 5").
    fn value_colour(&self) -> &'static RGBColor {
        if self.value.is_some() {
            &TEXT_COLOUR
        } else {
            &MUTED_COLOUR
        }
    }
}

pub(super) const WIDTH: u32 = 680;
pub(super) const FONT: &str = "sans-serif";
pub(super) const BAR_COLOUR: RGBColor = RGBColor(0x1f, 0x5f, 0x8b);
pub(super) const GRID_COLOUR: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);
pub(super) const TEXT_COLOUR: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED_COLOUR: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);

/// Labels longer than this wrap onto another line (never cut: the chart
/// is read without its table too).
const MAX_LABEL_CHARS: usize = 36;

/// `label` in lines of at most `MAX_LABEL_CHARS` characters, broken between
/// words (a single longer word keeps its line).
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= MAX_LABEL_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The value axis for a largest value: its bound, a round number at or
/// just above `largest`, and its number of intervals (1 to 5). The step
/// between ticks is 1, 2, 2.5 or 5 × 10ⁿ, and never under 5: under
/// statistical secrecy a tick from 1 to 4 would read like a masked count.
/// With nothing above zero to show, the axis has its zero tick only.
pub(super) fn round_axis(largest: u64) -> (u64, u64) {
    if largest == 0 {
        return (1, 0);
    }
    let mut power = 1u64;
    loop {
        for (numerator, denominator) in [(1, 1), (2, 1), (5, 2), (5, 1)] {
            let step = power * numerator / denominator;
            if step < 5 || !(power * numerator).is_multiple_of(denominator) {
                continue;
            }
            let intervals = largest.div_ceil(step);
            if intervals <= 5 {
                return (intervals * step, intervals);
            }
        }
        power *= 10;
    }
}

pub(super) fn style(size: u32, colour: &'static RGBColor, pos: Pos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font())
        .color(colour)
        .pos(pos)
}

pub(super) fn draw_err<E: std::fmt::Debug>(err: E) -> anyhow::Error {
    anyhow!("cannot draw the chart: {err:?}")
}

/// The axis of a bar chart (see `round_axis`).
fn axis(bars: &[Bar]) -> (u64, u64) {
    round_axis(bars.iter().filter_map(|b| b.value).max().unwrap_or(0))
}

pub(super) type Canvas<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// An SVG canvas of `size` with a white background and `title` at the top
/// left; `draw` adds the rest.
pub(super) fn canvas(
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Canvas) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        root.draw(&Text::new(
            title.to_string(),
            (4, 8),
            style(18, &TEXT_COLOUR, Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A horizontal bar chart, one row per bar, labels on the left (wrapped
/// onto more lines, and the row higher, when long).
pub fn horizontal_bars(title: &str, bars: &[Bar]) -> Result<String> {
    const ROW: u32 = 22;
    const LINE: u32 = 15;
    const TOP: u32 = 44;
    const BOTTOM: u32 = 34;
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label)).collect();
    let longest = labels
        .iter()
        .flatten()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0) as u32;
    let label_width = (longest * 8 + 16).clamp(60, 300);
    let value_room = 70;
    let plot_left = label_width;
    let plot_width = WIDTH - plot_left - value_room;
    // Each row's top, then the bottom of the last.
    let mut tops = Vec::with_capacity(bars.len() + 1);
    let mut y = TOP;
    for lines in &labels {
        tops.push(y);
        y += ROW + LINE * (lines.len() as u32 - 1);
    }
    let bottom = if bars.is_empty() { TOP + ROW } else { y };
    let height = bottom + BOTTOM;
    let (max, ticks) = axis(bars);
    canvas(title, (WIDTH, height), |root| {
        let bottom = bottom as i32;
        for tick in 0..=ticks {
            let value = max * tick / ticks.max(1);
            let x = plot_left as i32 + (plot_width as u64 * tick / ticks.max(1)) as i32;
            root.draw(&PathElement::new(
                vec![(x, TOP as i32 - 4), (x, bottom)],
                GRID_COLOUR.stroke_width(1),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                format::int(value),
                (x, bottom + 6),
                style(13, &MUTED_COLOUR, Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        for ((bar, lines), &top) in bars.iter().zip(&labels).zip(&tops) {
            let y = top as i32;
            let row = (ROW + LINE * (lines.len() as u32 - 1)) as i32;
            let centre = y + row / 2;
            let first = centre - (LINE as i32 * (lines.len() as i32 - 1)) / 2;
            for (i, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (plot_left as i32 - 8, first + LINE as i32 * i as i32),
                    style(14, &TEXT_COLOUR, Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(draw_err)?;
            }
            let end = match bar.value {
                Some(value) => {
                    let length = (plot_width as u64 * value / max) as i32;
                    if value > 0 {
                        // A non-zero value stays visible however small.
                        let x1 = plot_left as i32 + length.max(2);
                        root.draw(&Rectangle::new(
                            [(plot_left as i32, centre - 6), (x1, centre + 6)],
                            BAR_COLOUR.filled(),
                        ))
                        .map_err(draw_err)?;
                        x1
                    } else {
                        plot_left as i32
                    }
                }
                None => plot_left as i32,
            };
            root.draw(&Text::new(
                bar.shown.clone(),
                (end + 6, centre),
                style(14, bar.value_colour(), Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// The French abbreviations of the months (Imprimerie nationale).
const MONTHS: [(&str, &str); 12] = [
    ("janvier", "janv."),
    ("février", "févr."),
    ("mars", "mars"),
    ("avril", "avr."),
    ("mai", "mai"),
    ("juin", "juin"),
    ("juillet", "juil."),
    ("août", "août"),
    ("septembre", "sept."),
    ("octobre", "oct."),
    ("novembre", "nov."),
    ("décembre", "déc."),
];

/// A vertical bar's label, a month abbreviated when the whole name would
/// not fit in its column (about 6.5 pixels a character at the labels' size).
fn column_label(label: &str, column: u32) -> String {
    if label.chars().count() as u32 * 13 / 2 + 4 <= column {
        return label.to_string();
    }
    MONTHS
        .iter()
        .find(|(month, _)| *month == label)
        .map_or(label, |(_, short)| short)
        .to_string()
}

/// A vertical bar chart (for months), short labels under the bars.
pub fn vertical_bars(title: &str, bars: &[Bar]) -> Result<String> {
    const HEIGHT: u32 = 280;
    const TOP: u32 = 52;
    const BOTTOM: u32 = 36;
    const LEFT: u32 = 56;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let column = (WIDTH - LEFT - 10) / bars.len().max(1) as u32;
    let (max, ticks) = axis(bars);
    canvas(title, (WIDTH, HEIGHT), |root| {
        let base = (TOP + plot_height) as i32;
        for tick in 0..=ticks {
            let y = base - (plot_height as u64 * tick / ticks.max(1)) as i32;
            root.draw(&PathElement::new(
                vec![(LEFT as i32, y), ((WIDTH - 10) as i32, y)],
                GRID_COLOUR.stroke_width(1),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                format::int(max * tick / ticks.max(1)),
                (LEFT as i32 - 6, y),
                style(13, &MUTED_COLOUR, Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        for (i, bar) in bars.iter().enumerate() {
            let x0 = (LEFT + column * i as u32) as i32 + 4;
            let x1 = x0 + column as i32 - 8;
            let centre = (x0 + x1) / 2;
            let top = match bar.value {
                Some(value) if value > 0 => {
                    let length = ((plot_height as u64 * value / max) as i32).max(2);
                    root.draw(&Rectangle::new(
                        [(x0, base - length), (x1, base)],
                        BAR_COLOUR.filled(),
                    ))
                    .map_err(draw_err)?;
                    base - length
                }
                _ => base,
            };
            root.draw(&Text::new(
                bar.shown.clone(),
                (centre, top - 4),
                style(13, bar.value_colour(), Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                column_label(&bar.label, column),
                (centre, base + 6),
                style(13, &TEXT_COLOUR, Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// A French text alternative generated from the data: what the chart
/// shows, its range and its largest items (zeros are not among them). The
/// total is told only for a chart whose bars add up (`additive`): not for
/// one where a person counts in several bars.
pub fn alt_text(title: &str, bars: &[Bar], additive: bool) -> String {
    let shown: Vec<&Bar> = bars.iter().filter(|b| b.value.is_some()).collect();
    if shown.is_empty() {
        return format!("Diagramme en barres « {title} » : aucune valeur diffusable.");
    }
    let total: u64 = shown.iter().filter_map(|b| b.value).sum();
    let mut largest: Vec<&Bar> = shown
        .iter()
        .copied()
        .filter(|b| b.value > Some(0))
        .collect();
    largest.sort_by(|a, b| b.value.cmp(&a.value).then(a.label.cmp(&b.label)));
    let (low, high) = (
        shown.iter().filter_map(|b| b.value).min().unwrap_or(0),
        shown.iter().filter_map(|b| b.value).max().unwrap_or(0),
    );
    let top: Vec<String> = largest
        .iter()
        .take(3)
        .map(|b| format!("{} ({})", b.label, b.shown))
        .collect();
    let masked = bars.len() - shown.len();
    let masked_note = match masked {
        0 => String::new(),
        1 => " Une valeur est masquée (secret statistique).".to_string(),
        n => format!(" {n} valeurs sont masquées (secret statistique)."),
    };
    let categories = match bars.len() {
        1 => "1 catégorie".to_string(),
        n => format!("{n} catégories"),
    };
    // A masked bar is not in the total: say so.
    let total = match (additive, masked) {
        (false, _) => String::new(),
        (true, 0) => format!(", total {}", format::int(total)),
        (true, _) => format!(", total des valeurs diffusées {}", format::int(total)),
    };
    let range = if shown.len() == 1 {
        format!("valeur {}", format::int(high))
    } else {
        format!("valeurs de {} à {}", format::int(low), format::int(high))
    };
    let highest = match top.len() {
        0 => String::new(),
        1 => format!(" La plus élevée : {}.", top[0]),
        _ => format!(" Les plus élevées : {}.", top.join(", ")),
    };
    format!("Diagramme en barres « {title} » : {categories}{total}, {range}.{highest}{masked_note}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_labels_values_and_titles_as_svg_text() {
        let bars = vec![
            Bar::new("ERHR Auvergne-Rhône-Alpes", 2345),
            Bar::new("CRESAM", 0),
            Bar::new(
                "Une équipe au nom vraiment très long pour tenir sur la ligne",
                3,
            ),
            Bar {
                label: "Masquée".into(),
                value: None,
                shown: "< 5".into(),
            },
        ];
        let svg = horizontal_bars("Personnes accompagnées par équipe", &bars).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Personnes accompagnées par équipe"));
        assert!(svg.contains("2\u{202F}345"));
        assert!(svg.contains("Auvergne-Rhône-Alpes"));
        assert!(!svg.contains('…'), "long labels wrap, never cut");
        assert!(
            svg.contains("\nUne équipe au nom vraiment très long\n"),
            "{svg}"
        );
        assert!(svg.contains("\npour tenir sur la ligne\n"), "{svg}");
        assert!(svg.contains("&lt; 5") || svg.contains("< 5"));
        assert_eq!(
            svg.matches("<rect").count(),
            1 + 2,
            "background + two non-zero bars"
        );
    }

    #[test]
    fn vertical_bars_have_one_label_per_month() {
        let bars: Vec<Bar> = (1..=12)
            .map(|m| Bar::new(format::month_name(m), u64::from(m) * 10))
            .collect();
        let svg = vertical_bars("Demandes par mois", &bars).unwrap();
        assert!(
            svg.contains("\ndéc.\n"),
            "twelve columns: the months abbreviated"
        );
        assert!(svg.contains("\nmai\n"));
        assert_eq!(svg.matches("<rect").count(), 13);
    }

    #[test]
    fn vertical_axis_labels_match_their_ticks() {
        // Largest 150: bound 150, three intervals of 50.
        let bars: Vec<Bar> = (1..=12)
            .map(|m| Bar::new(format::month_name(m), 150))
            .collect();
        let svg = vertical_bars("Demandes par mois", &bars).unwrap();
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .map(|(_, rest)| rest.split('<').next().unwrap_or("").trim())
            })
            .collect();
        for label in ["0", "50", "100", "150"] {
            assert!(texts.contains(&label), "{label} in {texts:?}");
        }
        assert!(
            !texts.contains(&"200"),
            "the axis ends just above the largest value"
        );
    }

    #[test]
    fn alt_text_tells_range_and_largest_items() {
        let bars = vec![Bar::new("A", 10), Bar::new("B", 1200), Bar::new("C", 0)];
        let alt = alt_text("Test", &bars, true);
        assert!(alt.contains("3 catégories, total 1\u{202F}210"), "{alt}");
        assert!(alt.contains("de 0 à 1\u{202F}200"), "{alt}");
        assert!(
            alt.contains("plus élevées : B (1\u{202F}200), A (10)."),
            "{alt}"
        );
        // A person in several bars: no total; only zeros: no largest.
        let alt = alt_text("Test", &bars, false);
        assert!(alt.contains("3 catégories, valeurs"), "{alt}");
        let zeros = alt_text("Test", &[Bar::new("A", 0), Bar::new("B", 0)], true);
        assert!(!zeros.contains("plus élevée"), "{zeros}");
    }

    /// Every element of an SVG with its `fill` and `stroke` (not `none`).
    fn paints(svg: &str) -> Vec<(String, Vec<String>)> {
        svg.split('<')
            .skip(1)
            .filter(|tag| !tag.starts_with('/'))
            .map(|tag| {
                let name: String = tag.chars().take_while(|c| c.is_alphanumeric()).collect();
                let colours = ["fill=\"", "stroke=\""]
                    .iter()
                    .filter_map(|key| {
                        let start = tag.find(key)? + key.len();
                        let value = &tag[start..start + tag[start..].find('"')?];
                        (value != "none").then(|| value.to_string())
                    })
                    .collect();
                (name, colours)
            })
            .collect()
    }

    /// WCAG 2.1 1.4.11 and 1.4.3 on every chart kind: on the white
    /// background (the one white shape), every mark's fill and stroke at
    /// least 3:1 against it, every text at least 4.5:1; the grid, which no
    /// value needs (each is written on its mark), is the one light stroke.
    /// And every value is labelled on its mark, not told by colour.
    #[test]
    fn marks_and_texts_hold_their_contrast_and_every_value_is_written() {
        use contrast::contrast;
        let bars = vec![
            Bar::new("ERHR Bretagne", 136),
            Bar::new("CRESAM", 67),
            Bar {
                label: "FAHRES".into(),
                value: None,
                shown: "< 5".into(),
            },
        ];
        let points: Vec<Point> = [(2022, Some(2405)), (2023, None), (2024, Some(2345))]
            .iter()
            .map(|(year, value)| Point {
                label: year.to_string(),
                value: *value,
                shown: value.map_or("s".to_string(), format::int),
            })
            .collect();
        let charts = [
            (
                horizontal_bars("Par équipe", &bars).unwrap(),
                bars.iter().map(|b| b.shown.clone()).collect::<Vec<_>>(),
            ),
            (
                vertical_bars("Par mois", &bars).unwrap(),
                bars.iter().map(|b| b.shown.clone()).collect(),
            ),
            (
                line_chart("Par année", &points, line::Axis::Count).unwrap(),
                points.iter().map(|p| p.shown.clone()).collect(),
            ),
        ];
        let grid = format!(
            "#{:02X}{:02X}{:02X}",
            GRID_COLOUR.0, GRID_COLOUR.1, GRID_COLOUR.2
        );
        for (svg, values) in &charts {
            let mut marks = 0;
            let mut backgrounds = 0;
            for (element, colours) in paints(svg) {
                for colour in colours {
                    if element == "text" {
                        assert!(contrast(&colour, "#ffffff") >= 4.5, "text {colour}");
                    } else if colour.eq_ignore_ascii_case("#ffffff") {
                        backgrounds += 1;
                    } else if colour != grid {
                        assert!(contrast(&colour, "#ffffff") >= 3.0, "{element} {colour}");
                        marks += 1;
                    }
                }
            }
            assert!(marks > 0, "{svg}");
            assert_eq!(backgrounds, 1, "the background alone is white: {svg}");
            for value in values {
                let escaped = value.replace('<', "&lt;");
                assert!(
                    svg.contains(value.as_str()) || svg.contains(&escaped),
                    "{value} written"
                );
            }
        }
    }

    #[test]
    fn no_text_is_smaller_than_7_points_printed_at_the_text_width() {
        // The chart spans the text width, 180 mm of the A4 page: one unit
        // of the 680-unit SVG prints at 180 / 680 mm, about 0.75 pt.
        let bars = vec![Bar::new("A", 10), Bar::new("B", 1200)];
        let points: Vec<line::Point> = (2020..2025)
            .map(|y| line::Point {
                label: y.to_string(),
                value: Some(5),
                shown: "5".into(),
            })
            .collect();
        for svg in [
            horizontal_bars("T", &bars).unwrap(),
            vertical_bars("T", &bars).unwrap(),
            line::line_chart("T", &points, line::Axis::Count).unwrap(),
        ] {
            for size in svg.split("font-size=\"").skip(1) {
                let size: f64 = size.split('"').next().unwrap().parse().unwrap();
                let points = size * 180.0 / 25.4 * 72.0 / f64::from(WIDTH);
                assert!(points >= 7.0, "{size} units print at {points:.1} pt");
            }
        }
    }

    #[test]
    fn axes_end_at_a_round_number_just_above_the_largest_value() {
        assert_eq!(round_axis(0), (1, 0));
        assert_eq!(round_axis(3), (5, 1));
        assert_eq!(round_axis(7), (10, 2));
        assert_eq!(round_axis(113), (125, 5));
        assert_eq!(round_axis(359), (400, 4));
        assert_eq!(round_axis(2436), (2500, 5));
        assert_eq!(round_axis(200), (200, 4));
        for largest in 1..5000 {
            let (bound, intervals) = round_axis(largest);
            assert!(
                bound >= largest && (1..=5).contains(&intervals),
                "{largest}"
            );
            assert_eq!(bound % intervals, 0, "{largest}");
            let step = bound / intervals;
            assert!(step >= 5, "{largest}: no tick from 1 to 4");
            // Just above: one step less would not hold the largest value.
            assert!(bound - step < largest, "{largest}: {bound}");
        }
    }
}
