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

pub use line::{line_alt_text, line_chart, Point};

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

/// Labels longer than this are shortened with an ellipsis (the table beside
/// the chart has them whole).
const MAX_LABEL_CHARS: usize = 38;

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_string()
    } else {
        let kept: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// The smallest "nice" bound (1, 2 or 5 × 10ⁿ) not below `max`.
pub(super) fn nice_bound(max: u64) -> u64 {
    // Bounds are 1, 2 or 5 × 10ⁿ so that `ticks` divides them evenly.
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= max.max(1) {
                return step * factor;
            }
        }
        step *= 10;
    }
}

/// Intervals on the value axis: every tick a round number, and none from
/// 1 to 4 (under statistical secrecy such a number would read like a
/// masked count): 5 intervals from 50 up, 2 from 10, else 1.
pub(super) fn ticks(bound: u64) -> u64 {
    match bound {
        0 => 0,
        50.. => 5,
        10.. => 2,
        _ => 1,
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

/// The axis of a chart: its bound and number of intervals. With nothing
/// above zero to show, the axis has its zero tick only.
fn axis(bars: &[Bar]) -> (u64, u64) {
    let largest = bars.iter().filter_map(|b| b.value).max().unwrap_or(0);
    let max = nice_bound(largest);
    (max, if largest == 0 { 0 } else { ticks(max) })
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
            style(15, &TEXT_COLOUR, Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// A horizontal bar chart, one row per bar, labels on the left.
pub fn horizontal_bars(title: &str, bars: &[Bar]) -> Result<String> {
    const ROW: u32 = 22;
    const TOP: u32 = 44;
    const BOTTOM: u32 = 34;
    let longest = bars
        .iter()
        .map(|b| short(&b.label).chars().count())
        .max()
        .unwrap_or(0) as u32;
    let label_width = (longest * 7 + 16).clamp(60, 300);
    let value_room = 70;
    let plot_left = label_width;
    let plot_width = WIDTH - plot_left - value_room;
    let height = TOP + ROW * bars.len().max(1) as u32 + BOTTOM;
    let (max, ticks) = axis(bars);
    canvas(title, (WIDTH, height), |root| {
        let bottom = (TOP + ROW * bars.len().max(1) as u32) as i32;
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
                style(11, &MUTED_COLOUR, Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        for (i, bar) in bars.iter().enumerate() {
            let y = (TOP + ROW * i as u32) as i32;
            let centre = y + ROW as i32 / 2;
            root.draw(&Text::new(
                short(&bar.label),
                (plot_left as i32 - 8, centre),
                style(12, &TEXT_COLOUR, Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(draw_err)?;
            let end = match bar.value {
                Some(value) => {
                    let length = (plot_width as u64 * value / max) as i32;
                    if value > 0 {
                        // A non-zero value stays visible however small.
                        let x1 = plot_left as i32 + length.max(2);
                        root.draw(&Rectangle::new(
                            [(plot_left as i32, y + 5), (x1, y + ROW as i32 - 5)],
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
                style(12, bar.value_colour(), Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
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
                style(11, &MUTED_COLOUR, Pos::new(HPos::Right, VPos::Center)),
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
                style(11, bar.value_colour(), Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                bar.label.clone(),
                (centre, base + 6),
                style(11, &TEXT_COLOUR, Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// A French text alternative generated from the data: what the chart
/// shows, its range and its largest items.
pub fn alt_text(title: &str, bars: &[Bar]) -> String {
    let shown: Vec<&Bar> = bars.iter().filter(|b| b.value.is_some()).collect();
    if shown.is_empty() {
        return format!("Diagramme en barres « {title} » : aucune valeur diffusable.");
    }
    let total: u64 = shown.iter().filter_map(|b| b.value).sum();
    let mut largest = shown.clone();
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
    format!(
        "Diagramme en barres « {title} » : {} catégories, total {}, valeurs de {} à {}. Les plus élevées : {}.{masked_note}",
        bars.len(),
        format::int(total),
        format::int(low),
        format::int(high),
        top.join(", ")
    )
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
        assert!(svg.contains('…'));
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
        assert!(svg.contains("décembre"));
        assert_eq!(svg.matches("<rect").count(), 13);
    }

    #[test]
    fn vertical_axis_labels_match_their_ticks() {
        // Bound 200, five intervals: 0, 40, 80, 120, 160, 200.
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
        for label in ["0", "40", "80", "120", "160", "200"] {
            assert!(texts.contains(&label), "{label} in {texts:?}");
        }
        assert!(
            !texts.contains(&"50"),
            "a tick labelled as a quarter of the bound"
        );
    }

    #[test]
    fn alt_text_tells_range_and_largest_items() {
        let bars = vec![Bar::new("A", 10), Bar::new("B", 1200), Bar::new("C", 0)];
        let alt = alt_text("Test", &bars);
        assert!(alt.contains("3 catégories"), "{alt}");
        assert!(alt.contains("de 0 à 1\u{202F}200"), "{alt}");
        assert!(alt.contains("B (1\u{202F}200), A (10), C (0)"), "{alt}");
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
                line_chart("Par année", &points, false).unwrap(),
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
    fn bounds_are_nice() {
        assert_eq!(nice_bound(0), 1);
        assert_eq!(nice_bound(7), 10);
        assert_eq!(nice_bound(2345), 5000);
        assert_eq!(nice_bound(200), 200);
        assert_eq!(ticks(0), 0);
        for bound in [1, 2, 5, 10, 20, 50, 500, 5000] {
            assert_eq!(bound % ticks(bound), 0, "{bound}");
            let labels: Vec<u64> = (1..ticks(bound))
                .map(|t| bound * t / ticks(bound))
                .collect();
            assert!(labels.iter().all(|&l| l >= 5), "{bound}: {labels:?}");
        }
    }
}
