//! The page footer: what this build is (crate version, build date, share-link format) and
//! where the presets' and prices' numbers come from: the data files the app ships beside
//! itself (index.html copies `data/` and `LICENSE` into the build), so the links stay on
//! the app's own origin.

use crate::scenario::link::LINK_VERSION;
use leptos::prelude::*;

/// The crate's version (Cargo.toml).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The build date, `YYYY-MM-DD`, from `ROOFLINE_BUILD_DATE` at compile time (the build
/// scripts set it: scripts/package.sh, serve.sh, test.sh); "unknown" when it was not set.
const BUILD_DATE: &str = match option_env!("ROOFLINE_BUILD_DATE") {
    Some(d) if !d.is_empty() => d,
    _ => "unknown",
};

/// The shipped source files: (path beside the page, link text, what it holds).
const SOURCES: [(&str, &str, &str); 5] = [
    (
        "data/hardware.json",
        "chips",
        "peak FLOP/s, bandwidth, memory, links, power and price per chip-hour, each with its source and how it was checked",
    ),
    (
        "data/models.json",
        "models",
        "architecture of each model preset, each with its source and how it was checked",
    ),
    (
        "data/pricing.json",
        "API prices",
        "published long-context price tiers and fast-tier premiums, with sources and dates",
    ),
    (
        "data/measurements.md",
        "measurements",
        "published throughput measurements the defaults are fitted to",
    ),
    (
        "data/measurements-2.md",
        "more measurements",
        "published MoE and long-input measurements the defaults are fitted to",
    ),
];

/// The footer below every panel (not shown in embeds).
#[component]
pub fn Footer() -> impl IntoView {
    let sources = SOURCES
        .iter()
        .enumerate()
        .map(|(i, (href, text, title))| {
            view! {
                {if i == 0 { "" } else { ", " }}
                <a href=*href title=*title data-source=*href>{*text}</a>
            }
        })
        .collect_view();
    view! {
        <footer class="site-footer" data-footer="">
            <p>
                "Roofline " <span data-version=VERSION>{VERSION}</span>
                " · built " <span data-build-date=BUILD_DATE>{BUILD_DATE}</span>
                " · share-link format " <span data-link-format=LINK_VERSION>{format!("v{LINK_VERSION}")}</span>
                " · " <a href="LICENSE" data-source="LICENSE">"MIT licence"</a>
            </p>
            <p>"Where the numbers come from: " {sources} "."</p>
        </footer>
    }
}
