//! The web app's entry point: paints the first screen (no Leptos: `roofline::lite::first`),
//! then mounts the app, whose code is fetched now (`roofline::ui::mount`).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    roofline::lite::first::paint();
    roofline::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "roofline-web is the browser app: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
