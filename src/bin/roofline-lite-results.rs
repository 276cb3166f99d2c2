//! The light embed of the results card (no Leptos, no charts; see `roofline::lite`): the
//! page's start-up script loads it instead of the full app when the link is a results
//! embed's, and calls [`embed`], which shows it, or says the link is not one (the script then
//! loads the app).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// Shows the results card the page's link asks for; false where the link is not a results
/// embed's.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn embed() -> bool {
    roofline::lite::start_results()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "roofline-lite-results is the browser's light embed of the results card: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
