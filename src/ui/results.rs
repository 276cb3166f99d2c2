//! The results card (every number with its `data-metric`/`data-value` hooks), the memory
//! verdict, and the "why" panel.

use super::AppState;
use crate::explain::{claims, explain};
use crate::format as f;
use crate::metrics::{data_value, Metric, RESULTS_CARD};
use crate::model::Evaluation;
use crate::panels::results::{bound_text, memory_parts, memory_verdict, shown, stale_note};
use crate::scenario::ScenarioError;
use leptos::prelude::*;

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
    let rows = RESULTS_CARD
        .iter()
        .map(|row| {
            let m: &'static Metric = row.metric;
            let raw =
                move || good.with(|e| e.as_ref().map(|e| data_value(&m.of(e))).unwrap_or_default());
            let shown = move || {
                good.with(|e| {
                    e.as_ref()
                        .map(|e| shown(m, e))
                        .unwrap_or_else(|| f::MISSING.into())
                })
            };
            let bound = move || {
                if !row.with_bound {
                    return None;
                }
                state
                    .pure_results
                    .with(|p| p.as_ref().map(|p| bound_text(m, p)))
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
                    stale_note(&parts)
                }}
            </p>
            <MemoryBar good />
            <dl class="metrics">{rows}</dl>
            <p class="estimate-note">
                {move || state.scenario.with(|s| crate::explain::estimate_note(&s.efficiency))}
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
    let part = move |which: usize| {
        good.with(|e| {
            e.as_ref()
                .map(|e| memory_parts(&e.capacity)[which])
                .unwrap_or(0.0)
        })
    };
    let verdict = move || {
        good.with(|e| {
            e.as_ref()
                .map(|e| memory_verdict(&e.capacity))
                .unwrap_or_default()
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
