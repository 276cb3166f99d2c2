//! Share links: a whole [`Scenario`] as a short, readable, versioned URL query string.
//!
//! A link names the model and hardware presets it starts from and then lists only the
//! fields that differ, under short keys a person can edit by hand:
//!
//! ```text
//! v=1&model=llama-3.1-70b&hw=h100-sxm&batch=128&in=2048&eff.c=0.5
//! ```
//!
//! - `v` is the link format version ([`LINK_VERSION`]). It may be left out (read as 1).
//! - `model` and `hw` are preset ids (`catalogue::presets`). Without them the base is
//!   [`super::ModelSpec::default`] / [`super::HardwareSpec::default`]. Every other field not in the link
//!   takes its preset value (model and hardware fields) or its [`Scenario::default`] value.
//! - Optional fields take `none` to clear them (`m.total=none` derives the parameter count,
//!   `m.moe=none` makes the model dense, `hw.flops.fp8=none` removes that peak); `ctx=auto`
//!   is the default decode context (n_in + n_out ÷ 2).
//! - A model that becomes MoE through the link starts from zero experts, so the link gives
//!   `m.experts`, `m.topk` and `m.expert_ff` (and `m.shared`, `m.dense_layers` if not 0).
//! - Numbers are written in Rust's shortest round-trip form (`{}` or `{:e}`, whichever is
//!   shorter), so every `f64` comes back bit for bit; `1e3`, `64` and ` 64 ` are all read.
//! - Names are cut to [`MAX_NAME_BYTES`] bytes of UTF-8; with that, the link of any scenario
//!   stays under [`MAX_LINK_CHARS`] characters (extras not counted).
//! - Keys are read case-insensitively; a key given twice keeps its first valid value.
//!
//! The full key table is [`KEYS`] (key → dotted scenario field); each key is one line of
//! `keys.rs`, naming its field's one declaration in [`super::fields`] and reading and writing
//! its value through [`LinkValue`]. `encode.rs` writes links, `decode.rs` reads them.
//!
//! View parameters the app uses (which chart, embed mode, theme) are not scenario fields:
//! keys in [`EXTRA_KEYS`] pass through untouched into [`LinkResult::extras`], in link order.
//!
//! [`decode`] never fails and never panics: each unknown key, malformed or out-of-range value,
//! duplicate, unknown preset id or bad percent-encoding becomes a [`LinkProblem`] naming the
//! key, every valid part is kept, and any field the whole scenario still rejects
//! ([`Scenario::problems`]) falls back to its preset or default value, so
//! [`LinkResult::scenario`] is always valid. Problem messages quote user text truncated and
//! with control characters replaced; they are plain text and must be shown as text.

mod decode;
mod encode;
mod keys;
mod value;

pub use decode::decode;
pub use encode::{encode, encode_with_presets};
pub use keys::{is_extra_key, key_for_field, KeyGroup, KeyInfo, KEYS};
pub use value::{fmt_f64, LinkValue};

use super::Scenario;
use std::fmt;

/// The link format version this code writes and reads (`v=1`).
pub const LINK_VERSION: u32 = 1;

/// Every link [`encode`] makes for a scenario (without extras) is shorter than this (the
/// largest, every field at its longest value, is about 2,150 characters).
pub const MAX_LINK_CHARS: usize = 3000;

/// Model and hardware names are cut to this many bytes of UTF-8 (at a character boundary).
pub const MAX_NAME_BYTES: usize = 64;

/// Extra (view) parameter values are cut to this many bytes of UTF-8.
pub const MAX_EXTRA_BYTES: usize = 256;

/// At most this many problems are listed; one more entry then says how many were left out.
pub const MAX_PROBLEMS: usize = 20;

/// A query longer than this is reported (still decoded): the app's own links are far shorter.
const LONG_QUERY_CHARS: usize = 8 * 1024;

/// Keys that are not scenario fields but view parameters of the app, passed through in
/// [`LinkResult::extras`]:
///
/// | key | meaning (the UI decides) |
/// |---|---|
/// | `embed` | embed mode: show one chart or the results card alone |
/// | `chart` | which chart |
/// | `card` | which results card |
/// | `theme` | `light`, `dark` or system |
/// | `tab` | which tab or panel is open |
/// | `view` | which view of the page |
/// | `seed` | a random seed for anything sampled |
/// | `chunk` | the serving lab's tokens per chunked-prefill step |
/// | `hit` | the serving lab's prefix-cache hit rate, percent of prompt tokens |
/// | `section` | the page section the navigation last went to (`lab`, `planner`, …) |
/// | `x`, `y` | the axes of a sweep chart |
/// | `scale` | linear or log axes |
/// | `sweep` | what a sweep varies |
/// | `compare` | a second setup to compare against |
/// | `cmp` | model preset ids the architecture comparison chart draws beside the current one |
pub const EXTRA_KEYS: &[&str] = &[
    "embed", "chart", "card", "theme", "tab", "view", "seed", "x", "y", "scale", "sweep",
    "compare", "chunk", "hit", "section", "cmp",
];

/// View parameters of a link, in the order they appear: (key, value).
pub type LinkExtras = Vec<(String, String)>;

/// One thing wrong with a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkProblem {
    /// The link key it concerns (`batch`, `hw.flops.bf16`); empty when it concerns the
    /// link as a whole. User text here is truncated and cleaned like in `problem`.
    pub key: String,
    /// What is wrong and what was done instead, in plain words (plain text, never HTML).
    pub problem: String,
}

impl fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.key, self.problem)
        }
    }
}

/// What [`decode`] makes of a link.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkResult {
    /// Always valid ([`Scenario::validate`] passes).
    pub scenario: Scenario,
    /// Everything that was wrong, in link order, then any fields reset by validation; at
    /// most [`MAX_PROBLEMS`] plus one "and N more problems" entry.
    pub problems: Vec<LinkProblem>,
    /// View parameters from [`EXTRA_KEYS`], in link order.
    pub extras: LinkExtras,
    /// The model preset id the link started from (known ids only).
    pub model_preset: Option<String>,
    /// The hardware preset id the link started from (known ids only).
    pub hardware_preset: Option<String>,
}

impl LinkResult {
    /// The value of an extra (view) parameter, if the link has it.
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}
