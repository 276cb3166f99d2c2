//! Tile and wave efficiency of each GEMM of one decode step on one chip: bars per GEMM on a
//! category axis, in percent.

use crate::chart::axis::{Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Style};
use crate::chart::{ChartError, ChartKind};
use crate::scenario::Scenario;

/// The points `(i, y(item i))`: one per category position 0, 1, ….
fn at_index<T>(items: &[T], y: impl Fn(&T) -> f64) -> Vec<(f64, f64)> {
    items
        .iter()
        .enumerate()
        .map(|(i, g)| (i as f64, y(g)))
        .collect()
}

/// A short axis label for a GEMM: its matrix and, if given, its output dimension on one
/// chip (`q 1024`, `ex.up 2048`); the CSV and the readout carry the same text.
fn gemm_label(name: &str, n: Option<u64>) -> String {
    let (group, matrix) = name.split_once('.').unwrap_or(("", name));
    let matrix = match matrix {
        "gate_up" => "up",
        "q_proj" => "q",
        "k_proj" => "k",
        "v_proj" => "v",
        "o_proj" => "o",
        "q_a_proj" => "q_a",
        "q_b_proj" => "q_b",
        "kv_a_proj" => "kv_a",
        "kv_b_proj" => "kv_b",
        other => other,
    };
    let group = match group {
        "shared_expert" => "sh.",
        "expert" => "ex.",
        _ => "",
    };
    match n {
        Some(n) => format!("{group}{matrix} {n}"),
        None => format!("{group}{matrix}"),
    }
}

/// One bar pair per GEMM of a decode step on one chip: tile and wave efficiency, %.
pub(super) fn tiles(s: &Scenario) -> Result<ChartData, ChartError> {
    // The engine's GEMMs for this chip (its tile size and multiprocessor count), one decode
    // step of the batch.
    let rows = s.workload.batch_size.max(1);
    let gemms = crate::model::tiles::gemm_efficiencies(s, rows)?;
    let mut x = AxisSpec::new(
        &format!(
            "GEMM on one chip and its output dimension (decode, {rows} row{})",
            if rows == 1 { "" } else { "s" }
        ),
        "gemm",
        Scale::Linear,
        Format::Number,
    );
    // Many GEMMs (MoE, MLA) leave no room for the dimension under each bar.
    let with_dims = gemms.len() <= 8;
    if !with_dims {
        x.label = format!("GEMM on one chip (decode, {rows} rows)");
    }
    x.categories = gemms
        .iter()
        .map(|g| gemm_label(g.name, with_dims.then_some(g.n)))
        .collect();
    x.range = Some((-0.6, gemms.len() as f64 - 0.4));
    x.include_zero = false;
    let mut y = AxisSpec::new("efficiency, %", "percent", Scale::Linear, Format::Percent);
    // Headroom above 100% for the bars' value labels.
    y.range = Some((0.0, 112.0));
    let (tile, sms) = (s.hardware.tile_size, s.hardware.streaming_multiprocessors);
    let mut d = ChartData::new(ChartKind::Tiles, x, y);
    d.plot(
        &format!("tile efficiency of the weight (n and k, {tile}-wide tiles)"),
        "tile_efficiency_percent",
        Pen::left(
            Style::Bars {
                offset: -0.2,
                width: 0.38,
            },
            Ink::Series(0),
        ),
        at_index(&gemms, |g| {
            100.0 * g.tile_efficiency_n * g.tile_efficiency_k
        }),
    );
    d.plot(
        &format!("wave efficiency ({sms} SMs)"),
        "wave_efficiency_percent",
        Pen::left(
            Style::Bars {
                offset: 0.2,
                width: 0.38,
            },
            Ink::Series(1),
        ),
        at_index(&gemms, |g| 100.0 * g.wave_efficiency),
    );
    d.notes.push(format!(
        "{tile}×{tile} output tiles over {sms} SMs of the {}; no split-K; rows padded to whole tiles are not counted here",
        s.hardware.name
    ));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_bars_are_the_engines_gemms() {
        let s = Scenario::default();
        let d = tiles(&s).unwrap();
        let g = crate::model::tiles::gemm_efficiencies(&s, 64).unwrap();
        assert_eq!(d.x.categories.len(), g.len());
        for (i, g) in g.iter().enumerate() {
            let tile = d.series[0].points[i].1;
            assert!((tile - 100.0 * g.tile_efficiency_n * g.tile_efficiency_k).abs() < 1e-9);
            assert!((d.series[1].points[i].1 - 100.0 * g.wave_efficiency).abs() < 1e-9);
        }
    }

    #[test]
    fn gemm_labels_are_short() {
        assert_eq!(gemm_label("attention.q_proj", Some(1024)), "q 1024");
        assert_eq!(gemm_label("expert.gate_up", Some(2048)), "ex.up 2048");
        assert_eq!(gemm_label("shared_expert.down", None), "sh.down");
        assert_eq!(gemm_label("lm_head", None), "lm_head");
    }

    #[test]
    fn bars_sit_on_integer_positions() {
        assert_eq!(
            at_index(&[3.0, 4.0], |v| v * 2.0),
            vec![(0.0, 6.0), (1.0, 8.0)]
        );
    }
}
