//! The roofline: attainable FLOP/s per chip against arithmetic intensity (FLOP per byte),
//! log-log, with the ridge, this decode step and this prefill marked.

use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Region, RegionKind, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep::log_space;
use crate::model::Evaluation;
use crate::scenario::Scenario;

/// The roofline chart of scenario `s` (evaluated as `e`).
pub(super) fn roofline(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let peak = s.peak_flops()?;
    let bw = s.hardware.memory_bandwidth;
    let n = s.chips.max(1) as f64;
    let ridge = peak / bw;
    let dec_bytes = e.decode.weight_bytes + e.decode.kv_bytes;
    let dec_i = e.decode.flops / dec_bytes;
    let dec_y = e.decode.flops / (n * e.decode.step_seconds);
    let pre_i = e.prefill.flops / e.prefill.bytes;
    let pre_y = e.prefill.flops / (n * e.prefill.seconds);
    let (lo, hi) = intensity_range([dec_i, pre_i, ridge]);
    let mut xs = log_space(lo, hi, 80);
    xs.push(ridge);
    xs.sort_by(f64::total_cmp);
    xs.dedup();

    let prec = s.precision.compute.name();
    let mut d = ChartData::new(
        ChartKind::Roofline,
        AxisSpec::new(
            "arithmetic intensity, FLOP per byte read",
            "flop_per_byte",
            Scale::Log,
            Format::Number,
        ),
        AxisSpec::new(
            &format!("attainable {prec} FLOP/s per chip"),
            "flop_per_second_per_chip",
            Scale::Log,
            Format::Number,
        ),
    );
    d.plot(
        "roofline (peak)",
        "roof_peak_flop_per_second",
        Pen::left(Style::Line, Ink::Series(0)),
        xs.iter().map(|&i| (i, peak.min(bw * i))).collect(),
    );
    let eff = &s.efficiency;
    if eff.compute < 1.0 || eff.bandwidth < 1.0 {
        d.plot(
            &format!(
                "at {:.0}% FLOP/s, {:.0}% bandwidth",
                eff.compute * 100.0,
                eff.bandwidth * 100.0
            ),
            "roof_realistic_flop_per_second",
            Pen::left(Style::Dashed, Ink::Muted),
            xs.iter()
                .map(|&i| (i, (peak * eff.compute).min(bw * eff.bandwidth * i)))
                .collect(),
        );
    }
    d.plot(
        &format!("decode, batch {}", s.workload.batch_size),
        "decode_flop_per_second",
        Pen::left(Style::Points, Ink::Series(1)),
        vec![(dec_i, dec_y)],
    );
    d.plot(
        &format!("prefill, {} tokens", s.workload.input_tokens),
        "prefill_flop_per_second",
        Pen::left(Style::Points, Ink::Series(2)),
        vec![(pre_i, pre_y)],
    );
    d.regions.push(Region {
        x0: lo,
        x1: ridge,
        kind: RegionKind::MemoryBound,
        label: "memory-bound".into(),
    });
    d.regions.push(Region {
        x0: ridge,
        x1: hi,
        kind: RegionKind::ComputeBound,
        label: "compute-bound".into(),
    });
    d.point(
        ridge,
        peak,
        Side::Left,
        format!("ridge {} FLOP/B", format_number(ridge)),
        Ink::Series(0),
        true,
    );
    d.point(
        dec_i,
        dec_y,
        Side::Left,
        format!(
            "decode: {} FLOP/B, {}-bound",
            format_number(dec_i),
            e.decode.bound.name()
        ),
        Ink::Series(1),
        false,
    );
    d.point(
        pre_i,
        pre_y,
        Side::Left,
        format!(
            "prefill: {} FLOP/B, {}-bound",
            format_number(pre_i),
            e.prefill.bound.name()
        ),
        Ink::Series(2),
        false,
    );
    d.notes.push(format!(
        "{}: {} FLOP/s, {}B/s per chip; achieved rate includes overheads",
        s.hardware.name,
        format_number(peak),
        format_number(bw)
    ));
    Ok(d)
}

/// The x range (FLOP per byte): from the power of ten at least half a decade below the
/// smallest drawable intensity to the one at least half a decade above the largest, or
/// 1 … 10⁴ when none is drawable. Whole decades keep the axis still while an edit moves a
/// point within them (typing a batch size moves the decode point, not the axis).
fn intensity_range(intensities: [f64; 3]) -> (f64, f64) {
    let finite = intensities
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0);
    let min = finite.clone().fold(f64::INFINITY, f64::min);
    let max = finite.fold(f64::NEG_INFINITY, f64::max);
    // A whole power of ten; log10 of a finite positive f64 lies within ±324, so anything
    // else (no drawable intensity: ±inf or NaN) gives no range.
    let decade = |v: f64| {
        if v.is_finite() && v.abs() < 400.0 {
            10f64.powi(v as i32)
        } else {
            f64::NAN
        }
    };
    let lo = decade((min.log10() - 0.5).floor());
    let hi = decade((max.log10() + 0.5).ceil());
    if lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo {
        (lo, hi)
    } else {
        (1.0, 1e4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::data::Marker;
    use crate::model::evaluate;

    #[test]
    fn roof_bends_at_the_ridge() {
        let s = Scenario::default();
        let d = roofline(&s, &evaluate(&s).unwrap()).unwrap();
        let peak = s.peak_flops().unwrap();
        let ridge = peak / s.hardware.memory_bandwidth;
        let roof = &d.series[0].points;
        assert!(roof.iter().any(|p| p.0 == ridge && p.1 == peak));
        assert!(roof.iter().all(|p| p.1 <= peak));
        assert_eq!(d.regions[0].x1, ridge);
        assert_eq!(d.regions[1].x0, ridge);
        assert!(matches!(&d.markers[0], Marker::Point { x, dot: true, .. } if *x == ridge));
    }

    #[test]
    fn intensity_range_pads_half_a_decade_to_whole_decades_or_falls_back() {
        assert_eq!(intensity_range([2.0, 50.0, 300.0]), (0.1, 1000.0));
        // Half a decade at least: 3 is less than half a decade above 1, 400 less than half
        // a decade below 1000.
        assert_eq!(intensity_range([3.0, 50.0, 400.0]), (0.1, 1e4));
        assert_eq!(intensity_range([3.5, 50.0, 400.0]), (1.0, 1e4));
        // Points moving within their half-decades leave the range as it was.
        assert_eq!(
            intensity_range([4.0, 60.0, 250.0]),
            intensity_range([3.5, 90.0, 300.0])
        );
        assert_eq!(intensity_range([0.7, 3.0, 9e5]), (0.1, 1e7));
        assert_eq!(intensity_range([f64::NAN, 0.0, f64::INFINITY]), (1.0, 1e4));
        assert_eq!(intensity_range([5.0, 5.0, 5.0]), (1.0, 100.0));
    }
}
