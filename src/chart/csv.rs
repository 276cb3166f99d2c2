//! A chart's series as CSV: wide (one row per x) when every series shares its x values,
//! long (`series,<x>,value`) otherwise. Category axes write their names, quoted as needed.

use super::charts::chart_data_with;
use super::data::ChartData;
use super::{ChartError, ChartKind, DEFAULT_MAX_CONTEXT_TOKENS};
use crate::scenario::Scenario;

/// CSV of chart `kind`'s series (context axis up to the default maximum).
pub fn csv(kind: ChartKind, s: &Scenario) -> Result<String, ChartError> {
    csv_with(kind, s, &[])
}

/// [`csv`] with the model preset ids the architecture comparison draws (`compare`).
pub fn csv_with(kind: ChartKind, s: &Scenario, compare: &[String]) -> Result<String, ChartError> {
    Ok(to_csv(&chart_data_with(
        kind,
        s,
        DEFAULT_MAX_CONTEXT_TOKENS,
        compare,
    )?))
}

/// The series as CSV: one row per x when every series shares the x values (wide), else
/// one row per point (`series,<x>,value`).
pub fn to_csv(d: &ChartData) -> String {
    let x_text = |x: f64| -> String {
        if d.x.categories.is_empty() {
            x.to_string()
        } else {
            let i = x.round();
            if i >= 0.0 && (i as usize) < d.x.categories.len() {
                quote(&d.x.categories[i as usize])
            } else {
                x.to_string()
            }
        }
    };
    let mut out = String::new();
    let first = d.series.first().map(|s| &s.points);
    let shared = first.is_some_and(|f| {
        d.series.iter().all(|s| {
            s.points.len() == f.len()
                && s.points
                    .iter()
                    .zip(f)
                    .all(|(a, b)| a.0.to_bits() == b.0.to_bits())
        })
    });
    if shared {
        let cols: Vec<String> = std::iter::once(quote(&d.x.column))
            .chain(d.series.iter().map(|s| quote(&s.column)))
            .collect();
        out.push_str(&cols.join(","));
        out.push('\n');
        if let Some(f) = first {
            for (i, (x, _)) in f.iter().enumerate() {
                let mut row = vec![x_text(*x)];
                row.extend(d.series.iter().map(|s| s.points[i].1.to_string()));
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    } else {
        out.push_str(&format!("series,{},value\n", quote(&d.x.column)));
        for s in &d.series {
            for (x, y) in &s.points {
                out.push_str(&format!("{},{},{}\n", quote(&s.column), x_text(*x), y));
            }
        }
    }
    out
}

/// A CSV field: quoted (inner quotes doubled) when it holds a comma, quote or newline.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::axis::{Format, Scale};
    use crate::chart::data::{AxisSpec, Ink, Pen, Style};

    fn data() -> ChartData {
        ChartData::new(
            ChartKind::CostBatch,
            AxisSpec::new("x", "x_col", Scale::Linear, Format::Number),
            AxisSpec::new("y", "y_col", Scale::Linear, Format::Number),
        )
    }

    #[test]
    fn csv_is_wide_when_x_shared() {
        let s = Scenario::default();
        let text = csv(ChartKind::CostBatch, &s).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "batch,cost_usd_per_million_output_tokens,tokens_per_second_per_user"
        );
        assert!(lines.any(|l| l.starts_with("64,")));
        let roof = csv(ChartKind::Roofline, &s).unwrap();
        assert!(roof.starts_with("series,flop_per_byte,value\n"));
        let tiles = csv(ChartKind::Tiles, &s).unwrap();
        assert!(tiles.contains("q 1024,100,"), "{tiles}");
    }

    #[test]
    fn shared_x_gives_one_row_per_x() {
        let mut d = data();
        let pen = Pen::left(Style::Line, Ink::Muted);
        d.plot("a", "a", pen, vec![(1.0, 2.0), (2.0, 3.0)]);
        d.plot("b", "b,c", pen, vec![(1.0, 4.0), (2.0, 5.0)]);
        assert_eq!(to_csv(&d), "x_col,a,\"b,c\"\n1,2,4\n2,3,5\n");
    }

    #[test]
    fn different_x_gives_one_row_per_point() {
        let mut d = data();
        let pen = Pen::left(Style::Line, Ink::Muted);
        d.plot("a", "a", pen, vec![(1.0, 2.0)]);
        d.plot("b", "b", pen, vec![(1.5, 4.0), (2.0, 5.0)]);
        assert_eq!(to_csv(&d), "series,x_col,value\na,1,2\nb,1.5,4\nb,2,5\n");
    }

    #[test]
    fn category_x_writes_names_and_quotes_them() {
        let mut d = data();
        d.x.categories = vec!["plain".into(), "say \"hi\"".into()];
        d.plot(
            "a",
            "a",
            Pen::left(Style::Points, Ink::Muted),
            vec![(0.0, 1.0), (1.0, 2.0), (7.0, 3.0)],
        );
        assert_eq!(to_csv(&d), "x_col,a\nplain,1\n\"say \"\"hi\"\"\",2\n7,3\n");
    }

    #[test]
    fn no_series_is_a_header_only() {
        assert_eq!(to_csv(&data()), "series,x_col,value\n");
    }
}
