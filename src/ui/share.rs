//! Share and embed: the scenario lives in the page's link (updated as the user edits,
//! without history entries), a banner names what was wrong with an opened link, and an
//! embed snippet shows one chart or the results card alone in an iframe.

use super::AppState;
use crate::chart::ChartKind;
use crate::scenario::link::{decode, encode_with_presets, LinkProblem, LinkResult};
use leptos::prelude::*;

/// The link's view parameters the page understands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// `embed=chart` or `embed=results`.
    pub embed: Option<Embed>,
    /// `theme=light|dark`; none follows the system.
    pub theme: Option<String>,
}

/// What an embedded page shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Embed {
    Chart(ChartKind),
    Results,
}

/// The page's query string (`?…`), or empty.
pub fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Reads the opened link: the scenario, the problems found, and the view parameters.
/// Unknown view values become problems too.
pub fn read_link(query: &str) -> (LinkResult, View, Vec<LinkProblem>) {
    let result = decode(query);
    let mut problems = Vec::new();
    let mut view = View::default();
    match result.extra("embed") {
        None => {}
        Some("results") => view.embed = Some(Embed::Results),
        Some("chart") | Some("") => {
            let id = result.extra("chart").unwrap_or("cost-batch");
            match ChartKind::from_id(id) {
                Some(k) => view.embed = Some(Embed::Chart(k)),
                None => {
                    problems.push(LinkProblem {
                        key: "chart".into(),
                        problem: format!(
                            "unknown chart {:?}; showing cost-batch (charts: {})",
                            crate::format::truncate(id, 40),
                            ChartKind::ALL
                                .iter()
                                .map(|k| k.id())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    view.embed = Some(Embed::Chart(ChartKind::CostBatch));
                }
            }
        }
        Some(other) => problems.push(LinkProblem {
            key: "embed".into(),
            problem: format!(
                "unknown value {:?}; expected chart or results",
                crate::format::truncate(other, 40)
            ),
        }),
    }
    match result.extra("theme") {
        None | Some("system") | Some("auto") => {}
        Some(t @ ("light" | "dark")) => view.theme = Some(t.to_string()),
        Some(other) => problems.push(LinkProblem {
            key: "theme".into(),
            problem: format!(
                "unknown theme {:?}; following the system",
                crate::format::truncate(other, 40)
            ),
        }),
    }
    (result, view, problems)
}

/// The link query for the current state, keeping the opened link's view parameters.
pub fn query_for(state: AppState, extras: &[(String, String)]) -> String {
    let mut extras = extras.to_vec();
    if let Some(seed) = state.lab_seed.get() {
        extras.push(("seed".into(), seed.to_string()));
    }
    let extras = &extras[..];
    let model = state.model_preset.get();
    let hw = state.hardware_preset.get();
    state
        .scenario
        .with(|s| encode_with_presets(s, model.as_deref(), hw.as_deref(), extras))
}

/// The page's address without its query: origin + path (works under any sub-path).
pub fn base_url() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Keeps the address bar's query equal to the scenario's link, without adding history
/// entries. Silently does nothing where the browser refuses (sandboxed iframes).
/// Coalesced: at most one update per 150 ms (replaceState is slow, and browsers throttle it).
pub fn sync_address_bar(state: AppState) {
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    Effect::new(move |_| {
        let q = query_for(state, &[]);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = leptos::prelude::set_timeout_with_handle(
            move || {
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = h.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&format!("?{q}")),
                    );
                }
            },
            std::time::Duration::from_millis(150),
        );
        pending.set_value(handle.ok());
    });
}

/// The banner naming each problem of the opened link (text only, never HTML).
#[component]
pub fn LinkBanner(
    /// What was wrong with the opened link.
    problems: Vec<LinkProblem>,
) -> impl IntoView {
    let shown = RwSignal::new(!problems.is_empty());
    let count = problems.len().to_string();
    view! {
        <div class="banner" role="alert" data-link-problems=count hidden=move || !shown.get()>
            <p><strong>"This link had problems; the rest of its setup was kept:"</strong></p>
            <ul>{problems.into_iter().map(|p| view! { <li data-link-problem=p.key.clone()>{p.to_string()}</li> }).collect_view()}</ul>
            <button type="button" on:click=move |_| shown.set(false)>"Dismiss"</button>
        </div>
    }
}

/// Link, copy button, embed snippet and scenario JSON.
#[component]
pub fn SharePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = Memo::new(move |_| format!("{}?{}", base_url(), query_for(state, &[])));
    let copied = RwSignal::new(String::new());
    let embed_choice = RwSignal::new("cost-batch".to_string());
    let snippet = move || {
        let choice = embed_choice.get();
        let (extras, title) = if choice == "results" {
            (
                vec![("embed".to_string(), "results".to_string())],
                "Roofline results".to_string(),
            )
        } else {
            let title = ChartKind::from_id(&choice)
                .map(|k| k.title())
                .unwrap_or("chart");
            (
                vec![
                    ("embed".to_string(), "chart".to_string()),
                    ("chart".to_string(), choice.clone()),
                ],
                format!("Roofline: {title}"),
            )
        };
        let src = format!("{}?{}", base_url(), query_for(state, &extras));
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"800\" height=\"{}\" style=\"border:0;max-width:100%\" loading=\"lazy\" sandbox=\"allow-scripts allow-popups\"></iframe>",
            html_attr(&src),
            html_attr(&title),
            if choice == "results" { 520 } else { 480 }
        )
    };
    let copy = move |_| {
        let url = link.get_untracked();
        let Some(w) = web_sys::window() else { return };
        let promise = w.navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(if ok {
                "Link copied.".into()
            } else {
                "The browser refused the clipboard: select the link above and copy it.".into()
            });
        });
    };
    let json = move || state.scenario.with(|s| s.to_json());
    view! {
        <section class="card share" aria-label="Share and embed">
            <h2>"Share"</h2>
            <label for="share-link">"Link to this exact setup"</label>
            <div class="field-row">
                <input id="share-link" type="text" readonly prop:value=move || link.get() on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        i.select();
                    }
                } />
                <button type="button" on:click=copy>"Copy link"</button>
            </div>
            <p class="hint" role="status">{move || copied.get()}</p>
            <label for="embed-what">"Embed in a docs page"</label>
            <div class="field-row">
                <select id="embed-what" prop:value=move || embed_choice.get() on:change=move |ev| embed_choice.set(event_target_value(&ev))>
                    <option value="results">"Results card"</option>
                    {ChartKind::ALL.into_iter().map(|k| view! { <option value=k.id() selected=k.id() == "cost-batch">{k.title()}</option> }).collect_view()}
                </select>
            </div>
            <label for="embed-snippet">"Embed snippet (paste into HTML or Markdown)"</label>
            <textarea id="embed-snippet" readonly rows="3" prop:value=snippet></textarea>
            <details class="more">
                <summary>"Scenario as JSON (for roofline eval)"</summary>
                <pre class="json" data-scenario-json="" tabindex="0" aria-label="Scenario JSON">{json}</pre>
            </details>
        </section>
    }
}

/// Escapes text for an HTML attribute value in the snippet.
fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The page for `embed=…`: one chart or the results card, filling its frame, with a small
/// link back to the full calculator.
#[component]
pub fn EmbedView(
    /// What to show.
    embed: Embed,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let full = move || format!("{}?{}", base_url(), query_for(state, &[]));
    let body = match embed {
        Embed::Chart(kind) => view! { <super::chart_view::ChartCard kind fill=true /> }.into_any(),
        Embed::Results => view! { <super::results::ResultsCard /> }.into_any(),
    };
    view! {
        <main class="embed" data-embed=match embed { Embed::Chart(k) => k.id(), Embed::Results => "results" }>
            {body}
            <a class="backlink" href=full target="_blank" rel="noopener">"Open in Roofline ↗"</a>
        </main>
    }
}
