//! Panels below the fold, loaded on demand: each is a `#[lazy]` function (Leptos 0.8,
//! wasm-split), so its code sits in a WebAssembly chunk of its own that the page fetches the
//! first time the panel is wanted (scripts/trunk_post_build.mjs cuts the chunks). A panel is
//! wanted when its place on the page comes within [`NEAR_PX`] of the screen, or when the
//! navigation (or the opened link's `section=`) goes to it; until its chunk has arrived the
//! place shows "Loading …" (`data-lazy-state="loading"`), then the panel
//! (`data-lazy-state="loaded"`). Nothing of a panel is built before it is wanted, so the page
//! has fewer elements and an edit updates only what has been shown.

use super::AppState;
use leptos::prelude::*;

/// How near the screen (CSS pixels, above and below) a panel's place must come to be loaded.
const NEAR_PX: u32 = 900;

/// Before the serving lab has loaded, the link keeps what its form would: the opened link's
/// seed, chunk budget and hit rate, where they differ from the defaults.
pub fn keep_lab_link(state: &AppState) {
    let form = crate::forms::lab_form::LabForm::default()
        .with_seed(state.opened_seed)
        .with_chunk(state.opened_chunk)
        .with_hit(state.opened_hit);
    state.lab_seed.set(form.seed_for_link());
    state.lab_chunk.set(form.chunk_for_link());
    state.lab_hit.set(form.hit_for_link());
}

/// A panel loaded on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Compare A and B (below the charts).
    Compare,
    /// Saved setups.
    Saved,
    /// Share and embed.
    Share,
    /// The "why" panel.
    Why,
    /// The serving lab (`crate::sim`).
    Lab,
    /// The planner (`crate::planner`).
    Planner,
    /// Validation against public measurements.
    Validation,
    /// Calibration to the user's measurements.
    Calibrate,
}

/// The panels loaded on demand, in page order: four in the results column below the charts,
/// loaded as soon as the first screen has been drawn, and four below the calculator, loaded
/// when scrolled near or gone to.
pub const PARTS: [Part; 8] = [
    Part::Compare,
    Part::Saved,
    Part::Share,
    Part::Why,
    Part::Lab,
    Part::Planner,
    Part::Validation,
    Part::Calibrate,
];

/// Which panels are wanted and which have arrived (one pair of signals per [`PARTS`] entry),
/// shared by the panels and the navigation (a context provided by the page).
#[derive(Clone, Copy)]
pub struct LazyParts {
    wanted: [RwSignal<bool>; 8],
    loaded: [RwSignal<bool>; 8],
    /// Whether a chart of the first screen has been drawn.
    screen_drawn: RwSignal<bool>,
}

impl LazyParts {
    /// Nothing wanted yet.
    pub fn new() -> Self {
        Self {
            wanted: std::array::from_fn(|_| RwSignal::new(false)),
            loaded: std::array::from_fn(|_| RwSignal::new(false)),
            screen_drawn: RwSignal::new(false),
        }
    }

    /// A chart has been drawn (the first screen is up): the near panels may load.
    pub fn chart_drawn(self) {
        if !self.screen_drawn.get_untracked() {
            self.screen_drawn.set(true);
        }
    }

    /// The panels a visit to section `id` needs: the section's own panel and every lazy
    /// panel above it (their arrival would move it). None for the sections above them all.
    fn up_to(id: &str) -> usize {
        PARTS
            .iter()
            .position(|p| p.section() == id)
            .map_or(0, |i| i + 1)
    }

    /// Asks for what a visit to section `id` needs; true once all of it has arrived
    /// (tracked: an effect reading it runs again as the panels arrive).
    pub fn ready_for(self, id: &str) -> bool {
        let n = Self::up_to(id);
        for w in &self.wanted[..n] {
            want(*w);
        }
        self.loaded[..n].iter().all(|l| l.get())
    }
}

impl Default for LazyParts {
    fn default() -> Self {
        Self::new()
    }
}

impl Part {
    /// Whether the part is one of the results column's, loaded once the first screen is drawn.
    fn soon(self) -> bool {
        matches!(self, Part::Compare | Part::Saved | Part::Share | Part::Why)
    }

    /// The index of this part in [`PARTS`].
    fn index(self) -> usize {
        PARTS.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The section's link id (`crate::view_params::SECTIONS`).
    pub fn section(self) -> &'static str {
        match self {
            Part::Compare => "compare",
            Part::Saved => "saved",
            Part::Share => "share",
            Part::Why => "why",
            Part::Lab => "lab",
            Part::Planner => "planner",
            Part::Validation => "validation",
            Part::Calibrate => "calibrate",
        }
    }

    /// What the loading state names.
    fn label(self) -> &'static str {
        match self {
            Part::Compare => "Compare",
            Part::Saved => "the saved setups",
            Part::Share => "Share and embed",
            Part::Why => "the why panel",
            Part::Lab => "the serving lab",
            Part::Planner => "the planner",
            Part::Validation => "the validation",
            Part::Calibrate => "the calibration",
        }
    }
}

#[lazy]
fn compare_part() -> AnyView {
    untrack(|| view! { <super::compare::ComparePanel /> }.into_any())
}

#[lazy]
fn saved_part() -> AnyView {
    untrack(|| view! { <super::saved::SavedSetups /> }.into_any())
}

#[lazy]
fn share_part() -> AnyView {
    untrack(|| view! { <super::share::SharePanel /> }.into_any())
}

#[lazy]
fn why_part() -> AnyView {
    untrack(|| view! { <super::results::WhyPanel /> }.into_any())
}

#[lazy]
fn lab_part() -> AnyView {
    untrack(|| view! { <super::lab::ServingLab /> }.into_any())
}

#[lazy]
fn planner_part() -> AnyView {
    untrack(|| view! { <super::planner::Planner /> }.into_any())
}

#[lazy]
fn validation_part() -> AnyView {
    untrack(|| view! { <super::validation::Validation /> }.into_any())
}

#[lazy]
fn calibrate_part() -> AnyView {
    untrack(|| view! { <super::calibrate::CalibratePanel /> }.into_any())
}

/// Fetches `part`'s chunk (once; later calls find it loaded) and builds the panel. Each
/// builder is untracked: it runs inside a `Suspend`, which would otherwise rebuild the whole
/// panel whenever a signal its component reads while being built changes.
async fn load(part: Part) -> AnyView {
    match part {
        Part::Compare => compare_part().await,
        Part::Saved => saved_part().await,
        Part::Share => share_part().await,
        Part::Why => why_part().await,
        Part::Lab => lab_part().await,
        Part::Planner => planner_part().await,
        Part::Validation => validation_part().await,
        Part::Calibrate => calibrate_part().await,
    }
}

/// Marks a panel wanted, once (a signal set again would notify again).
fn want(wanted: RwSignal<bool>) {
    if !wanted.get_untracked() {
        wanted.set(true);
    }
}

/// Calls `near` once, the first time `el` comes within [`NEAR_PX`] of the screen. False
/// where IntersectionObserver is missing.
pub(crate) fn when_near(el: &web_sys::Element, near: impl Fn() + 'static) -> bool {
    super::browser::observe_intersection(el, &format!("{NEAR_PX}px 0px"), move |hits, observer| {
        if hits.contains(&true) {
            observer.disconnect();
            near();
        }
    })
}

/// The place of a panel loaded on demand.
#[component]
pub fn LazyPanel(part: Part) -> impl IntoView {
    let parts = expect_context::<LazyParts>();
    let wanted = parts.wanted[part.index()];
    // Changes once: setting `wanted` again must not build the panel again.
    let shown = Memo::new(move |_| wanted.get());
    let loaded = parts.loaded[part.index()];
    let place = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = place.get() {
            if !when_near(&el, move || want(wanted)) {
                want(wanted);
            }
        }
    });
    if part.soon() {
        // After the frame that shows the first chart; or a second after the page is built
        // (a page whose charts cannot draw still gets its panels).
        Effect::new(move |_| {
            if parts.screen_drawn.get() && !wanted.get_untracked() {
                request_animation_frame(move || {
                    set_timeout(move || want(wanted), std::time::Duration::ZERO)
                });
            }
        });
        set_timeout(move || want(wanted), std::time::Duration::from_secs(1));
    }
    let loading = move || {
        view! { <p class="muted lazy-loading" role="status">"Loading " {part.label()} "…"</p> }
    };
    view! {
        <div node_ref=place class="lazy-panel" class:far=!part.soon() data-lazy=part.section()
            data-lazy-state=move || if loaded.get() { "loaded" } else { "loading" }>
            {move || {
                if shown.get() {
                    view! {
                        <Suspense fallback=loading>
                            {Suspend::new(async move {
                                let panel = load(part).await;
                                loaded.set(true);
                                panel
                            })}
                        </Suspense>
                    }
                        .into_any()
                } else {
                    loading().into_any()
                }
            }}
        </div>
    }
}

#[lazy]
fn page_part(problems: Vec<crate::scenario::link::LinkProblem>) -> AnyView {
    untrack(|| super::full_page(problems))
}

/// The full page below its header (`super::full_page`): a part of its own, which the page
/// asks for first thing and an embed never does, so an embed fetches only its own code.
/// Until it has arrived the place says "Loading the calculator …".
#[component]
pub fn FullPage(
    /// What was wrong with the opened link (for the banner).
    problems: Vec<crate::scenario::link::LinkProblem>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted lazy-loading" role="status" data-lazy-state="loading">"Loading the calculator…"</p> }>
            {Suspend::new(async move { page_part(problems).await })}
        </Suspense>
    }
}
