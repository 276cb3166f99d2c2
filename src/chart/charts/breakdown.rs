//! The breakdown family against batch size: decode step time stacked by part (ms), memory
//! over all chips (GB), and energy per output token (joules), data movement against math.

use super::shared::{along, batch_axis, batch_values, infeasible_region, merge, SWEEP_MAX};
use crate::chart::axis::{format_number, Format, Scale};
use crate::chart::data::{AxisSpec, ChartData, Ink, Pen, Side, Style};
use crate::chart::{ChartError, ChartKind};
use crate::model::sweep::{self, log_space_u64, SweepPoint};
use crate::model::{self, Evaluation};
use crate::scenario::Scenario;

/// A named part of the step time: (legend, CSV column, value in ms).
type Part = (&'static str, &'static str, fn(&SweepPoint) -> f64);

/// The stacked parts of one decode step, bottom to top (`model::step_parts`): reads in
/// full, then what each mechanism adds beyond them, communication and overheads.
const PARTS: [Part; 13] = [
    ("reading weights", "weights_read_ms", |p| {
        p.parts.weights * 1e3
    }),
    ("reading KV cache", "kv_read_ms", |p| p.parts.kv * 1e3),
    ("KV from host", "kv_host_read_ms", |p| p.parts.kv_host * 1e3),
    ("indexer reading keys", "indexer_read_ms", |p| {
        p.parts.indexer * 1e3
    }),
    ("linear-attention state", "linear_state_ms", |p| {
        p.parts.linear_state * 1e3
    }),
    ("GEMMs beyond reads", "compute_beyond_memory_ms", |p| {
        p.parts.gemm * 1e3
    }),
    ("tile padding", "padding_ms", |p| p.parts.padding * 1e3),
    ("expert imbalance", "imbalance_ms", |p| {
        p.parts.imbalance * 1e3
    }),
    ("widening weights", "dequant_ms", |p| p.parts.dequant * 1e3),
    ("attention math", "attention_ms", |p| {
        p.parts.attention * 1e3
    }),
    ("communication", "communication_ms", |p| {
        p.parts.communication * 1e3
    }),
    ("per-sequence work", "sequence_work_ms", |p| {
        p.parts.sequences * 1e3
    }),
    ("fixed overheads", "overhead_ms", |p| {
        p.parts.overheads * 1e3
    }),
];

/// Decode step time by part against batch, on a linear axis that ends near where memory
/// runs out (or just past the exact B*), so the small batches stay readable.
pub(super) fn breakdown_time(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, hi) = batch_values(s, e);
    let b = s.workload.batch_size as f64;
    let mut end = (4.0 * b)
        .max(2.0 * e.capacity.max_batch_size as f64)
        .max(64.0);
    if let Some(x) = e.critical_batch.exact {
        if (x as f64) <= 8.0 * end {
            end = end.max(1.5 * x as f64);
        }
    }
    let end = end.min(hi);
    let values: Vec<u64> = values.into_iter().filter(|&v| v as f64 <= end).collect();
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownTime,
        batch_axis(),
        AxisSpec::new("decode step time, ms", "ms", Scale::Linear, Format::Number),
    );
    for (i, (name, col, f)) in PARTS.iter().enumerate() {
        // The parts keep the colours they had before the optional reads (KV from host, the
        // indexer, the linear state: the ninth to eleventh colours), so a model without them
        // keeps its chart's colours.
        let ink = match i {
            _ if i + 1 == PARTS.len() => Ink::Muted,
            0 | 1 => Ink::Series(i),
            2..=4 => Ink::Series(i + 6),
            _ => Ink::Series(i - 3),
        };
        // A mechanism that costs nothing anywhere on this sweep is left out of the legend.
        let used = !(2..10).contains(&i) || pts.iter().any(|p| f(p) > 0.0);
        if used {
            d.plot(name, col, Pen::left(Style::Stacked, ink), along(&pts, f));
        }
    }
    d.vline(b, format!("now: B = {}", format_number(b)), Ink::Muted);
    if let Some(x) = e.critical_batch.exact {
        d.vline(
            x as f64,
            format!("B* = {}", format_number(x as f64)),
            Ink::Series(3),
        );
    }
    d.notes
        .push("step = reads + math beyond them + communication + overheads".into());
    Ok(d)
}

/// Memory over all chips (weights, KV cache, free) against batch, with the usable and
/// total capacity.
pub(super) fn breakdown_memory(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let b = s.workload.batch_size;
    let mb = e.capacity.max_batch_size;
    let hi = (4 * b).max(mb.saturating_mul(2)).clamp(64, SWEEP_MAX);
    let values = merge(log_space_u64(1, hi, 80), [b, mb, mb.saturating_add(1)], hi);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownMemory,
        batch_axis(),
        AxisSpec::new(
            "memory over all chips, GB",
            "gb",
            Scale::Linear,
            Format::Number,
        ),
    );
    let stacked = |i| Pen::left(Style::Stacked, Ink::Series(i));
    d.plot(
        "weights",
        "weights_gb",
        stacked(0),
        along(&pts, |p| p.memory_weight_bytes / 1e9),
    );
    d.plot(
        "KV cache",
        "kv_cache_gb",
        stacked(1),
        along(&pts, |p| p.memory_kv_bytes / 1e9),
    );
    d.plot(
        "free",
        "free_gb",
        stacked(2),
        along(&pts, |p| {
            let free = p.memory_usable_bytes - p.memory_weight_bytes - p.memory_kv_bytes;
            free.max(0.0) / 1e9
        }),
    );
    d.plot(
        &format!(
            "usable ({:.0}% of HBM)",
            model::USABLE_MEMORY_FRACTION * 100.0
        ),
        "usable_gb",
        Pen::left(Style::Dashed, Ink::Series(4)),
        along(&pts, |p| p.memory_usable_bytes / 1e9),
    );
    let cap = s.chips as f64 * s.hardware.memory_capacity / 1e9;
    d.plot(
        "HBM capacity",
        "capacity_gb",
        Pen::left(Style::Line, Ink::Muted),
        along(&pts, |_| cap),
    );
    infeasible_region(&mut d, &pts, hi as f64, "KV cache", true);
    d.vline(
        b as f64,
        format!("now: B = {}", format_number(b as f64)),
        Ink::Muted,
    );
    if mb >= 1 {
        d.vline(
            mb as f64,
            format!("max batch {}", format_number(mb as f64)),
            Ink::Series(4),
        );
    }
    d.notes.push(format!(
        "KV at context {} tokens: {}B per request",
        format_number(e.context),
        format_number(e.capacity.kv_bytes_per_sequence)
    ));
    Ok(d)
}

/// Energy per output token (joules), moving data against arithmetic, against batch.
pub(super) fn breakdown_energy(s: &Scenario, e: &Evaluation) -> Result<ChartData, ChartError> {
    let (values, _hi) = batch_values(s, e);
    let pts = sweep::over_batch(s, &values)?;
    let mut d = ChartData::new(
        ChartKind::BreakdownEnergy,
        batch_axis(),
        AxisSpec::new(
            "energy per output token, joules",
            "joules_per_token",
            Scale::Log,
            Format::Number,
        ),
    );
    d.plot(
        "moving data (weights, KV)",
        "data_movement_joules_per_token",
        Pen::left(Style::Line, Ink::Series(0)),
        along(&pts, |p| p.data_movement_joules_per_token),
    );
    d.plot(
        "arithmetic",
        "arithmetic_joules_per_token",
        Pen::left(Style::Line, Ink::Series(1)),
        along(&pts, |p| p.arithmetic_joules_per_token),
    );
    d.plot(
        "total",
        "joules_per_token",
        Pen::left(Style::Dashed, Ink::Muted),
        along(&pts, |p| p.joules_per_token),
    );
    if let Some(p) = pts
        .iter()
        .find(|p| p.arithmetic_joules_per_token >= p.data_movement_joules_per_token)
    {
        d.point(
            p.x,
            p.arithmetic_joules_per_token,
            Side::Left,
            format!("math = data movement at B ≈ {}", format_number(p.x)),
            Ink::Series(1),
            true,
        );
    }
    let b = s.workload.batch_size as f64;
    if let Some(p) = pts.iter().find(|p| p.x == b) {
        let ratio = p.data_movement_joules_per_token / p.arithmetic_joules_per_token;
        d.point(
            b,
            p.data_movement_joules_per_token,
            Side::Left,
            format!(
                "B = {}: data {}× math",
                format_number(b),
                format_number(ratio)
            ),
            Ink::Series(0),
            true,
        );
    }
    d.notes.push(format!(
        "{} pJ per byte from HBM, {} pJ per FLOP",
        format_number(s.energy.joules_per_byte * 1e12),
        format_number(s.energy.joules_per_flop * 1e12)
    ));
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;

    #[test]
    fn breakdown_time_stacks_to_step() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let d = breakdown_time(&s, &e).unwrap();
        let i = d.series[0].points.iter().position(|p| p.0 == 64.0).unwrap();
        let total: f64 = d
            .series
            .iter()
            .filter(|s| s.style == Style::Stacked)
            .map(|s| s.points[i].1)
            .sum();
        let want = e.decode.step_seconds * 1e3;
        assert!((total - want).abs() <= 1e-9 * want, "{total} vs {want}");
    }

    #[test]
    fn memory_stacks_to_usable_while_it_fits() {
        let s = Scenario::default();
        let d = breakdown_memory(&s, &evaluate(&s).unwrap()).unwrap();
        let usable = &d.series[3].points;
        for (i, &(x, u)) in usable.iter().enumerate() {
            let stack: f64 = d.series[..3].iter().map(|s| s.points[i].1).sum();
            if d.series[2].points[i].1 > 0.0 {
                assert!((stack - u).abs() <= 1e-9 * u, "batch {x}: {stack} vs {u}");
            }
        }
    }

    #[test]
    fn energy_total_is_data_plus_math() {
        let s = Scenario::default();
        let d = breakdown_energy(&s, &evaluate(&s).unwrap()).unwrap();
        for i in 0..d.series[0].points.len() {
            let (data, math) = (d.series[0].points[i].1, d.series[1].points[i].1);
            let total = d.series[2].points[i].1;
            assert!(
                total >= data + math - 1e-12 * total,
                "{total} < {data} + {math}"
            );
        }
    }

    #[test]
    fn reads_are_the_memory_time() {
        let s = Scenario::default();
        let p = &sweep::over_batch(&s, &[64]).unwrap()[0];
        let (w, kv) = (p.parts.weights, p.parts.kv);
        assert!((w + kv - p.memory_seconds).abs() <= 1e-12 * w);
        assert!(w > 0.0 && kv > 0.0);
    }

    #[test]
    fn moe_at_scale_stacks_its_mechanisms() {
        let mut s = Scenario {
            model: crate::catalogue::presets::model_preset("deepseek-v3")
                .unwrap()
                .spec
                .clone(),
            chips: 8,
            parallelism: crate::scenario::Parallelism::Expert,
            ..Scenario::default()
        };
        s.workload.batch_size = 2048;
        let d = breakdown_time(&s, &evaluate(&s).unwrap()).unwrap();
        for name in [
            "tile padding",
            "expert imbalance",
            "attention math",
            "communication",
        ] {
            assert!(d.series.iter().any(|x| x.name == name), "{name}");
        }
    }
}
