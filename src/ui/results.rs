//! The results card: headline numbers with their `data-metric`/`data-value` hooks.

use super::AppState;
use crate::format;
use crate::model::Evaluation;
use leptos::prelude::*;

/// One result row: a label, the human-readable value, and the raw SI number for tests.
#[component]
fn Metric(
    /// The key from SCENARIO.md, e.g. `decode.step_seconds`.
    key: &'static str,
    /// The visible label.
    label: &'static str,
    /// The raw value (SI) from the evaluation.
    raw: Signal<String>,
    /// The value shown to people.
    shown: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="metric" data-metric=key data-value=move || raw.get()>
            <dt>{label}</dt>
            <dd>{move || shown.get()}</dd>
        </div>
    }
}

/// The headline results, kept at the last valid scenario and marked stale while a field is
/// invalid.
#[component]
pub fn ResultsCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let last_good = Memo::new(move |prev: Option<&Option<Evaluation>>| {
        match state.results.get() {
            Ok(e) => Some(e),
            Err(_) => prev.cloned().flatten(),
        }
    });
    let stale = move || !state.field_errors.with(|m| m.is_empty()) || state.results.with(|r| r.is_err());
    let metric = |key: &'static str, label: &'static str, raw: fn(&Evaluation) -> String, shown: fn(&Evaluation) -> String| {
        let raw = Signal::derive(move || last_good.with(|e| e.as_ref().map(raw).unwrap_or_default()));
        let shown = Signal::derive(move || last_good.with(|e| e.as_ref().map(shown).unwrap_or_else(|| "—".into())));
        view! { <Metric key label raw shown /> }
    };
    view! {
        <div class="card results" class:stale=stale aria-live="polite">
            <h2>"Results"</h2>
            <p class="stale-note" hidden=move || !stale()>
                {move || {
                    let errs = state.field_errors.with(|m| m.values().cloned().collect::<Vec<_>>());
                    let engine = state.results.with(|r| r.as_ref().err().map(|e| e.to_string()));
                    let mut parts = errs;
                    parts.extend(engine);
                    format!("Showing the last valid results. Fix: {}", parts.join("; "))
                }}
            </p>
            <dl class="metrics">
                {metric("decode.step_seconds", "Decode step", |e| e.decode.step_seconds.to_string(), |e| format::seconds(e.decode.step_seconds))}
                {metric("decode.bound", "Bound", |e| e.decode.bound.name().to_string(), |e| format!("{}-bound", e.decode.bound.name()))}
                {metric("decode.tokens_per_second", "Throughput", |e| e.decode.tokens_per_second.to_string(), |e| format::tokens_per_second(e.decode.tokens_per_second))}
                {metric("decode.tokens_per_second_per_user", "Per user", |e| e.decode.tokens_per_second_per_user.to_string(), |e| format::tokens_per_second(e.decode.tokens_per_second_per_user))}
                {metric("cost.per_million_output_tokens", "Cost per 1M output tokens", |e| e.cost.per_million_output_tokens.to_string(), |e| format::usd(e.cost.per_million_output_tokens))}
                {metric("cost.per_million_input_tokens", "Cost per 1M input tokens", |e| e.cost.per_million_input_tokens.to_string(), |e| format::usd(e.cost.per_million_input_tokens))}
                {metric("prefill.seconds", "Time to first token", |e| e.prefill.seconds.to_string(), |e| format::seconds(e.prefill.seconds))}
                {metric("capacity.max_batch_size", "Max batch at this context", |e| e.capacity.max_batch_size.to_string(), |e| format::integer(e.capacity.max_batch_size as f64))}
            </dl>
        </div>
    }
}
