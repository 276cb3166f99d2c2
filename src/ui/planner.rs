//! The planner panel: the cheapest setup that serves the page's model at the speed asked
//! for, why each wins or loses, one click to load it into the calculator, and its vLLM and
//! SGLang launch commands.
//!
//! The search runs after the inputs settle (400 ms after the last keystroke) or at once on
//! the button, never on each keystroke, and says how long it took.

use super::AppState;
use crate::format as f;
use crate::format::parse_number;
use crate::model::presets::hardware_presets;
use crate::planner::launch::{commands, hf_repo};
use crate::planner::{plan_presets, preset_chips, Budget, Candidate, Plan, Setup, Targets};
use crate::scenario::{Efficiency, ModelSpec, PrecisionSpec};
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Milliseconds from `performance.now()` (sub-millisecond), else `Date.now()`.
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|perf| {
            let now = js_sys::Reflect::get(&perf, &"now".into()).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&perf).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// One target input: key, label, unit, whole number or not, smallest allowed (exclusive).
struct TargetField {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    integer: bool,
    max: f64,
}

const MIN_TPS: TargetField = TargetField {
    key: "plan.min_user_tps",
    label: "Tokens per second per user, at least",
    unit: "tok/s",
    integer: false,
    max: 1e6,
};
const MAX_TTFT: TargetField = TargetField {
    key: "plan.max_ttft",
    label: "Time to first token, at most",
    unit: "s",
    integer: false,
    max: 3600.0,
};
const INPUT: TargetField = TargetField {
    key: "plan.input_tokens",
    label: "Input tokens per request",
    unit: "tokens",
    integer: true,
    max: 1e8,
};
const OUTPUT: TargetField = TargetField {
    key: "plan.output_tokens",
    label: "Output tokens per request",
    unit: "tokens",
    integer: true,
    max: 1e8,
};
const BUDGET: TargetField = TargetField {
    key: "plan.budget",
    label: "Budget (optional)",
    unit: "USD",
    integer: false,
    max: 1e9,
};

/// Validates typed text: a number above 0 (whole where asked), at most `max`.
fn check(def: &TargetField, raw: &str) -> Result<f64, String> {
    let v = parse_number(raw).map_err(|e| format!("{} {e}", def.label))?;
    if v <= 0.0 {
        return Err(format!("{} must be above 0, got {v}", def.label));
    }
    if def.integer && v.fract() != 0.0 {
        return Err(format!("{} must be a whole number, got {v}", def.label));
    }
    if v > def.max {
        return Err(format!(
            "{} is too large ({v}); at most {}",
            def.label,
            f::sig(def.max, 3)
        ));
    }
    Ok(v)
}

/// A labelled text input with its validation message.
#[component]
fn TargetInput(def: &'static TargetField, text: RwSignal<String>) -> impl IntoView {
    let id = format!("f-{}", def.key.replace('.', "-"));
    let err_id = format!("{id}-err");
    let optional = def.key == BUDGET.key;
    let error = move || {
        let t = text.get();
        if optional && t.trim().is_empty() {
            return None;
        }
        check(def, &t).err()
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id.clone()>{def.label}</label>
            <div class="field-row">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    data-field=def.key
                    placeholder=if optional { "none" } else { "" }
                    aria-invalid=move || if error().is_some() { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <span class="unit">{def.unit}</span>
            </div>
            <p class="error" id=err_id role="alert" data-error-for=def.key>{error}</p>
        </div>
    }
}

/// One launch command in a <pre> that wraps on screen but copies as one line, with a copy
/// button.
#[component]
fn CommandBlock(
    name: &'static str,
    key: &'static str,
    command: String,
    copied: RwSignal<String>,
) -> impl IntoView {
    let text = command.clone();
    let copy = move |_| {
        let Some(w) = web_sys::window() else { return };
        let promise = w.navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(if ok {
                format!("{name} command copied.")
            } else {
                "The browser refused the clipboard: select the command and copy it.".into()
            });
        });
    };
    view! {
        <div class="buttons">
            <strong>{name}</strong>
            <button type="button" data-copy-launch=key aria-label=format!("Copy the {name} command") on:click=copy>
                "Copy"
            </button>
        </div>
        <pre class="json" data-launch=key style="white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--border)">{command}</pre>
    }
}

/// What the last search returned.
#[derive(Clone, PartialEq)]
struct Searched {
    plan: Plan,
    ms: f64,
    repo: String,
    /// The model and efficiency searched for (the plan holds the targets).
    model: ModelSpec,
    efficiency: Efficiency,
}

/// Loads a planned setup into the calculator: the model stays; hardware, chips, precision,
/// parallelism, batch and lengths come from the setup.
fn load(state: AppState, c: &Candidate, targets: &Targets) {
    let Some(preset) = hardware_presets().iter().find(|p| p.id == c.setup.chip_id) else {
        return;
    };
    let s = c.setup.clone();
    state.scenario.update(|sc| {
        sc.hardware = preset.spec.clone();
        sc.chips = s.chips;
        sc.parallelism = s.parallelism;
        sc.precision = PrecisionSpec {
            weights: s.weights,
            kv_cache: s.kv_cache,
            compute: s.compute,
        };
        sc.workload.batch_size = s.batch;
        sc.workload.input_tokens = targets.input_tokens;
        sc.workload.output_tokens = targets.output_tokens;
        sc.workload.context_length = None;
    });
    state.hardware_preset.set(Some(preset.id.clone()));
    state.reset.update(|g| *g += 1);
}

/// The planner panel.
#[component]
pub fn Planner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (n_in, n_out) = state
        .scenario
        .with_untracked(|s| (s.workload.input_tokens, s.workload.output_tokens));
    let tps = RwSignal::new("20".to_string());
    let ttft = RwSignal::new("1".to_string());
    let input = RwSignal::new(n_in.to_string());
    let output = RwSignal::new(n_out.to_string());
    let budget = RwSignal::new(String::new());
    let budget_per_hour = RwSignal::new(false);
    let chips = preset_chips();
    let all_ids: BTreeSet<String> = chips.iter().map(|c| c.id.clone()).collect();
    let allowed = RwSignal::new(all_ids.clone());
    let searched = RwSignal::new(None::<Searched>);
    let selected = RwSignal::new(0usize);
    let loaded = RwSignal::new(None::<Setup>);
    let copied = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    // Only the model and the efficiency settings matter to the search.
    let model = Memo::new(move |_| state.scenario.with(|s| s.model.clone()));
    let efficiency = Memo::new(move |_| state.scenario.with(|s| s.efficiency.clone()));

    let targets = Memo::new(move |_| -> Result<Targets, String> {
        let min = check(&MIN_TPS, &tps.get())?;
        let max = check(&MAX_TTFT, &ttft.get())?;
        let n_in = check(&INPUT, &input.get())? as u64;
        let n_out = check(&OUTPUT, &output.get())? as u64;
        let b = budget.get();
        let budget = if b.trim().is_empty() {
            None
        } else {
            let v = check(&BUDGET, &b)?;
            Some(if budget_per_hour.get() {
                Budget::PerHour(v)
            } else {
                Budget::PerMillionOutputTokens(v)
            })
        };
        let ids = allowed.get();
        if ids.is_empty() {
            return Err("Allow at least one chip".into());
        }
        Ok(Targets {
            min_user_tokens_per_second: min,
            max_ttft_seconds: max,
            input_tokens: n_in,
            output_tokens: n_out,
            chips: if ids.len() == all_ids.len() {
                None
            } else {
                Some(ids.into_iter().collect())
            },
            budget,
        })
    });

    let run = move |m: ModelSpec, e: Efficiency, t: Targets| {
        let mut base = state.scenario.get_untracked();
        base.model = m.clone();
        base.efficiency = e.clone();
        let t0 = now_ms();
        let result = plan_presets(&base, &t);
        let ms = now_ms() - t0;
        running.set(false);
        match result {
            Ok(plan) => {
                let repo = hf_repo(&base.model);
                selected.set(0);
                searched.set(Some(Searched {
                    plan,
                    ms,
                    repo,
                    model: m,
                    efficiency: e,
                }));
            }
            Err(e) => {
                searched.set(None);
                leptos::logging::warn!("planner: {e}");
            }
        }
    };
    // Debounced: a search 400 ms after the last change, if nothing changed since. Nothing
    // runs at page load: the first search is the user's (the button or an edited target).
    let generation = StoredValue::new(0u64);
    let schedule = move || {
        let g = generation.get_value() + 1;
        generation.set_value(g);
        running.set(true);
        set_timeout(
            move || {
                if generation.get_value() != g {
                    return;
                }
                let (m, e) = (model.get_untracked(), efficiency.get_untracked());
                match targets.get_untracked() {
                    // Already searched (the button ran it meanwhile): nothing to do.
                    Ok(t)
                        if searched.with_untracked(|s| {
                            s.as_ref().is_some_and(|s| {
                                s.plan.targets == t && s.model == m && s.efficiency == e
                            })
                        }) =>
                    {
                        running.set(false)
                    }
                    Ok(t) => run(m, e, t),
                    Err(_) => running.set(false),
                }
            },
            Duration::from_millis(400),
        );
    };
    Effect::new(move |prev: Option<()>| {
        let ok = targets.with(|t| t.is_ok());
        if prev.is_some() && ok {
            schedule();
        }
    });
    // A new model or new efficiency settings: search again once the planner is in use.
    Effect::new(move |prev: Option<()>| {
        model.track();
        efficiency.track();
        if prev.is_some() && searched.with_untracked(Option::is_some) {
            schedule();
        }
    });
    let search_now = move |_| {
        if let Ok(t) = targets.get_untracked() {
            generation.update_value(|g| *g += 1);
            run(model.get_untracked(), efficiency.get_untracked(), t);
        }
    };

    let chip_boxes = chips
        .iter()
        .map(|c| {
            let id = c.id.clone();
            let id2 = c.id.clone();
            let preset = hardware_presets().iter().find(|p| p.id == c.id);
            let name = preset
                .map(|p| format!("{} {}", p.vendor, p.name))
                .unwrap_or_else(|| c.spec.name.clone());
            view! {
                <label class="plan-chip">
                    <input
                        type="checkbox"
                        data-plan-chip=c.id.clone()
                        prop:checked=move || allowed.with(|a| a.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            allowed.update(|a| {
                                if on {
                                    a.insert(id2.clone());
                                } else {
                                    a.remove(&id2);
                                }
                            });
                        }
                    />
                    " "
                    {name}
                </label>
            }
        })
        .collect_view();

    let status = move || {
        if let Err(e) = targets.get() {
            return format!("Fix the targets: {e}");
        }
        searched.with(|s| match s {
            Some(s) => format!(
                "Searched {} setups ({} evaluations) in {} ms{}",
                f::integer(s.plan.setups as f64),
                f::integer(s.plan.evaluations as f64),
                f::sig(s.ms, 3),
                if running.get() {
                    "; searching again…"
                } else {
                    ""
                }
            ),
            None if running.get() => "Searching…".into(),
            None => "Press Find setups, or edit a target, to search.".into(),
        })
    };

    let row_view = move |rank: String, c: Candidate, index: Option<usize>, t: Targets| {
        let s = c.setup.clone();
        let cell = |key: &'static str, raw: f64, shown: String| {
            view! { <td data-metric=key data-value=raw.to_string()>{shown}</td> }
        };
        let c2 = c.clone();
        let label = s.label();
        let setup = s.clone();
        let is_selected = move || index.is_some_and(|i| selected.get() == i);
        view! {
            <tr
                data-plan-rank=rank.clone()
                aria-selected=move || if is_selected() { "true" } else { "false" }
                style=move || if is_selected() { "box-shadow: inset 4px 0 0 var(--accent)" } else { "" }
            >
                <th scope="row">{rank.clone()}</th>
                <td data-plan-chip-id=s.chip_id.clone() style="text-align: left">{format!("{} × {}", s.chips, s.chip_name)}</td>
                <td data-plan-layout=s.layout()>{s.layout()}</td>
                <td>{format!("{} / {}", s.weights, s.kv_cache)}</td>
                {cell("plan.batch", s.batch as f64, f::integer(s.batch as f64))}
                {cell("plan.user_tokens_per_second", c.user_tokens_per_second, f::tokens_per_second(c.user_tokens_per_second))}
                {cell("plan.ttft_seconds", c.ttft_seconds, f::seconds(c.ttft_seconds))}
                {cell("plan.tokens_per_second", c.tokens_per_second, f::tokens_per_second(c.tokens_per_second))}
                {cell("plan.cost_per_hour", c.cost_per_hour, f::usd(c.cost_per_hour))}
                {cell("plan.cost_per_million_output_tokens", c.cost_per_million_output_tokens, f::usd(c.cost_per_million_output_tokens))}
                <td class="plan-why" data-plan-binding=c.limit.name() style="text-align: left; min-width: 18em">
                    <strong>{c.binding.clone()}</strong>
                    <br />
                    <small>{c.why.clone()}</small>
                </td>
                <td>
                    <div class="buttons">
                        <button
                            type="button"
                            data-plan-load=rank.clone()
                            aria-label=format!("Load into calculator: {label}")
                            on:click=move |_| {
                                load(state, &c2, &t);
                                if let Some(i) = index {
                                    selected.set(i);
                                }
                                loaded.set(Some(setup.clone()));
                            }
                        >
                            "Load into calculator"
                        </button>
                        {index.map(|i| view! {
                            <button type="button" data-plan-select={i + 1} on:click=move |_| selected.set(i)>
                                "Commands"
                            </button>
                        })}
                    </div>
                </td>
            </tr>
        }
    };

    let table = move || {
        searched.with(|s| {
            let Some(s) = s else { return ().into_any() };
            let t = s.plan.targets.clone();
            let header = view! {
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>"Chips"</th>
                        <th>"Layout"</th>
                        <th>"Weights / KV"</th>
                        <th>"Batch"</th>
                        <th>"Per user"</th>
                        <th>"TTFT"</th>
                        <th>"Throughput"</th>
                        <th>"Per hour"</th>
                        <th>"Per 1M out"</th>
                        <th>"Binding constraint and why"</th>
                        <th></th>
                    </tr>
                </thead>
            };
            let (rows, chosen) = match &s.plan.out_of_reach {
                Some(o) => {
                    let rows = o
                        .closest
                        .clone()
                        .map(|c| vec![row_view("closest".into(), c, None, t.clone())])
                        .unwrap_or_default();
                    (rows, o.closest.clone())
                }
                None => {
                    let rows = s
                        .plan
                        .ranked
                        .iter()
                        .take(8)
                        .enumerate()
                        .map(|(i, c)| row_view((i + 1).to_string(), c.clone(), Some(i), t.clone()))
                        .collect::<Vec<_>>();
                    let pick = selected.get().min(s.plan.ranked.len().saturating_sub(1));
                    (rows, s.plan.ranked.get(pick).cloned())
                }
            };
            let message = s.plan.out_of_reach.as_ref().map(|o| {
                let targets = o.targets.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
                view! { <p class="verdict bad" data-plan-out-of-reach=targets role="status">{o.message.clone()}</p> }
            });
            let launch = chosen.map(|c| {
                let l = commands(&c.setup, &s.repo);
                view! {
                    <div class="plan-launch" data-plan-launch-for=c.setup.label()>
                        <h3>{format!("Launch: {}", c.setup.label())}</h3>
                        {l.vllm.map(|v| view! { <CommandBlock name="vLLM" key="vllm" command=v copied /> })}
                        {l.sglang.map(|g| view! { <CommandBlock name="SGLang" key="sglang" command=g copied /> })}
                        <p role="status" data-plan-copied="">{move || copied.get()}</p>
                        <ul class="plan-notes">
                            {l.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    </div>
                }
            });
            view! {
                {message}
                <div style="overflow-x: auto">
                    <table class="compare plan-results" data-plan-results="">
                        {header}
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {launch}
            }
            .into_any()
        })
    };

    let loaded_note = move || {
        loaded.with(|l| {
            l.as_ref().map(|s| {
                let differs = if s.pipeline > 1 {
                    " The calculator has no pipeline stages: it models these chips as one tensor-parallel group, so its numbers differ from the planner's."
                } else if s.servers() > 1 {
                    " It spans several servers: the calculator runs every collective over the scale-up link, where the planner used the slower scale-out link, so the calculator's communication time is lower."
                } else {
                    " The calculator's numbers are the planner's."
                };
                format!("Loaded into the calculator: {}.{differs}", s.label())
            })
        })
    };
    let searched_model = move || {
        searched.with(|s| {
            s.as_ref()
                .map(|s| format!("Model: {} ({})", s.plan.model, s.repo))
                .unwrap_or_default()
        })
    };

    view! {
        <section class="card planner" aria-label="Planner" data-panel="planner">
            <h2>"Planner: the cheapest setup at your speed"</h2>
            <p class="estimate-note">
                "Searches every hardware preset × 1–64 chips × 16-bit/fp8/fp4 weights and KV (where the chip computes them) × tensor, pipeline and (MoE) expert parallelism × batch, for the page's model and efficiency settings, and ranks what fits and meets the targets by cost per 1M output tokens. Pipelines run a synchronous schedule: (M + P − 1) stage times per step, a bubble of (P − 1) ÷ (M + P − 1). Tensor and expert groups larger than a server (8 GPUs; 72 for GB200 NVL72) use a 50 GB/s scale-out link."
            </p>
            <p data-plan-model="">{searched_model}</p>
            <div class="plan-inputs" style="display: flex; flex-wrap: wrap; gap: 0 24px">
                <TargetInput def=&MIN_TPS text=tps />
                <TargetInput def=&MAX_TTFT text=ttft />
                <TargetInput def=&INPUT text=input />
                <TargetInput def=&OUTPUT text=output />
                <TargetInput def=&BUDGET text=budget />
                <div class="field">
                    <label for="f-plan-budget-kind">"Budget per"</label>
                    <select
                        id="f-plan-budget-kind"
                        data-field="plan.budget_kind"
                        on:change=move |ev| budget_per_hour.set(event_target_value(&ev) == "hour")
                    >
                        <option value="million" selected=true>"1M output tokens"</option>
                        <option value="hour">"hour (all chips)"</option>
                    </select>
                </div>
            </div>
            <details class="more">
                <summary>"Chips to consider"</summary>
                <div class="plan-chips" style="display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 2px 12px">
                    {chip_boxes}
                </div>
            </details>
            <div class="buttons">
                <button type="button" data-plan-run="" on:click=search_now>"Find setups"</button>
                <span data-plan-status="" data-value=move || searched.with(|s| s.as_ref().map(|s| s.ms.to_string()).unwrap_or_default())>
                    {status}
                </span>
            </div>
            {table}
            <p class="verdict" data-plan-loaded="" hidden=move || loaded.with(Option::is_none)>{loaded_note}</p>
        </section>
    }
}
