//! Share and embed: the scenario lives in the page's link (updated as the user edits,
//! without history entries), a banner names what was wrong with an opened link, and an
//! embed snippet shows one chart or the results card alone in an iframe.

use super::browser::{base_url, copy_text, replace_query};
use super::controls::details_open;
use super::AppState;
use crate::chart::ChartKind;
use crate::explain::markdown_report;
use crate::scenario::link::LinkProblem;
use crate::view_params::{Embed, EmbedChoice};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;

/// Milliseconds between address bar updates at most (replaceState is slow, and browsers
/// throttle it).
const ADDRESS_BAR_MS: u32 = 150;

/// Keeps the address bar's query equal to the scenario's link, without adding history
/// entries. Silently does nothing where the browser refuses (sandboxed iframes).
/// Coalesced: a new query replaces the pending one (its timer is dropped, so cancelled).
/// The effect only tracks what goes in the link (`query_parts`); the link is encoded when
/// the timer fires, from the scenario of that moment, not on every edit. The query written
/// is also given to the share panel ([`SettledQuery`], a context), which shows the same.
pub fn sync_address_bar(state: AppState) {
    let settled = RwSignal::new(untrack(|| state.query(&[])));
    provide_context(SettledQuery(settled));
    let pending = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        let parts = state.query_parts(&[]);
        let timer = Timeout::new(ADDRESS_BAR_MS, move || {
            let q = state.scenario.with_untracked(|s| parts.encode(s));
            replace_query(&q);
            settled.set(q);
        });
        pending.set_value(Some(timer));
    });
}

/// The link query last written to the address bar by [`sync_address_bar`] (a context of
/// the full page): the share panel's link and snippet follow it, so an edit encodes the link
/// once, when it settles, instead of three times at once.
#[derive(Clone, Copy)]
pub struct SettledQuery(RwSignal<String>);

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
    // With the address bar kept in step (the full page), the link is the query it settled on,
    // and the snippet is made again when that settles or the choice changes.
    let settled = use_context::<SettledQuery>();
    let link = Memo::new(move |_| match settled {
        Some(SettledQuery(q)) => q.with(|q| format!("{}?{q}", base_url())),
        None => format!("{}?{}", base_url(), state.query(&[])),
    });
    // What the buttons copy: the link of this moment (the shown one may still wait for the
    // address bar's timer after a fresh edit).
    let link_now = move || format!("{}?{}", base_url(), untrack(|| state.query(&[])));
    let copied = RwSignal::new(String::new());
    let markdown = RwSignal::new(String::new());
    let embed_choice = RwSignal::new("cost-batch".to_string());
    let snippet = move || {
        embed_choice.with(|choice| {
            let choice = EmbedChoice(choice);
            let (extras, title) = choice.extras_and_title();
            let query = match settled {
                Some(SettledQuery(q)) => {
                    q.track();
                    untrack(|| state.query(&extras))
                }
                None => state.query(&extras),
            };
            let src = format!("{}?{query}", base_url());
            choice.snippet(&src, &title)
        })
    };
    let copy = move |_| {
        let copying = copy_text(&link_now());
        leptos::task::spawn_local(async move {
            copied.set(if copying.await {
                "Link copied.".into()
            } else {
                "The browser refused the clipboard: select the link above and copy it.".into()
            });
        });
    };
    let copy_markdown = move |_| {
        let link = link_now();
        let report = state.scenario.with_untracked(|s| {
            state.last_good.with_untracked(|e| {
                e.as_ref().map(|e| {
                    state
                        .pure_results
                        .with_untracked(|p| markdown_report(s, e, p.as_ref(), &link))
                })
            })
        });
        let Some(report) = report else {
            copied.set("No valid results to report yet.".into());
            return;
        };
        markdown.set(report.clone());
        let copying = copy_text(&report);
        leptos::task::spawn_local(async move {
            copied.set(if copying.await {
                "Markdown report copied.".into()
            } else {
                "The browser refused the clipboard: the report is below, select it and copy it."
                    .into()
            });
        });
    };
    // The scenario's JSON is written only while its panel is open: closed, it shows nothing,
    // and typing does not serialise the whole scenario on every edit.
    let json_open = RwSignal::new(false);
    let json = move || {
        if json_open.get() {
            state.scenario.with(|s| s.to_json())
        } else {
            String::new()
        }
    };
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
                <button type="button" on:click=copy_markdown>"Copy as Markdown"</button>
            </div>
            <p class="hint" role="status">{move || copied.get()}</p>
            <details class="more" hidden=move || markdown.with(String::is_empty)>
                <summary>"Markdown report (copied)"</summary>
                <pre class="json" data-markdown-report="" tabindex="0" aria-label="Markdown report">{move || markdown.get()}</pre>
            </details>
            <label for="embed-what">"Embed in a docs page"</label>
            <div class="field-row">
                <select id="embed-what" prop:value=move || embed_choice.get() on:change=move |ev| embed_choice.set(event_target_value(&ev))>
                    <option value="results">"Results card"</option>
                    {ChartKind::ALL.into_iter().map(|k| view! { <option value=k.id() selected=k.id() == "cost-batch">{k.title()}</option> }).collect_view()}
                </select>
            </div>
            <label for="embed-snippet">"Embed snippet (paste into HTML or Markdown)"</label>
            <textarea id="embed-snippet" readonly rows="3" prop:value=snippet></textarea>
            <details class="more" on:toggle=move |ev| json_open.set(details_open(&ev))>
                <summary>"Scenario as JSON (for roofline eval)"</summary>
                <pre class="json" data-scenario-json="" tabindex="0" aria-label="Scenario JSON">{json}</pre>
            </details>
        </section>
    }
}

/// The page for `embed=…`: one chart or the results card, filling its frame, with a small
/// link back to the full calculator.
#[component]
pub fn EmbedView(
    /// What to show.
    embed: Embed,
    /// Size to the content (embed.js's self-sizing frames) instead of filling the frame.
    fit: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let full = move || format!("{}?{}", base_url(), state.query(&[]));
    let body = match embed {
        Embed::Chart(kind) => view! { <super::chart_view::ChartCard kind fill=!fit /> }.into_any(),
        Embed::Results => view! { <super::results::ResultsCard /> }.into_any(),
    };
    view! {
        <main class="embed" class:fit=fit data-embed=embed.id()>
            {body}
            <a class="backlink" href=full target="_blank" rel="noopener">"Open in Roofline ↗"</a>
        </main>
    }
}
