//! A line chart over the years (the *Évolution* section): one point per
//! year, a gap where a value is masked or the year has none, the value
//! written above each point.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    canvas, draw_err, round_axis, style, BAR_COLOUR, GRID_COLOUR, MUTED_COLOUR, TEXT_COLOUR, WIDTH,
};
use crate::format;

/// One point: its label (the year), its value (`None` when masked or not
/// applicable) and the text shown for it (`63 %`, `< 5`, `—`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub label: String,
    pub value: Option<u64>,
    pub shown: String,
}

/// A line chart of `points` in order; `percent` draws the axis in percent
/// from 0 to 100.
pub fn line_chart(title: &str, points: &[Point], percent: bool) -> Result<String> {
    const HEIGHT: u32 = 190;
    const TOP: u32 = 44;
    const BOTTOM: u32 = 26;
    const LEFT: u32 = 62;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let largest = points.iter().filter_map(|p| p.value).max().unwrap_or(0);
    let (max, intervals) = if percent {
        (100, 5)
    } else {
        round_axis(largest)
    };
    let column = (WIDTH - LEFT - 20) / points.len().max(1) as u32;
    canvas(title, (WIDTH, HEIGHT), |root| {
        let base = (TOP + plot_height) as i32;
        for tick in 0..=intervals {
            let y = base - (plot_height as u64 * tick / intervals.max(1)) as i32;
            let value = max * tick / intervals.max(1);
            root.draw(&PathElement::new(
                vec![(LEFT as i32, y), ((WIDTH - 10) as i32, y)],
                GRID_COLOUR.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let label = if percent {
                format::percent(value)
            } else {
                format::int(value)
            };
            root.draw(&Text::new(
                label,
                (LEFT as i32 - 6, y),
                style(13, &MUTED_COLOUR, Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        let at = |i: usize, value: u64| -> (i32, i32) {
            let x = (LEFT + column * i as u32 + column / 2) as i32;
            let y = base - (plot_height as u64 * value.min(max) / max.max(1)) as i32;
            (x, y)
        };
        // Consecutive shown points are joined; a masked year breaks the line.
        for pair in points.windows(2).enumerate() {
            let (i, [a, b]) = pair else { continue };
            if let (Some(va), Some(vb)) = (a.value, b.value) {
                root.draw(&PathElement::new(
                    vec![at(i, va), at(i + 1, vb)],
                    BAR_COLOUR.stroke_width(2),
                ))
                .map_err(draw_err)?;
            }
        }
        for (i, point) in points.iter().enumerate() {
            let x = (LEFT + column * i as u32 + column / 2) as i32;
            let (top, colour) = match point.value {
                Some(value) => {
                    let (x, y) = at(i, value);
                    root.draw(&Circle::new((x, y), 3, BAR_COLOUR.filled()))
                        .map_err(draw_err)?;
                    (y, &TEXT_COLOUR)
                }
                None => (base, &MUTED_COLOUR),
            };
            root.draw(&Text::new(
                point.shown.clone(),
                (x, top - 6),
                style(13, colour, Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                point.label.clone(),
                (x, base + 6),
                style(13, &TEXT_COLOUR, Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// A French text alternative: the span of years, the first and last shown
/// values, how many are masked.
pub fn line_alt_text(title: &str, points: &[Point]) -> String {
    let shown: Vec<&Point> = points.iter().filter(|p| p.value.is_some()).collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("Courbe « {title} » : aucune année.");
    };
    let span = format!("de {} à {}", first.label, last.label);
    let masked = points.len() - shown.len();
    let masked_note = match masked {
        0 => String::new(),
        1 => " Une valeur est masquée ou absente.".to_string(),
        n => format!(" {n} valeurs sont masquées ou absentes."),
    };
    match (shown.first(), shown.last()) {
        (Some(a), Some(b)) => format!(
            "Courbe « {title} », {span} : {} en {}, {} en {}.{masked_note}",
            a.shown, a.label, b.shown, b.label
        ),
        _ => format!("Courbe « {title} », {span} : aucune valeur diffusable."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: i32, value: Option<u64>) -> Point {
        Point {
            label: year.to_string(),
            value,
            shown: value.map_or("< 5".to_string(), format::int),
        }
    }

    #[test]
    fn a_masked_year_breaks_the_line_and_every_year_is_labelled() {
        let points = vec![
            point(2020, Some(1200)),
            point(2021, Some(2436)),
            point(2022, None),
            point(2023, Some(2267)),
            point(2024, Some(2345)),
        ];
        let svg = line_chart("Personnes accompagnées", &points, false).unwrap();
        assert_eq!(svg.matches("<circle").count(), 4);
        // 2020–2021 and 2023–2024: two segments, plus the grid lines.
        assert_eq!(svg.matches("stroke-width=\"2\"").count(), 2);
        for year in 2020..=2024 {
            assert!(svg.contains(&year.to_string()));
        }
        assert!(svg.contains("2\u{202F}436"));
        let alt = line_alt_text("Personnes accompagnées", &points);
        assert!(alt.contains("de 2020 à 2024"), "{alt}");
        assert!(alt.contains("Une valeur est masquée"), "{alt}");
    }

    #[test]
    fn rates_are_drawn_on_a_percent_axis() {
        let svg = line_chart(
            "Taux",
            &[point(2023, Some(63)), point(2024, Some(64))],
            true,
        )
        .unwrap();
        assert!(svg.contains("100\u{a0}%") || svg.contains("100\u{202F}%"));
    }
}
