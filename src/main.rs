//! The web app's entry point: mounts the page; nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    roofline::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "roofline-web is the browser app: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
