//! Scale-out: the latency floor (step time at batch 1, ms) and the cost at the current
//! batch (right axis) against chip count.

use super::shared::{along, cost_axis, cost_label, infeasible_region, merge};
use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep;
use crate::scenario::Scenario;

/// The scale-out chart of scenario `s`: 1 … max(64, 4 × chips) chips, powers of 2 included.
pub(super) fn scale_out(s: &Scenario) -> Result<ChartData, ChartError> {
    let n = s.chips as u64;
    let hi = (4 * n).clamp(64, 1_000_000);
    let powers: Vec<u64> = (0..21).map(|k| 1u64 << k).collect();
    let values = merge(
        sweep::default_values(s, sweep::Axis::Chips),
        powers.into_iter().chain([n]),
        hi,
    );
    let pts = sweep::over_chips(s, &values)?;
    let mut one = s.clone();
    one.workload.batch_size = 1;
    let floor = sweep::over_chips(&one, &values)?;
    let mut d = ChartData::new(
        ChartKind::ScaleOut,
        AxisSpec::new("chips", "chips", Scale::Log, Format::Number),
        AxisSpec::new(
            "step time at batch 1, ms",
            "latency_floor_ms",
            Scale::Log,
            Format::Number,
        ),
    );
    d.y2 = Some(cost_axis());
    let b = s.workload.batch_size;
    d.plot(
        "latency floor: step at batch 1",
        "latency_floor_ms",
        Pen::left(Style::Line, Ink::Series(0)),
        along(&floor, |p| p.step_seconds * 1e3),
    );
    d.plot(
        &format!("cost at batch {b} (right axis)"),
        "cost_usd_per_million_output_tokens",
        Pen::right(Style::Line, Ink::Series(1)),
        along(&pts, |p| p.cost_per_million_output_tokens),
    );
    infeasible_region(&mut d, &pts, hi as f64, &format!("batch {b}"), false);
    if let Some(p) = floor.iter().find(|p| p.x == n as f64) {
        d.point(
            p.x,
            p.step_seconds * 1e3,
            Side::Left,
            format!(
                "{} chip{}: {} ms ({} tok/s max)",
                n,
                if n == 1 { "" } else { "s" },
                format_number(p.step_seconds * 1e3),
                format_number(p.tokens_per_second_per_user)
            ),
            Ink::Series(0),
            true,
        );
    }
    if let Some(p) = pts.iter().find(|p| p.x == n as f64) {
        d.point(
            p.x,
            p.cost_per_million_output_tokens,
            Side::Right,
            cost_label(p.cost_per_million_output_tokens),
            Ink::Series(1),
            true,
        );
    }
    d.notes.push(format!(
        "{:?} parallel; communication and per-collective latency included",
        s.parallelism
    ));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::data::RegionKind;

    #[test]
    fn sweep_covers_the_current_chip_count_and_marks_it() {
        let s = Scenario::default();
        let d = scale_out(&s).unwrap();
        let n = s.chips as f64;
        assert!(d.series[0].points.iter().any(|p| p.0 == n));
        assert_eq!(d.series[1].side, Side::Right);
        assert_eq!(d.markers.len(), 2);
    }

    #[test]
    fn too_few_chips_are_shaded_from_the_start() {
        let s = Scenario {
            chips: 1,
            ..Scenario::default()
        };
        let d = scale_out(&s).unwrap();
        let r = d
            .regions
            .iter()
            .find(|r| r.kind == RegionKind::Infeasible)
            .expect("one chip does not hold the default model");
        assert_eq!(r.x0, 1.0);
        assert!(r.x1 > 1.0);
    }
}
