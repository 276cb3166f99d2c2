//! The light embed's entry point (no Leptos; see `roofline::lite`): the page's start-up
//! script loads it instead of the full app when the link is an embed's, and calls
//! [`embed`], which shows the embed, or says it is not one (the script then loads the app).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// Shows the embed the page's link asks for; false where the link is not an embed's.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn embed() -> bool {
    roofline::lite::start()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "roofline-lite is the browser's light embed: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
