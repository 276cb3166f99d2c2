//! The input catalogue: the compiled-in presets of chips and models (from the sourced files
//! in `data/`) and the Hugging Face `config.json` import, and the published API prices. Each
//! compiled-in file is parsed once on first use, and a unit test fails if it does not parse. No physics: they produce scenario
//! parts, so `scenario` and `model` both read them and neither depends on the other.

pub mod hf;
pub mod presets;
pub mod pricing;
