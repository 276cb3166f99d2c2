//! A light chart embed (no Leptos; see `roofline::lite`) holding the builders of one group
//! of charts (speculative decoding; `roofline::lite::CHART_GROUPS`): the page's start-up script loads it
//! instead of the full app when the link is an embed of one of them, and calls [`embed`],
//! which shows the chart, or says the link is not such an embed (the script then loads the app).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// Shows the chart the page's link asks for; false where the link is not an embed of a
/// chart of this group.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn embed() -> bool {
    roofline::lite::start_chart(roofline::lite::speculative_charts)
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "roofline-lite-speculative is a light chart embed for the browser: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
