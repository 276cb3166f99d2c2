//! The results card (every number with its `data-metric`/`data-value` hooks), the memory
//! verdict, and the "why" panel.

use super::AppState;
use crate::explain::{claims, explain};
use crate::format as f;
use crate::model::Evaluation;
use crate::scenario::ScenarioError;
use leptos::prelude::*;

/// One shown result: its key, label, raw SI value and human text.
struct MetricDef {
    key: &'static str,
    label: &'static str,
    raw: fn(&Evaluation) -> String,
    shown: fn(&Evaluation) -> String,
    /// Show the pure roofline bound's value beside it.
    with_bound: bool,
}

fn opt_raw(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_else(|| "null".into())
}

const METRICS: &[MetricDef] = &[
    MetricDef {
        key: "decode.step_seconds",
        label: "Decode step",
        raw: |e| e.decode.step_seconds.to_string(),
        shown: |e| f::seconds(e.decode.step_seconds),
        with_bound: true,
    },
    MetricDef {
        key: "decode.bound",
        label: "Bound",
        raw: |e| e.decode.bound.name().into(),
        shown: |e| format!("{}-bound", e.decode.bound.name()),
        with_bound: false,
    },
    MetricDef {
        key: "decode.tokens_per_second_per_user",
        label: "Speed per user",
        raw: |e| e.decode.tokens_per_second_per_user.to_string(),
        shown: |e| f::tokens_per_second(e.decode.tokens_per_second_per_user),
        with_bound: true,
    },
    MetricDef {
        key: "decode.tokens_per_second",
        label: "Throughput (system)",
        raw: |e| e.decode.tokens_per_second.to_string(),
        shown: |e| f::tokens_per_second(e.decode.tokens_per_second),
        with_bound: true,
    },
    MetricDef {
        key: "prefill.seconds",
        label: "Time to first token",
        raw: |e| e.prefill.seconds.to_string(),
        shown: |e| f::seconds(e.prefill.seconds),
        with_bound: true,
    },
    MetricDef {
        key: "cost.per_million_output_tokens",
        label: "Cost per 1M output tokens",
        raw: |e| e.cost.per_million_output_tokens.to_string(),
        shown: |e| f::usd(e.cost.per_million_output_tokens),
        with_bound: true,
    },
    MetricDef {
        key: "cost.per_million_input_tokens",
        label: "Cost per 1M input tokens",
        raw: |e| e.cost.per_million_input_tokens.to_string(),
        shown: |e| f::usd(e.cost.per_million_input_tokens),
        with_bound: true,
    },
    MetricDef {
        key: "capacity.max_batch_size",
        label: "Max batch at this context",
        raw: |e| e.capacity.max_batch_size.to_string(),
        shown: |e| f::integer(e.capacity.max_batch_size as f64),
        with_bound: false,
    },
    MetricDef {
        key: "critical_batch.rule_of_thumb",
        label: "Ideal batch (rule of thumb)",
        raw: |e| e.critical_batch.rule_of_thumb.to_string(),
        shown: |e| f::integer(e.critical_batch.rule_of_thumb),
        with_bound: false,
    },
    MetricDef {
        key: "critical_batch.exact",
        label: "Ideal batch (exact)",
        raw: |e| opt_raw(e.critical_batch.exact.map(|b| b as f64)),
        shown: |e| {
            e.critical_batch
                .exact
                .map(|b| f::integer(b as f64))
                .unwrap_or_else(|| "none: memory-bound at every batch".into())
        },
        with_bound: false,
    },
    MetricDef {
        key: "kv_crossover_context",
        label: "KV reads overtake weights at",
        raw: |e| opt_raw(e.kv_crossover_context),
        shown: |e| {
            e.kv_crossover_context
                .map(|c| format!("{} tokens", f::integer(c)))
                .unwrap_or_else(|| "never".into())
        },
        with_bound: false,
    },
    MetricDef {
        key: "energy.joules_per_output_token",
        label: "Energy per output token",
        raw: |e| e.energy.joules_per_output_token.to_string(),
        shown: |e| f::joules(e.energy.joules_per_output_token),
        with_bound: false,
    },
    MetricDef {
        key: "params.sparsity",
        label: "Sparsity (total ÷ active)",
        raw: |e| e.params.sparsity.to_string(),
        shown: |e| {
            format!(
                "{}× ({} of {})",
                f::sig(e.params.sparsity, 3),
                f::count(e.params.active),
                f::count(e.params.total)
            )
        },
        with_bound: false,
    },
    MetricDef {
        key: "kv_bytes_per_token",
        label: "KV cache per token",
        raw: |e| e.kv_bytes_per_token.to_string(),
        shown: |e| f::bytes(e.kv_bytes_per_token),
        with_bound: false,
    },
    MetricDef {
        key: "hbm_drain_seconds",
        label: "HBM drain time (capacity ÷ bandwidth)",
        raw: |e| e.hbm_drain_seconds.to_string(),
        shown: |e| f::seconds(e.hbm_drain_seconds),
        with_bound: false,
    },
];

/// The last valid evaluation of `results`: kept while the current input is invalid.
pub fn last_good(results: Memo<Result<Evaluation, ScenarioError>>) -> Memo<Option<Evaluation>> {
    Memo::new(
        move |prev: Option<&Option<Evaluation>>| match results.get() {
            Ok(e) => Some(e),
            Err(_) => prev.cloned().flatten(),
        },
    )
}

/// The headline results, kept at the last valid scenario and marked stale while a field is
/// invalid.
#[component]
pub fn ResultsCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let good = state.last_good;
    let stale =
        move || !state.field_errors.with(|m| m.is_empty()) || state.results.with(|r| r.is_err());
    let rows = METRICS
        .iter()
        .map(|m| {
            let raw = move || good.with(|e| e.as_ref().map(m.raw).unwrap_or_default());
            let shown =
                move || good.with(|e| e.as_ref().map(m.shown).unwrap_or_else(|| "—".into()));
            let bound = move || {
                if !m.with_bound {
                    return None;
                }
                state
                    .pure_results
                    .with(|p| p.as_ref().map(|p| format!("bound: {}", (m.shown)(p))))
            };
            view! {
                <div class="metric" data-metric=m.key data-value=raw>
                    <dt>{m.label}</dt>
                    <dd>{shown}</dd>
                    <dd class="bound" data-bound-for=m.key>{bound}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="card results" class:stale=stale aria-live="polite">
            <h2>"Results"</h2>
            <p class="stale-note" hidden=move || !stale()>
                {move || {
                    let mut parts = state.field_errors.with(|m| m.values().cloned().collect::<Vec<_>>());
                    parts.extend(state.results.with(|r| r.as_ref().err().map(|e| e.to_string())));
                    format!("Showing the last valid results. Fix: {}", parts.join("; "))
                }}
            </p>
            <MemoryBar good />
            <dl class="metrics">{rows}</dl>
            <p class="estimate-note">
                {move || state.scenario.with(|s| if s.efficiency.is_pure() {
                    "Pure roofline bound: 100% of peak FLOP/s and bandwidth, no overheads.".to_string()
                } else {
                    format!(
                        "Realistic estimate: {}% of peak FLOP/s, {}% of bandwidth, {} per step, {} per collective (calibrated against published throughput; see docs/calibration.md). \"bound\" is the pure roofline.",
                        f::sig(s.efficiency.compute * 100.0, 3),
                        f::sig(s.efficiency.bandwidth * 100.0, 3),
                        f::seconds(s.efficiency.step_overhead_seconds),
                        f::seconds(s.efficiency.collective_latency_seconds)
                    )
                })}
            </p>
        </div>
    }
}

/// Memory used against capacity (weights, KV, free) with a fits / does-not-fit verdict.
#[component]
fn MemoryBar(
    /// The last valid evaluation.
    good: Memo<Option<Evaluation>>,
) -> impl IntoView {
    let part = move |which: u8| {
        good.with(|e| {
            let Some(e) = e else { return 0.0 };
            let c = &e.capacity;
            let total = c.usable_bytes.max(c.used_bytes).max(1.0);
            let kv = c.used_bytes - c.weight_bytes;
            match which {
                0 => c.weight_bytes / total * 100.0,
                1 => kv / total * 100.0,
                _ => ((c.usable_bytes - c.used_bytes).max(0.0)) / total * 100.0,
            }
        })
    };
    let verdict = move || {
        good.with(|e| {
            let Some(e) = e else { return String::new() };
            let c = &e.capacity;
            if c.fits {
                format!(
                    "Fits: {} weights + {} KV of {} usable; {} free",
                    f::bytes(c.weight_bytes),
                    f::bytes(c.used_bytes - c.weight_bytes),
                    f::bytes(c.usable_bytes),
                    f::bytes(c.usable_bytes - c.used_bytes)
                )
            } else {
                match c.min_chips {
                    Some(n) => format!(
                        "Does not fit — needs at least {n} chips ({} needed, {} usable)",
                        f::bytes(c.used_bytes),
                        f::bytes(c.usable_bytes)
                    ),
                    None => format!(
                        "Does not fit on any number of these chips ({} needed)",
                        f::bytes(c.used_bytes)
                    ),
                }
            }
        })
    };
    let fits = move || good.with(|e| e.as_ref().map(|e| e.capacity.fits).unwrap_or(true));
    view! {
        <div class="memory" data-metric="capacity.fits" data-value=move || fits().to_string()>
            <div class="bar" role="img" aria-label=verdict>
                <span class="seg weights" style:width=move || format!("{:.2}%", part(0))></span>
                <span class="seg kv" style:width=move || format!("{:.2}%", part(1))></span>
                <span class="seg free" style:width=move || format!("{:.2}%", part(2))></span>
            </div>
            <p class="verdict" class:bad=move || !fits()>{verdict}</p>
            <p class="legend"><span class="key weights"></span>" weights "<span class="key kv"></span>" KV cache "<span class="key free"></span>" free"</p>
        </div>
    }
}

/// The formulas behind the results with this scenario's numbers, and MODEL.md's claims.
#[component]
pub fn WhyPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let good = state.last_good;
    let section = NodeRef::<leptos::html::Section>::new();
    let visible = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(el) = section.get() {
            if !super::chart_view::observe_visibility(&el, visible) {
                visible.set(true);
            }
        }
    });
    // Recomputed only while on screen; off screen it keeps its last text (no DOM work).
    let content = Memo::new(
        move |prev: Option<&Option<(Vec<crate::explain::Why>, Vec<crate::explain::Claim>)>>| {
            if !visible.get() {
                if let Some(p) = prev {
                    return p.clone();
                }
            }
            let s = state.scenario.get();
            good.with(|e| e.as_ref().map(|e| (explain(&s, e), claims(&s, e))))
        },
    );
    let body = move || {
        content.with(|c| {
            let Some((whys, claims)) = c.clone() else { return ().into_any() };
            let whys = whys
                .into_iter()
                .map(|w| {
                    view! {
                        <div class="why" data-why=w.metric>
                            <h3>{w.title}</h3>
                            {w.lines.into_iter().map(|l| view! { <p class="formula">{l}</p> }).collect_view()}
                        </div>
                    }
                })
                .collect_view();
            let claims = claims
                .into_iter()
                .map(|c| view! { <li data-claim=c.number><strong>{c.title}". "</strong>{c.sentence}</li> })
                .collect_view();
            view! {
                <div class="whys">{whys}</div>
                <h3>"What this setup shows"</h3>
                <ul class="claims">{claims}</ul>
            }
            .into_any()
        })
    };
    view! {
        <section class="card why-panel" aria-label="Why these numbers" node_ref=section>
            <h2>"Why"</h2>
            {body}
        </section>
    }
}
