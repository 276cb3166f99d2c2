//! The planner panel: the cheapest setup that serves the page's model at the speed asked
//! for, why each wins or loses, one click to load it into the calculator, and its vLLM and
//! SGLang launch commands.
//!
//! The search runs after the inputs settle (400 ms after the last keystroke) or at once on
//! the button, never on each keystroke, and says how long it took. The form and its parse
//! live in `crate::forms::planner_form`, the lines it shows in `crate::panels::planner`.

use super::browser::{copy_text, now_ms};
use super::field::TextField;
use super::AppState;
use crate::app_state::Replacement;
use crate::catalogue::presets::hardware_presets;
use crate::format as f;
use crate::forms::dom_id;
use crate::forms::planner_form::{PlannerForm, TargetField, TARGET_FIELDS};
use crate::panels::planner::{loaded_note, status_line, Searched};
use crate::planner::launch::{commands, hf_repo};
use crate::planner::{plan_presets, preset_chips, Candidate, Setup, Targets};
use crate::scenario::{Efficiency, ModelSpec};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;

/// Milliseconds the inputs must rest before a search.
const SETTLE_MS: u32 = 400;
/// Ranked setups shown.
const SHOWN: usize = 8;

/// The planner's signals, shared by its components.
#[derive(Clone, Copy)]
struct PlannerState {
    form: RwSignal<PlannerForm>,
    targets: Memo<Result<Targets, String>>,
    searched: RwSignal<Option<Searched>>,
    /// The ranked setup whose launch commands are shown.
    selected: RwSignal<usize>,
    loaded: RwSignal<Option<Setup>>,
    copied: RwSignal<String>,
    running: RwSignal<bool>,
    /// Only the model and the efficiency settings of the page matter to the search.
    model: Memo<ModelSpec>,
    efficiency: Memo<Efficiency>,
    /// The search waiting for the inputs to settle (dropping it cancels it).
    pending: StoredValue<Option<Timeout>, LocalStorage>,
}

impl PlannerState {
    fn new(state: AppState) -> PlannerState {
        let (n_in, n_out) = state
            .scenario
            .with_untracked(|s| (s.workload.input_tokens, s.workload.output_tokens));
        let form = RwSignal::new(PlannerForm::new(n_in, n_out));
        PlannerState {
            form,
            targets: Memo::new(move |_| form.with(PlannerForm::targets)),
            searched: RwSignal::new(None),
            selected: RwSignal::new(0),
            loaded: RwSignal::new(None),
            copied: RwSignal::new(String::new()),
            running: RwSignal::new(false),
            model: Memo::new(move |_| state.scenario.with(|s| s.model.clone())),
            efficiency: Memo::new(move |_| state.scenario.with(|s| s.efficiency.clone())),
            pending: StoredValue::new_local(None),
        }
    }

    /// Searches now for model `m` with efficiency `e` and the page's other settings.
    fn run(self, state: AppState, m: ModelSpec, e: Efficiency, t: Targets) {
        let mut base = state.scenario.get_untracked();
        base.model = m.clone();
        base.efficiency = e.clone();
        let t0 = now_ms();
        let result = plan_presets(&base, &t);
        let ms = now_ms() - t0;
        self.running.set(false);
        match result {
            Ok(plan) => {
                let repo = hf_repo(&base.model);
                self.selected.set(0);
                self.searched.set(Some(Searched {
                    plan,
                    ms,
                    repo,
                    model: m,
                    efficiency: e,
                }));
            }
            Err(e) => {
                self.searched.set(None);
                leptos::logging::warn!("planner: {e}");
            }
        }
    }

    /// Searches [`SETTLE_MS`] after the last change, if nothing changed since.
    fn schedule(self, state: AppState) {
        self.running.set(true);
        let timer = Timeout::new(SETTLE_MS, move || self.settled(state));
        self.pending.set_value(Some(timer));
    }

    /// The inputs settled: search unless the last search already answers them.
    fn settled(self, state: AppState) {
        let (m, e) = (self.model.get_untracked(), self.efficiency.get_untracked());
        match self.targets.get_untracked() {
            // Already searched (the button ran it meanwhile): nothing to do.
            Ok(t)
                if self
                    .searched
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.answers(&t, &m, &e))) =>
            {
                self.running.set(false)
            }
            Ok(t) => self.run(state, m, e, t),
            Err(_) => self.running.set(false),
        }
    }

    /// The button: search at once (a pending search is cancelled).
    fn search_now(self, state: AppState) {
        if let Ok(t) = self.targets.get_untracked() {
            self.pending.set_value(None);
            let (m, e) = (self.model.get_untracked(), self.efficiency.get_untracked());
            self.run(state, m, e, t);
        }
    }
}

/// One target input, bound to the planner's form.
#[component]
fn TargetInput(ps: PlannerState, def: &'static TargetField) -> impl IntoView {
    let form = ps.form;
    let text = Memo::new(move |_| form.with(|f| f.text(def).to_string()));
    let error = Signal::derive(move || text.with(|t| def.error(t)));
    view! {
        <TextField
            id=dom_id(def.key)
            label=def.label
            unit=def.unit
            text
            on_text=Callback::new(move |v: String| form.update(|f| f.set(def, v)))
            error
            error_for=def.key
            placeholder=def.placeholder
            data_field=def.key
        />
    }
}

/// The targets and the budget's kind.
#[component]
fn PlanInputs(ps: PlannerState) -> impl IntoView {
    let form = ps.form;
    view! {
        <div class="plan-inputs">
            {TARGET_FIELDS.into_iter().map(|def| view! { <TargetInput ps def /> }).collect_view()}
            <div class="field">
                <label for="f-plan-budget-kind">"Budget per"</label>
                <select
                    id="f-plan-budget-kind"
                    data-field="plan.budget_kind"
                    on:change=move |ev| {
                        let per_hour = event_target_value(&ev) == "hour";
                        form.update(|f| f.budget_per_hour = per_hour);
                    }
                >
                    <option value="million" selected=true>"1M output tokens"</option>
                    <option value="hour">"hour (all chips)"</option>
                </select>
            </div>
        </div>
    }
}

/// A checkbox per preset chip.
#[component]
fn ChipChoices(ps: PlannerState) -> impl IntoView {
    let form = ps.form;
    let boxes = preset_chips()
        .into_iter()
        .map(|c| {
            let (id, id2) = (c.id.clone(), c.id.clone());
            let name = hardware_presets()
                .iter()
                .find(|p| p.id == c.id)
                .map(|p| format!("{} {}", p.vendor, p.name))
                .unwrap_or_else(|| c.spec.name.clone());
            view! {
                <label class="plan-chip">
                    <input
                        type="checkbox"
                        data-plan-chip=c.id.clone()
                        prop:checked=move || form.with(|f| f.allowed.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|f| f.allow(&id2, on));
                        }
                    />
                    " "
                    {name}
                </label>
            }
        })
        .collect_view();
    view! {
        <details class="more">
            <summary>"Chips to consider"</summary>
            <div class="plan-chips">
                {boxes}
            </div>
        </details>
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
        let copying = copy_text(&text);
        leptos::task::spawn_local(async move {
            copied.set(if copying.await {
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
        <pre class="json launch" data-launch=key>{command}</pre>
    }
}

/// The launch commands and notes of one setup.
#[component]
fn Launch(ps: PlannerState, candidate: Candidate, repo: String) -> impl IntoView {
    let l = commands(&candidate.setup, &repo);
    let copied = ps.copied;
    view! {
        <div class="plan-launch" data-plan-launch-for=candidate.setup.label()>
            <h3>{format!("Launch: {}", candidate.setup.label())}</h3>
            {l.vllm.map(|v| view! { <CommandBlock name="vLLM" key="vllm" command=v copied /> })}
            {l.sglang.map(|g| view! { <CommandBlock name="SGLang" key="sglang" command=g copied /> })}
            <p role="status" data-plan-copied="">{move || copied.get()}</p>
            <ul class="plan-notes">
                {l.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// One candidate's row: its setup, numbers, binding constraint, and buttons.
#[component]
fn PlanRow(
    ps: PlannerState,
    /// "1", "2", … or "closest".
    rank: String,
    candidate: Candidate,
    /// Its place among the ranked setups (none for the closest out-of-reach one).
    index: Option<usize>,
    targets: Targets,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let c = candidate;
    let s = c.setup.clone();
    let cell = |key: &'static str, raw: f64, shown: String| {
        view! { <td data-metric=key data-value=raw.to_string()>{shown}</td> }
    };
    let label = s.label();
    let (c2, setup) = (c.clone(), s.clone());
    let selected = ps.selected;
    let is_selected = move || index.is_some_and(|i| selected.get() == i);
    let load = move |_| {
        let r = state
            .scenario
            .with_untracked(|sc| Replacement::planned(sc, &c2, &targets));
        if let Some(r) = r {
            state.apply(r);
        }
        if let Some(i) = index {
            selected.set(i);
        }
        ps.loaded.set(Some(setup.clone()));
    };
    view! {
        <tr
            data-plan-rank=rank.clone()
            aria-selected=move || if is_selected() { "true" } else { "false" }
        >
            <th scope="row">{rank.clone()}</th>
            <td class="plan-chip" data-plan-chip-id=s.chip_id.clone()>{format!("{} × {}", s.chips, s.chip_name)}</td>
            <td data-plan-layout=s.layout()>{s.layout()}</td>
            <td>{format!("{} / {}", s.weights, s.kv_cache)}</td>
            {cell("plan.batch", s.batch as f64, f::integer(s.batch as f64))}
            {cell("plan.user_tokens_per_second", c.user_tokens_per_second, f::tokens_per_second(c.user_tokens_per_second))}
            {cell("plan.ttft_seconds", c.ttft_seconds, f::seconds(c.ttft_seconds))}
            {cell("plan.tokens_per_second", c.tokens_per_second, f::tokens_per_second(c.tokens_per_second))}
            {cell("plan.cost_per_hour", c.cost_per_hour, f::usd(c.cost_per_hour))}
            {cell("plan.cost_per_million_output_tokens", c.cost_per_million_output_tokens, f::usd(c.cost_per_million_output_tokens))}
            <td class="plan-why" data-plan-binding=c.limit.name()>
                <strong>{c.binding.clone()}</strong>
                <br />
                <small>{c.why.clone()}</small>
            </td>
            <td>
                <div class="buttons">
                    <button type="button" data-plan-load=rank.clone() aria-label=format!("Load into calculator: {label}") on:click=load>
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
}

/// The results table's header.
fn plan_header() -> impl IntoView {
    view! {
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
    }
}

/// The last search's answer: out of reach or ranked setups, and the chosen one's launch.
fn plan_results(ps: PlannerState, s: &Searched) -> AnyView {
    let t = s.plan.targets.clone();
    let row = |rank: String, candidate: Candidate, index: Option<usize>| {
        view! { <PlanRow ps rank candidate index targets=t.clone() /> }
    };
    let (rows, chosen) = match &s.plan.out_of_reach {
        Some(o) => {
            let rows = o
                .closest
                .clone()
                .map(|c| vec![row("closest".into(), c, None)])
                .unwrap_or_default();
            (rows, o.closest.clone())
        }
        None => {
            let rows = s
                .plan
                .ranked
                .iter()
                .take(SHOWN)
                .enumerate()
                .map(|(i, c)| row((i + 1).to_string(), c.clone(), Some(i)))
                .collect::<Vec<_>>();
            let pick = ps.selected.get().min(s.plan.ranked.len().saturating_sub(1));
            (rows, s.plan.ranked.get(pick).cloned())
        }
    };
    let message = s.plan.out_of_reach.as_ref().map(|o| {
        let targets = o.targets.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
        view! { <p class="verdict bad" data-plan-out-of-reach=targets role="status">{o.message.clone()}</p> }
    });
    let repo = s.repo.clone();
    let launch = chosen.map(|candidate| view! { <Launch ps candidate repo /> });
    view! {
        {message}
        <div class="table-scroll">
            <table class="compare plan-results" data-plan-results="">
                {plan_header()}
                <tbody>{rows}</tbody>
            </table>
        </div>
        {launch}
    }
    .into_any()
}

/// The planner panel.
#[component]
pub fn Planner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ps = PlannerState::new(state);
    // Nothing runs at page load: the first search is the user's (the button or an edited
    // target).
    Effect::new(move |prev: Option<()>| {
        let ok = ps.targets.with(|t| t.is_ok());
        if prev.is_some() && ok {
            ps.schedule(state);
        }
    });
    // A new model or new efficiency settings: search again once the planner is in use.
    Effect::new(move |prev: Option<()>| {
        ps.model.track();
        ps.efficiency.track();
        if prev.is_some() && ps.searched.with_untracked(Option::is_some) {
            ps.schedule(state);
        }
    });
    let status = move || {
        let targets = ps.targets.get();
        let targets = targets.as_ref().map(|_| ()).map_err(String::as_str);
        ps.searched
            .with(|s| status_line(targets, s.as_ref(), ps.running.get()))
    };
    let table = move || {
        ps.searched.with(|s| {
            s.as_ref()
                .map(|s| plan_results(ps, s))
                .unwrap_or_else(|| ().into_any())
        })
    };
    let loaded = ps.loaded;
    let searched_ms = move || {
        ps.searched
            .with(|s| s.as_ref().map(|s| s.ms.to_string()).unwrap_or_default())
    };
    let searched_model = move || {
        ps.searched
            .with(|s| s.as_ref().map(Searched::model_line).unwrap_or_default())
    };
    view! {
        <section class="card planner" aria-label="Planner" data-panel="planner">
            <h2>"Planner: the cheapest setup at your speed"</h2>
            <p class="estimate-note">
                "Searches every hardware preset × 1–64 chips × 16-bit/fp8/fp4 weights and KV (where the chip computes them) × tensor, pipeline and (MoE) expert parallelism × batch, for the page's model and efficiency settings, and ranks what fits and meets the targets by cost per 1M output tokens. Pipelines run a synchronous schedule: (M + P − 1) stage times per step, a bubble of (P − 1) ÷ (M + P − 1). Tensor and expert groups larger than a server (8 GPUs; 72 for GB200 NVL72) use a 50 GB/s scale-out link."
            </p>
            <p data-plan-model="">{searched_model}</p>
            <PlanInputs ps />
            <ChipChoices ps />
            <div class="buttons">
                <button type="button" data-plan-run="" on:click=move |_| ps.search_now(state)>"Find setups"</button>
                <span data-plan-status="" data-value=searched_ms>{status}</span>
            </div>
            {table}
            <p class="verdict" data-plan-loaded="" hidden=move || loaded.with(Option::is_none)>
                {move || loaded.with(|l| l.as_ref().map(loaded_note))}
            </p>
        </section>
    }
}
