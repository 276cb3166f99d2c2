//! Build script: for the web app (the `roofline-web` binary on wasm32) asks the linker to keep
//! its relocations (`--emit-relocs`), which wasm-split needs to cut the lazily loaded panels
//! (`#[lazy]` in src/ui/lazy.rs) into chunks of their own (scripts/trunk_post_build.mjs).
//! The relocation sections are dropped again by wasm-bindgen and wasm-opt.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=roofline-web=--emit-relocs");
    }
}
