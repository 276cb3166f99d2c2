//! Calibration to a user's own measurements: fit the efficiencies and the overhead of a
//! scenario to points measured on their servers (batch, context, and any of tok/s per user,
//! TPOT, TTFT, system throughput), by least squares on the log error, within bounds.
//!
//! Which numbers are fitted follows from what the points can tell apart: decode points at
//! several batch sizes fit compute, bandwidth and the per-step overhead; at one batch size
//! only bandwidth and overhead (the step is memory-bound there, or nothing separates the
//! two); time-to-first-token points fit prefill's efficiency. Too few points, or points
//! that no setting fits within ×1.5, get a message that says why instead of a wild fit.

use super::{decode_step, prefill, shape, StepInputs};
use crate::scenario::{Efficiency, Scenario, ScenarioError};

/// One measured point from the user's server.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct UserPoint {
    /// Concurrent requests, B.
    pub batch: u64,
    /// Decode context, tokens (`None`: the scenario's).
    pub context: Option<u64>,
    /// Tokens/s each user sees.
    pub tokens_per_second_per_user: Option<f64>,
    /// Time per output token, seconds.
    pub tpot_seconds: Option<f64>,
    /// Time to first token, seconds (one request's prompt of the scenario's input length).
    pub ttft_seconds: Option<f64>,
    /// Output tokens/s of the whole system.
    pub throughput_tokens_per_second: Option<f64>,
}

/// What a point's number measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Observed {
    TokensPerSecondPerUser,
    Tpot,
    Ttft,
    Throughput,
}

impl Observed {
    /// The CSV column and display name.
    pub fn name(self) -> &'static str {
        match self {
            Observed::TokensPerSecondPerUser => "tps_user",
            Observed::Tpot => "tpot_s",
            Observed::Ttft => "ttft_s",
            Observed::Throughput => "throughput",
        }
    }
}

/// One observation: a point's batch and context, what was measured and its value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// Index of the point it came from (0-based).
    pub point: usize,
    pub batch: u64,
    pub context: Option<u64>,
    pub observed: Observed,
    pub measured: f64,
}

/// The fit and each observation's residual before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct UserFit {
    /// The scenario's efficiency with the fitted numbers.
    pub efficiency: Efficiency,
    /// The names of the fitted numbers.
    pub fitted: Vec<&'static str>,
    /// (observation, modelled before, modelled after).
    pub residuals: Vec<(Observation, f64, f64)>,
    /// RMS of ln(modelled ÷ measured) before and after.
    pub rms_before: f64,
    pub rms_after: f64,
}

/// Columns a points CSV may have (header row, any order; `context` optional).
pub const CSV_COLUMNS: [&str; 6] = [
    "batch",
    "context",
    "tps_user",
    "tpot_s",
    "ttft_s",
    "throughput",
];

/// Parses a points CSV: a header row naming [`CSV_COLUMNS`], then one point per line;
/// empty cells are absent values. Errors name the line and column.
pub fn parse_points_csv(text: &str) -> Result<Vec<UserPoint>, String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (_, header) = lines
        .next()
        .ok_or("no header row (batch,context,tps_user,tpot_s,ttft_s,throughput)")?;
    let cols: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    for c in &cols {
        if !CSV_COLUMNS.contains(&c.as_str()) {
            return Err(format!(
                "unknown column \"{c}\"; use {}",
                CSV_COLUMNS.join(", ")
            ));
        }
    }
    if !cols.iter().any(|c| c == "batch") {
        return Err("the header needs a batch column".into());
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() > cols.len() {
            return Err(format!(
                "line {}: {} cells for {} columns",
                i + 1,
                cells.len(),
                cols.len()
            ));
        }
        let mut p = UserPoint::default();
        for (c, v) in cols.iter().zip(cells) {
            if v.is_empty() {
                continue;
            }
            let x: f64 = v
                .parse()
                .map_err(|_| format!("line {}, {c}: \"{v}\" is not a number", i + 1))?;
            if !(x.is_finite() && x > 0.0) {
                return Err(format!("line {}, {c}: must be above 0, got {v}", i + 1));
            }
            let whole = || -> Result<u64, String> {
                if x.fract() == 0.0 && x <= 1e9 {
                    Ok(x as u64)
                } else {
                    Err(format!(
                        "line {}, {c}: must be a whole number up to 1e9, got {v}",
                        i + 1
                    ))
                }
            };
            match c.as_str() {
                "batch" => p.batch = whole()?,
                "context" => p.context = Some(whole()?),
                "tps_user" => p.tokens_per_second_per_user = Some(x),
                "tpot_s" => p.tpot_seconds = Some(x),
                "ttft_s" => p.ttft_seconds = Some(x),
                _ => p.throughput_tokens_per_second = Some(x),
            }
        }
        if p.batch == 0 {
            return Err(format!("line {}: batch is missing", i + 1));
        }
        out.push(p);
    }
    Ok(out)
}

/// Every measured number of the points, one observation each.
pub fn observations(points: &[UserPoint]) -> Vec<Observation> {
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let mut add = |observed, v: Option<f64>| {
            if let Some(measured) = v {
                out.push(Observation {
                    point: i,
                    batch: p.batch,
                    context: p.context,
                    observed,
                    measured,
                });
            }
        };
        add(
            Observed::TokensPerSecondPerUser,
            p.tokens_per_second_per_user,
        );
        add(Observed::Tpot, p.tpot_seconds);
        add(Observed::Ttft, p.ttft_seconds);
        add(Observed::Throughput, p.throughput_tokens_per_second);
    }
    out
}

/// The model's value of an observation for scenario `s` (its efficiency as set).
pub fn modelled(s: &Scenario, o: &Observation) -> Result<f64, ScenarioError> {
    let peak = s.peak_flops()?;
    let sh = shape(s);
    if o.observed == Observed::Ttft {
        let n_in = s.workload.input_tokens as f64;
        return Ok(prefill(s, &sh, peak, n_in, 1.0).seconds);
    }
    let context = o.context.map_or(s.decode_context(), |c| c as f64);
    let d = decode_step(
        s,
        &sh,
        peak,
        StepInputs {
            batch: o.batch as f64,
            context,
            chips: s.chips as f64,
        },
    );
    Ok(match o.observed {
        Observed::TokensPerSecondPerUser => d.tokens_per_second_per_user,
        Observed::Tpot => d.step_seconds,
        Observed::Throughput => d.tokens_per_second,
        Observed::Ttft => unreachable!("handled above"),
    })
}

/// A fitted number: name, bounds, and how to set it.
struct Knob {
    name: &'static str,
    lo: f64,
    hi: f64,
    set: fn(&mut Efficiency, f64),
}

const COMPUTE: Knob = Knob {
    name: "compute",
    lo: 0.05,
    hi: 1.0,
    set: |e, v| e.compute = v,
};
const BANDWIDTH: Knob = Knob {
    name: "bandwidth",
    lo: 0.05,
    hi: 1.0,
    set: |e, v| e.bandwidth = v,
};
const OVERHEAD: Knob = Knob {
    name: "step_overhead_seconds",
    lo: 0.0,
    hi: 0.1,
    set: |e, v| e.step_overhead_seconds = v,
};
const PREFILL: Knob = Knob {
    name: "prefill_compute",
    lo: 0.05,
    hi: 1.0,
    set: |e, v| e.prefill_compute = Some(v),
};

/// RMS of ln(modelled ÷ measured) of `obs` at efficiency `e`.
fn rms(s: &Scenario, e: &Efficiency, obs: &[Observation]) -> Result<f64, ScenarioError> {
    let mut t = s.clone();
    t.efficiency = e.clone();
    let mut sum = 0.0;
    for o in obs {
        sum += (modelled(&t, o)? / o.measured).ln().powi(2);
    }
    Ok((sum / obs.len().max(1) as f64).sqrt())
}

/// Minimises the RMS log error over one knob by golden-section search within its bounds.
fn line_search(
    s: &Scenario,
    e: &Efficiency,
    obs: &[Observation],
    k: &Knob,
) -> Result<(Efficiency, f64), ScenarioError> {
    let at = |v: f64| -> Result<(Efficiency, f64), ScenarioError> {
        let mut x = e.clone();
        (k.set)(&mut x, v);
        let err = rms(s, &x, obs)?;
        Ok((x, err))
    };
    // A coarse scan first (the error need not be unimodal), then golden sections.
    let steps = 24;
    let mut best_i = 0;
    let mut best = f64::INFINITY;
    for i in 0..=steps {
        let v = k.lo + (k.hi - k.lo) * i as f64 / steps as f64;
        let (_, err) = at(v)?;
        if err < best {
            best = err;
            best_i = i;
        }
    }
    let w = (k.hi - k.lo) / steps as f64;
    let (mut a, mut b) = (
        (k.lo + w * (best_i as f64 - 1.0)).max(k.lo),
        (k.lo + w * (best_i as f64 + 1.0)).min(k.hi),
    );
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..40 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if at(c)?.1 <= at(d)?.1 {
            b = d;
        } else {
            a = c;
        }
    }
    at((a + b) / 2.0)
}

/// Nelder–Mead simplex search of the RMS log error over `knobs` (each scaled to its bounds,
/// values clamped into them), from `e`.
fn nelder_mead(
    s: &Scenario,
    e: &Efficiency,
    obs: &[Observation],
    knobs: &[&Knob],
) -> Result<(Efficiency, f64), ScenarioError> {
    let n = knobs.len();
    let get = |e: &Efficiency, k: &Knob| -> f64 {
        match k.name {
            "compute" => e.compute,
            "bandwidth" => e.bandwidth,
            "step_overhead_seconds" => e.step_overhead_seconds,
            _ => e.prefill_compute.unwrap_or(e.compute),
        }
    };
    let to_eff = |u: &[f64]| {
        let mut x = e.clone();
        for (k, v) in knobs.iter().zip(u) {
            (k.set)(&mut x, k.lo + (k.hi - k.lo) * v.clamp(0.0, 1.0));
        }
        x
    };
    let f = |u: &[f64]| rms(s, &to_eff(u), obs);
    let start: Vec<f64> = knobs
        .iter()
        .map(|k| (get(e, k) - k.lo) / (k.hi - k.lo))
        .collect();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::new();
    simplex.push((start.clone(), f(&start)?));
    for i in 0..n {
        let mut u = start.clone();
        u[i] = if u[i] > 0.5 { u[i] - 0.1 } else { u[i] + 0.1 };
        let v = f(&u)?;
        simplex.push((u, v));
    }
    for _ in 0..400 {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if simplex[n].1 - simplex[0].1 < 1e-10 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|p| p.0[j]).sum::<f64>() / n as f64)
            .collect();
        let toward = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n].0)
                .map(|(c, w)| (c + t * (c - w)).clamp(0.0, 1.0))
                .collect()
        };
        let r = toward(1.0);
        let fr = f(&r)?;
        if fr < simplex[0].1 {
            let x = toward(2.0);
            let fx = f(&x)?;
            simplex[n] = if fx < fr { (x, fx) } else { (r, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (r, fr);
        } else {
            let c = toward(-0.5);
            let fc = f(&c)?;
            if fc < simplex[n].1 {
                simplex[n] = (c, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 =
                        p.0.iter()
                            .zip(&best)
                            .map(|(x, b)| b + 0.5 * (x - b))
                            .collect();
                    p.1 = f(&p.0)?;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok((to_eff(&simplex[0].0), simplex[0].1))
}

/// Fits `s`'s efficiency to `points`; see the module documentation for what is fitted and
/// when it refuses.
pub fn fit_user_points(s: &Scenario, points: &[UserPoint]) -> Result<UserFit, String> {
    s.validate().map_err(|e| e.to_string())?;
    let obs = observations(points);
    let decode: Vec<&Observation> = obs
        .iter()
        .filter(|o| o.observed != Observed::Ttft)
        .collect();
    let ttft = obs.len() - decode.len();
    let mut batches: Vec<u64> = decode.iter().map(|o| o.batch).collect();
    batches.sort_unstable();
    batches.dedup();
    let mut knobs: Vec<&Knob> = Vec::new();
    if batches.len() >= 3 {
        knobs.extend([&COMPUTE, &BANDWIDTH, &OVERHEAD]);
    } else if decode.len() >= 2 {
        knobs.extend([&BANDWIDTH, &OVERHEAD]);
    } else if decode.len() == 1 {
        knobs.push(&BANDWIDTH);
    }
    if ttft > 0 {
        knobs.push(&PREFILL);
    }
    if knobs.is_empty() || obs.len() < 2 {
        return Err(format!(
            "too few points: {} measured number{} (give at least two, e.g. TPOT at two batch sizes; three batch sizes to fit compute apart from bandwidth)",
            obs.len(),
            if obs.len() == 1 { "" } else { "s" }
        ));
    }
    // Start from the scenario's numbers, set the prefill efficiency explicitly.
    let mut e = s.efficiency.clone();
    if ttft > 0 && e.prefill_compute.is_none() {
        e.prefill_compute = Some(e.compute);
    }
    let err = |e: &Efficiency| rms(s, e, &obs).map_err(|x| x.to_string());
    let rms_before = err(&s.efficiency)?;
    let mut best = err(&e)?;
    for _round in 0..8 {
        let start = best;
        for k in &knobs {
            let (x, v) = line_search(s, &e, &obs, k).map_err(|x| x.to_string())?;
            if v < best {
                best = v;
                e = x;
            }
        }
        if start - best < 1e-6 {
            break;
        }
    }
    // Then Nelder–Mead over all fitted knobs at once (they are correlated: compute,
    // bandwidth and overhead trade against each other), in bounds.
    let (x, v) = nelder_mead(s, &e, &obs, &knobs).map_err(|x| x.to_string())?;
    if v < best {
        e = x;
    }
    // Three significant figures: what a measurement can tell, and a readable share link.
    let round = |x: f64| {
        if x == 0.0 {
            0.0
        } else {
            let p = 10f64.powi(2 - x.abs().log10().floor() as i32);
            (x * p).round() / p
        }
    };
    e.compute = round(e.compute);
    e.bandwidth = round(e.bandwidth);
    e.step_overhead_seconds = round(e.step_overhead_seconds);
    e.prefill_compute = e.prefill_compute.map(round);
    let best = err(&e)?;
    if best > 1.5f64.ln() {
        return Err(format!(
            "the points disagree: the best fit still leaves them ×{:.2} apart on average (RMS); check that they come from this model, chip and chip count",
            best.exp()
        ));
    }
    let mut before = s.clone();
    before.efficiency = s.efficiency.clone();
    let mut after = s.clone();
    after.efficiency = e.clone();
    let mut residuals = Vec::new();
    for o in &obs {
        residuals.push((
            *o,
            modelled(&before, o).map_err(|x| x.to_string())?,
            modelled(&after, o).map_err(|x| x.to_string())?,
        ));
    }
    Ok(UserFit {
        efficiency: e,
        fitted: knobs.iter().map(|k| k.name).collect(),
        residuals,
        rms_before,
        rms_after: best,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth() -> (Scenario, Efficiency) {
        let s = Scenario::default();
        let e = Efficiency {
            compute: 0.42,
            bandwidth: 0.71,
            step_overhead_seconds: 0.003,
            prefill_compute: Some(0.55),
            ..Efficiency::REALISTIC
        };
        (s, e)
    }

    /// Points measured on a server that runs at `e`, at contexts 2,048 and (when `short`)
    /// 128 tokens.
    fn points_at(s: &Scenario, e: &Efficiency, batches: &[u64]) -> Vec<UserPoint> {
        points_at_contexts(s, e, batches, &[2048])
    }

    fn points_at_contexts(
        s: &Scenario,
        e: &Efficiency,
        batches: &[u64],
        contexts: &[u64],
    ) -> Vec<UserPoint> {
        let mut t = s.clone();
        t.efficiency = e.clone();
        let pairs: Vec<(u64, u64)> = batches
            .iter()
            .flat_map(|&b| contexts.iter().map(move |&c| (b, c)))
            .collect();
        pairs
            .into_iter()
            .map(|(b, c)| {
                let o = Observation {
                    point: 0,
                    batch: b,
                    context: Some(c),
                    observed: Observed::Tpot,
                    measured: 1.0,
                };
                let tpot = modelled(&t, &o).unwrap();
                let ttft = modelled(
                    &t,
                    &Observation {
                        observed: Observed::Ttft,
                        ..o
                    },
                )
                .unwrap();
                UserPoint {
                    batch: b,
                    context: Some(c),
                    tpot_seconds: Some(tpot),
                    ttft_seconds: Some(ttft),
                    ..UserPoint::default()
                }
            })
            .collect()
    }

    #[test]
    fn recovers_a_known_efficiency_within_five_percent() {
        let (s, e) = truth();
        // Short and long contexts at small and large batches tell the reads (weights, KV)
        // from the math and the fixed overhead.
        let pts = points_at_contexts(&s, &e, &[1, 16, 128, 512, 2048], &[128, 4096]);
        let fit = fit_user_points(&s, &pts).unwrap();
        let f = &fit.efficiency;
        let close = |a: f64, b: f64| ((a - b) / b).abs() < 0.05;
        assert!(close(f.compute, 0.42), "{f:?}");
        assert!(close(f.bandwidth, 0.71), "{f:?}");
        assert!(close(f.step_overhead_seconds, 0.003), "{f:?}");
        assert!(close(f.prefill_compute.unwrap(), 0.55), "{f:?}");
        assert!(fit.rms_after < 0.01 && fit.rms_after < fit.rms_before);
        assert_eq!(
            fit.fitted,
            [
                "compute",
                "bandwidth",
                "step_overhead_seconds",
                "prefill_compute"
            ]
        );
    }

    #[test]
    fn too_few_or_contradictory_points_say_why() {
        let (s, e) = truth();
        let one = vec![UserPoint {
            batch: 8,
            tpot_seconds: Some(0.02),
            ..UserPoint::default()
        }];
        assert!(fit_user_points(&s, &one)
            .unwrap_err()
            .contains("too few points"));
        let mut pts = points_at(&s, &e, &[1, 64, 1024]);
        pts[1].tpot_seconds = pts[1].tpot_seconds.map(|t| t * 20.0);
        pts[2].tpot_seconds = pts[2].tpot_seconds.map(|t| t / 20.0);
        let err = fit_user_points(&s, &pts).unwrap_err();
        assert!(err.contains("disagree"), "{err}");
    }

    #[test]
    fn one_batch_size_fits_bandwidth_and_overhead_only() {
        let (s, e) = truth();
        let mut pts = points_at(&s, &e, &[32]);
        pts.push(UserPoint {
            context: Some(8192),
            ..pts[0].clone()
        });
        let mut t = s.clone();
        t.efficiency = e.clone();
        pts[1].tpot_seconds = Some(
            modelled(
                &t,
                &Observation {
                    point: 1,
                    batch: 32,
                    context: Some(8192),
                    observed: Observed::Tpot,
                    measured: 1.0,
                },
            )
            .unwrap(),
        );
        let fit = fit_user_points(&s, &pts).unwrap();
        assert_eq!(
            fit.fitted,
            ["bandwidth", "step_overhead_seconds", "prefill_compute"]
        );
    }

    #[test]
    fn csv_reads_and_refuses_with_the_line() {
        let p =
            parse_points_csv("batch,context,tpot_s,ttft_s\n1,2048,0.012,\n64,,0.02,0.3\n").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].context, Some(2048));
        assert_eq!(p[0].ttft_seconds, None);
        assert_eq!(p[1].ttft_seconds, Some(0.3));
        assert!(parse_points_csv("batch,speed\n1,2")
            .unwrap_err()
            .contains("unknown column"));
        assert!(parse_points_csv("batch,tpot_s\n1,abc")
            .unwrap_err()
            .contains("line 2"));
        assert!(parse_points_csv("batch,tpot_s\n0.5,1")
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_points_csv("").unwrap_err().contains("no header"));
    }
}
