//! The input catalogue: the compiled-in presets of chips and models (from the sourced files
//! in `data/`) and the Hugging Face `config.json` import, and the published API prices. build.rs
//! compiles the files into tables (invalid data fails the build), and unit tests check the
//! tables equal the JSON as the run-time parser read it (`oracle`). No physics: they produce scenario
//! parts, so `scenario` and `model` both read them and neither depends on the other.

#[cfg(test)]
mod estimates;
pub mod hf;
#[cfg(test)]
mod oracle;
pub mod presets;
pub mod pricing;
