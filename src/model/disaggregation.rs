//! Disaggregated prefill and decode (DistServe, Mooncake, SGLang's and NVIDIA Dynamo's
//! production setups): prompts are prefilled on one pool of engines, their KV cache is
//! shipped over the network to another pool that decodes, so a compute-bound phase never
//! stalls a memory-bound one.
//!
//! # The model
//!
//! - **Pools.** Each pool is `instances` engines; one engine is the scenario with its chip
//!   (a hardware preset, or the scenario's own), chip count and parallelism replaced
//!   ([`pool_scenario`]). A prefill engine prefills one prompt of n_in tokens per pass
//!   ([`prefill`]); a decode engine runs decode steps at the workload's batch B and decode
//!   context ([`decode_step`]).
//! - **KV transfer.** What each request's cache holds after its prompt
//!   ([`kv_bytes_per_sequence`] at n_in: the KV of n_in tokens on full-attention layers,
//!   of min(n_in, W) on sliding-window layers, index keys, and a linear-attention model's
//!   fixed state; at the KV precision) crosses the link between the pools once:
//!   t_kv = latency + bytes ÷ bandwidth, where the bandwidth is the link's, or by default
//!   the smaller engine's chips × its chip's scale-out bandwidth (each chip ships its own
//!   shard over its own NIC). TTFT = prefill + t_kv: the first token leaves the prefill
//!   engine with the KV and reaches the user through the decode engine.
//! - **Rates.** A prefill engine serves r_p = 1 ÷ T_prefill(n_in) requests/s; a decode
//!   engine r_d = B ÷ ((n_out − 1)·t_step) (the first token comes from prefill; a request
//!   of one token needs no decode step, so r_d is unbounded then).
//! - **xPyD.** For an arrival rate λ the balanced pools are x = ⌈λ ÷ r_p⌉ prefill and
//!   y = ⌈λ ÷ r_d⌉ decode engines (each at least 1); λ defaults to what the configured
//!   decode pool sustains, y·r_d.
//! - **Cost.** Each pool at its full rate: prefill N_p·price_p ÷ 3600 ÷ (r_p·n_in) per
//!   input token, decode N_d·price_d ÷ 3600 × t_step ÷ B per output token (the calculator's
//!   formula on the decode engine). The pair as configured, at its capacity
//!   min(x·r_p, y·r_d) requests/s, pays for both pools: (x·N_p·price_p + y·N_d·price_d) ÷
//!   3600 ÷ (capacity·n_out) per output token; the balanced pair the same at λ.

use super::{decode_step, kv_bytes_per_token, prefill, shape, Bound, StepInputs};
use super::{fits_at, kv_bytes_per_sequence};
use crate::catalogue::presets::hardware_preset;
use crate::scenario::{Pool, Scenario, ScenarioError};

/// Which pool a number belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The prefill pool.
    Prefill,
    /// The decode pool.
    Decode,
}

impl Phase {
    /// `"prefill"` or `"decode"`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Prefill => "prefill",
            Phase::Decode => "decode",
        }
    }
}

/// One pool's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolResult {
    /// One engine of the pool, as a scenario (its chip, chips and parallelism).
    pub scenario: Scenario,
    /// Engines configured.
    pub instances: u32,
    /// Prefill: one prompt's pass; decode: one step at batch B, seconds.
    pub seconds: f64,
    /// Whether that pass or step is memory- or compute-bound.
    pub bound: Bound,
    /// Requests per second one engine serves.
    pub requests_per_second: f64,
    /// USD per hour of the configured pool (engines × chips × price).
    pub usd_per_hour: f64,
    /// At full rate: USD per million input tokens (prefill) or output tokens (decode).
    pub cost_per_million_tokens: f64,
    /// Engines the arrival rate needs (the x or y of the balanced xPyD).
    pub balanced_instances: u32,
    /// Arrival rate ÷ what the configured pool serves.
    pub utilization: f64,
    /// Whether one engine holds its weights and (decode) its batch's KV.
    pub fits: bool,
}

/// A disaggregated setup's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Disaggregated {
    /// The prefill pool.
    pub prefill: PoolResult,
    /// The decode pool.
    pub decode: PoolResult,
    /// Cache bytes one request ships: its prompt's KV (windows capped), index keys and
    /// linear state ([`kv_bytes_per_sequence`] at n_in).
    pub kv_bytes_per_request: f64,
    /// Bandwidth of one transfer, bytes/s.
    pub link_bandwidth: f64,
    /// Latency of one transfer, seconds.
    pub link_latency_seconds: f64,
    /// latency + bytes ÷ bandwidth, seconds.
    pub transfer_seconds: f64,
    /// Prefill + transfer, seconds.
    pub ttft_seconds: f64,
    /// The decode step, seconds.
    pub tpot_seconds: f64,
    /// The rate the balanced ratio is sized for, requests/s.
    pub arrival_rate: f64,
    /// What the configured pools serve together: min(x·r_p, y·r_d), requests/s.
    pub capacity_requests_per_second: f64,
    /// The pool whose engines run out first at the configured sizes.
    pub binding: Phase,
    /// Both pools as configured, at their capacity: USD per million output tokens.
    pub cost_per_million_output_tokens: f64,
    /// The balanced pools at the arrival rate: USD per million output tokens.
    pub balanced_cost_per_million_output_tokens: f64,
}

impl Disaggregated {
    /// The balanced ratio, `"3P1D"`.
    pub fn ratio(&self) -> String {
        format!(
            "{}P{}D",
            self.prefill.balanced_instances, self.decode.balanced_instances
        )
    }

    /// The configured pools, `"1P1D"`.
    pub fn configured(&self) -> String {
        format!("{}P{}D", self.prefill.instances, self.decode.instances)
    }
}

/// One engine of `pool` as a scenario: `s` with the pool's chip, chip count and parallelism
/// (the scenario's own where the pool leaves them out); the disaggregation switched off.
pub fn pool_scenario(s: &Scenario, pool: &Pool) -> Result<Scenario, ScenarioError> {
    let mut p = s.clone();
    p.disaggregation = Default::default();
    if let Some(id) = &pool.hardware {
        let h = hardware_preset(id.trim()).ok_or_else(|| {
            ScenarioError::new("disaggregation.hardware", format!("unknown preset {id:?}"))
        })?;
        p.hardware = h.spec.clone();
    }
    if let Some(c) = pool.chips {
        p.chips = c;
    }
    if let Some(par) = pool.parallelism {
        p.parallelism = par;
    }
    Ok(p)
}

/// ⌈rate ÷ per_engine⌉, at least 1 (and 1 for an unbounded engine).
fn engines_for(rate: f64, per_engine: f64) -> u32 {
    if !(per_engine.is_finite()) || per_engine <= 0.0 {
        return 1;
    }
    (rate / per_engine).ceil().clamp(1.0, u32::MAX as f64) as u32
}

/// The time of one KV transfer of `bytes` (a prompt's KV, and a linear-attention model's
/// state) over a link of `bandwidth` bytes/s: latency + bytes ÷ bandwidth, seconds.
pub fn transfer_seconds(bytes: f64, bandwidth: f64, latency: f64) -> f64 {
    latency + bytes / bandwidth
}

/// What the transfer's bytes hold besides n_in tokens of KV on every layer, for the "why"
/// line: sliding windows capping their layers, and a linear-attention state.
fn transfer_note(s: &Scenario) -> String {
    use crate::format as f;
    let mut parts = Vec::new();
    if let Some(w) = s.model.sliding_window {
        if s.model.sliding_window_layers > 0 && s.workload.input_tokens > w {
            parts.push(format!(
                "{} sliding-window layers holding their last {} tokens only",
                s.model.sliding_window_layers,
                f::integer(w as f64)
            ));
        }
    }
    let state = super::linear_state_bytes_per_sequence(s);
    if state > 0.0 {
        parts.push(format!(
            "plus the linear layers' state, {}",
            f::bytes(state)
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(", {}", parts.join("; "))
    }
}

/// The default bandwidth of one transfer: the smaller engine's chips × its chip's scale-out
/// bandwidth, bytes/s.
pub fn default_link_bandwidth(prefill: &Scenario, decode: &Scenario) -> f64 {
    let side = |s: &Scenario| s.chips.max(1) as f64 * s.hardware.scale_out_bandwidth;
    side(prefill).min(side(decode))
}

/// The disaggregated setup of `s`, whether or not it is switched on (the serving lab runs it
/// beside the co-located schedulers; off, both pools are one engine of the scenario's own
/// setup). Errors name the field.
pub fn pools(s: &Scenario) -> Result<Disaggregated, ScenarioError> {
    let d = &s.disaggregation;
    let ps = pool_scenario(s, &d.prefill)?;
    let ds = pool_scenario(s, &d.decode)?;
    ps.validate()
        .map_err(|e| ScenarioError::new("disaggregation.prefill.hardware", e.to_string()))?;
    ds.validate()
        .map_err(|e| ScenarioError::new("disaggregation.decode.hardware", e.to_string()))?;
    let n_in = s.workload.input_tokens as f64;
    let n_out = s.workload.output_tokens as f64;
    let b = s.workload.batch_size as f64;

    let psh = shape(&ps);
    let pre = prefill(&ps, &psh, ps.peak_flops()?, n_in, 1.0);
    let r_p = 1.0 / pre.seconds;

    let dsh = shape(&ds);
    let ctx = ds.decode_context();
    let step = decode_step(
        &ds,
        &dsh,
        ds.peak_flops()?,
        StepInputs {
            batch: b,
            context: ctx,
            chips: ds.chips as f64,
        },
    );
    let decode_steps = (n_out - 1.0).max(0.0);
    let r_d = if decode_steps > 0.0 {
        b / (decode_steps * step.step_seconds)
    } else {
        f64::INFINITY
    };

    let bytes = kv_bytes_per_sequence(s, n_in);
    let link_bandwidth = d
        .link_bandwidth
        .unwrap_or_else(|| default_link_bandwidth(&ps, &ds));
    let transfer = transfer_seconds(bytes, link_bandwidth, d.link_latency_seconds);

    let (x, y) = (d.prefill.instances.max(1), d.decode.instances.max(1));
    let rate = d.arrival_rate.unwrap_or(if r_d.is_finite() {
        y as f64 * r_d
    } else {
        x as f64 * r_p
    });
    let (xb, yb) = (engines_for(rate, r_p), engines_for(rate, r_d));
    let per_hour = |p: &Scenario| p.chips as f64 * p.hardware.price_per_hour;
    let (hp, hd) = (per_hour(&ps), per_hour(&ds));
    let capacity = (x as f64 * r_p).min(y as f64 * r_d);
    let binding = if x as f64 * r_p <= y as f64 * r_d {
        Phase::Prefill
    } else {
        Phase::Decode
    };
    let pair_cost = |x: u32, y: u32, requests_per_second: f64| {
        (x as f64 * hp + y as f64 * hd) / 3600.0 / (requests_per_second * n_out) * 1e6
    };
    let prefill_pool = PoolResult {
        instances: x,
        seconds: pre.seconds,
        bound: pre.bound,
        requests_per_second: r_p,
        usd_per_hour: x as f64 * hp,
        cost_per_million_tokens: hp / 3600.0 / (r_p * n_in) * 1e6,
        balanced_instances: xb,
        utilization: rate / (x as f64 * r_p),
        fits: fits_at(
            &ps,
            &psh,
            ps.chips as f64,
            1.0,
            kv_bytes_per_sequence(&ps, n_in),
        ),
        scenario: ps,
    };
    let decode_pool = PoolResult {
        instances: y,
        seconds: step.step_seconds,
        bound: step.bound,
        requests_per_second: r_d,
        usd_per_hour: y as f64 * hd,
        cost_per_million_tokens: hd / 3600.0 * step.step_seconds / b * 1e6,
        balanced_instances: yb,
        utilization: rate / (y as f64 * r_d),
        fits: fits_at(
            &ds,
            &dsh,
            ds.chips as f64,
            b,
            kv_bytes_per_sequence(&ds, ctx),
        ),
        scenario: ds,
    };
    Ok(Disaggregated {
        kv_bytes_per_request: bytes,
        link_bandwidth,
        link_latency_seconds: d.link_latency_seconds,
        transfer_seconds: transfer,
        ttft_seconds: pre.seconds + transfer,
        tpot_seconds: step.step_seconds,
        arrival_rate: rate,
        capacity_requests_per_second: capacity,
        binding,
        cost_per_million_output_tokens: pair_cost(x, y, capacity),
        balanced_cost_per_million_output_tokens: pair_cost(xb, yb, rate),
        prefill: prefill_pool,
        decode: decode_pool,
    })
}

/// The disaggregated setup of `s` when it is switched on (`None` when off).
pub fn disaggregated(s: &Scenario) -> Result<Option<Disaggregated>, ScenarioError> {
    if !s.disaggregation.enabled {
        return Ok(None);
    }
    s.validate()?;
    pools(s).map(Some)
}

/// The "why" of a disaggregated setup: (metric key, title, lines), each number with its
/// formula; empty when off.
pub fn explain(s: &Scenario) -> Vec<(&'static str, &'static str, Vec<String>)> {
    use crate::format as f;
    let Ok(Some(d)) = disaggregated(s) else {
        return Vec::new();
    };
    let (p, q) = (&d.prefill, &d.decode);
    let chip = |x: &PoolResult| {
        format!(
            "{} × {} ({})",
            x.scenario.chips,
            x.scenario.hardware.name,
            x.scenario.parallelism.name()
        )
    };
    vec![
        (
            "pd.ttft_seconds",
            "Disaggregated: time to first token",
            vec![
                format!(
                    "= prefill on {} {} + KV transfer {} = {}",
                    chip(p),
                    f::seconds(p.seconds),
                    f::seconds(d.transfer_seconds),
                    f::seconds(d.ttft_seconds)
                ),
                format!(
                    "KV transfer = latency {} + {} (the cache of {} prompt tokens at {} per token{}) ÷ {} = {}",
                    f::seconds(d.link_latency_seconds),
                    f::bytes(d.kv_bytes_per_request),
                    f::integer(s.workload.input_tokens as f64),
                    f::bytes(kv_bytes_per_token(s)),
                    transfer_note(s),
                    format!("{}/s", f::bytes(d.link_bandwidth)),
                    f::seconds(d.transfer_seconds)
                ),
            ],
        ),
        (
            "pd.ratio",
            "Disaggregated: pools sized to each other (xPyD)",
            vec![
                format!(
                    "prefill engine: 1 ÷ {} = {} requests/s ({}-bound); decode engine: batch {} ÷ ({} tokens × step {}) = {} requests/s ({}-bound)",
                    f::seconds(p.seconds),
                    f::sig(p.requests_per_second, 3),
                    p.bound.name(),
                    f::integer(s.workload.batch_size as f64),
                    f::integer((s.workload.output_tokens as f64 - 1.0).max(0.0)),
                    f::seconds(q.seconds),
                    f::sig(q.requests_per_second, 3),
                    q.bound.name()
                ),
                format!(
                    "at {} requests/s: ⌈rate ÷ each⌉ = {} (configured {}, which serves {} requests/s: the {} pool runs out first)",
                    f::sig(d.arrival_rate, 3),
                    d.ratio(),
                    d.configured(),
                    f::sig(d.capacity_requests_per_second, 3),
                    d.binding.name()
                ),
            ],
        ),
        (
            "pd.cost_per_million_output_tokens",
            "Disaggregated: cost per token",
            vec![
                format!(
                    "prefill pool {} per 1M input tokens, decode pool {} per 1M output tokens, each at full rate",
                    f::usd(p.cost_per_million_tokens),
                    f::usd(q.cost_per_million_tokens)
                ),
                format!(
                    "pair as configured ({}): ({} + {} per hour) ÷ {} requests/s × {} tokens = {} per 1M output tokens; balanced {} at the arrival rate: {}",
                    d.configured(),
                    f::usd(p.usd_per_hour),
                    f::usd(q.usd_per_hour),
                    f::sig(d.capacity_requests_per_second, 3),
                    f::integer(s.workload.output_tokens as f64),
                    f::usd(d.cost_per_million_output_tokens),
                    d.ratio(),
                    f::usd(d.balanced_cost_per_million_output_tokens)
                ),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evaluate;
    use crate::scenario::Parallelism;

    fn on() -> Scenario {
        let mut s = Scenario::default();
        s.disaggregation.enabled = true;
        s
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    #[test]
    fn the_transfer_ships_what_the_cache_holds_windows_and_state() {
        // Sliding-window layers ship their window only: gpt-oss (window 128 on half its
        // layers) at a 4,096-token prompt sends less than 4,096 tokens on every layer.
        let mut s = on();
        s.model = crate::catalogue::presets::model_preset("gpt-oss-120b")
            .unwrap()
            .spec
            .clone();
        s.workload.input_tokens = 4096;
        let d = disaggregated(&s).unwrap().unwrap();
        let per_layer = super::super::kv_bytes_per_layer_token(&s);
        let (w, l) = (s.model.sliding_window_layers as f64, s.model.layers as f64);
        let expected = per_layer * ((l - w) * 4096.0 + w * 128.0);
        assert!(rel(d.kv_bytes_per_request, expected) < 1e-12);
        assert!(d.kv_bytes_per_request < 4096.0 * kv_bytes_per_token(&s));
        // At a prompt inside the window, every layer ships the whole prompt.
        s.workload.input_tokens = 100;
        let d = disaggregated(&s).unwrap().unwrap();
        assert!(rel(d.kv_bytes_per_request, 100.0 * kv_bytes_per_token(&s)) < 1e-12);
        // The why line names the bytes.
        s.workload.input_tokens = 4096;
        let lines = explain(&s);
        assert!(
            lines.iter().any(|(_, _, l)| l
                .iter()
                .any(|x| x.contains("sliding-window layers holding their last 128 tokens"))),
            "{lines:?}"
        );
    }

    #[test]
    fn off_is_nothing_and_changes_nothing() {
        let s = Scenario::default();
        assert_eq!(disaggregated(&s), Ok(None));
        assert!(explain(&s).is_empty());
        let mut t = on();
        t.disaggregation.decode.instances = 4;
        assert_eq!(
            evaluate(&s),
            evaluate(&t),
            "the co-located numbers do not move"
        );
    }

    #[test]
    fn pools_of_the_setup_itself_are_the_calculators_numbers() {
        let s = on();
        let e = evaluate(&s).unwrap();
        let d = disaggregated(&s).unwrap().unwrap();
        assert_eq!(d.prefill.seconds, e.prefill.seconds);
        assert_eq!(d.tpot_seconds, e.decode.step_seconds);
        assert_eq!(
            d.decode.cost_per_million_tokens,
            e.cost.per_million_output_tokens
        );
        // An instant link adds nothing to the first token.
        let mut fast = s.clone();
        fast.disaggregation.link_bandwidth = Some(1e15);
        fast.disaggregation.link_latency_seconds = 0.0;
        let f = disaggregated(&fast).unwrap().unwrap();
        assert!(rel(f.ttft_seconds, e.prefill.seconds) < 1e-5);
    }

    #[test]
    fn the_transfer_is_the_prompts_kv_over_the_link() {
        let mut s = on();
        s.disaggregation.link_bandwidth = Some(10e9);
        s.disaggregation.link_latency_seconds = 1e-3;
        let d = disaggregated(&s).unwrap().unwrap();
        let kv = kv_bytes_per_token(&s);
        assert_eq!(d.kv_bytes_per_request, 1024.0 * kv);
        assert!(rel(d.transfer_seconds, 1e-3 + 1024.0 * kv / 10e9) < 1e-12);
        assert_eq!(d.ttft_seconds, d.prefill.seconds + d.transfer_seconds);
        // Twice the prompt: twice the bytes, the latency once.
        s.workload.input_tokens = 2048;
        let d2 = disaggregated(&s).unwrap().unwrap();
        assert!(
            rel(
                d2.transfer_seconds - 1e-3,
                2.0 * (d.transfer_seconds - 1e-3)
            ) < 1e-12
        );
        // Default link: 8 chips × 50 GB/s.
        let d3 = disaggregated(&on()).unwrap().unwrap();
        assert_eq!(d3.link_bandwidth, 8.0 * 50e9);
    }

    #[test]
    fn balanced_ratio_at_its_limits() {
        let s = on();
        let d = disaggregated(&s).unwrap().unwrap();
        // Default rate: what one decode engine sustains, so y = 1.
        assert_eq!(d.decode.balanced_instances, 1);
        assert!(rel(d.arrival_rate, d.decode.requests_per_second) < 1e-12);
        let x = (d.arrival_rate / d.prefill.requests_per_second).ceil() as u32;
        assert_eq!(d.prefill.balanced_instances, x.max(1));
        // Exactly one prefill engine's rate needs one; a little more needs two.
        let mut t = s.clone();
        t.disaggregation.arrival_rate = Some(d.prefill.requests_per_second);
        let e = disaggregated(&t).unwrap().unwrap();
        assert_eq!(e.prefill.balanced_instances, 1);
        t.disaggregation.arrival_rate = Some(d.prefill.requests_per_second * 1.001);
        assert_eq!(
            disaggregated(&t)
                .unwrap()
                .unwrap()
                .prefill
                .balanced_instances,
            2
        );
        // One output token: nothing to decode, the decode pool is never the limit.
        let mut one = s.clone();
        one.workload.output_tokens = 1;
        let o = disaggregated(&one).unwrap().unwrap();
        assert!(o.decode.requests_per_second.is_infinite());
        assert_eq!(o.decode.balanced_instances, 1);
        assert_eq!(o.binding, Phase::Prefill);
    }

    #[test]
    fn pair_cost_pays_for_both_pools() {
        let mut s = on();
        s.disaggregation.prefill.hardware = Some("h200-sxm".into());
        s.disaggregation.prefill.chips = Some(4);
        s.disaggregation.decode.instances = 2;
        let d = disaggregated(&s).unwrap().unwrap();
        assert!(d.prefill.scenario.hardware.name.starts_with("H200"));
        assert_eq!(d.prefill.scenario.chips, 4);
        let usd_per_s = (d.prefill.usd_per_hour + d.decode.usd_per_hour) / 3600.0;
        let tokens_per_s = d.capacity_requests_per_second * 1024.0;
        assert!(
            rel(
                d.cost_per_million_output_tokens,
                usd_per_s / tokens_per_s * 1e6
            ) < 1e-12
        );
        assert_eq!(d.decode.usd_per_hour, 2.0 * 8.0 * 2.95);
        assert_eq!(d.configured(), "1P2D");
        assert!(d.ratio().ends_with('D'));
    }

    #[test]
    fn a_bad_pool_is_named() {
        let mut s = on();
        s.disaggregation.decode.hardware = Some("h900".into());
        let e = s.validate().unwrap_err();
        assert_eq!(e.field, "disaggregation.decode.hardware");
        let mut t = on();
        t.disaggregation.prefill.parallelism = Some(Parallelism::Expert);
        assert_eq!(
            t.validate().unwrap_err().field,
            "disaggregation.prefill.parallelism"
        );
        let mut u = on();
        u.disaggregation.link_latency_seconds = -1.0;
        assert_eq!(
            u.validate().unwrap_err().field,
            "disaggregation.link_latency_seconds"
        );
    }
}
