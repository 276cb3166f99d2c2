//! Roofline: the physics and economics of serving a large language model.
//!
//! The crate's map, one line per module:

/// The page's state without reactivity: the opening setup and wholesale replacements.
pub mod app_state;
/// Charts, generic over plotters' DrawingBackend; their series are pure functions.
/// Compiled-in presets and the Hugging Face import: scenario parts, no physics.
pub mod catalogue;
pub mod chart;
/// "Why": formulas with the scenario's numbers, and the claims of MODEL.md.
pub mod explain;
/// Numbers in human units, and typed numbers parsed back.
pub mod format;
/// The page's forms as plain data: the one number validator, the lab's and planner's fields.
pub mod forms;
/// The light embed without Leptos (the `roofline-lite` binary), and the plain canvas glue.
pub mod lite;
/// The metric catalogue: each reported number's key, label, unit and formatter.
pub mod metrics;
/// The physics: plain structs in, plain structs out; no web dependencies.
pub mod model;
/// What the serving lab and the planner panels show, as pure functions.
pub mod panels;
pub mod planner;
/// The scenario type, its defaults, validation and its JSON encoding.
pub mod scenario;
/// The serving lab: a discrete-event simulation of schedulers on the engine's step costs.
pub mod sim;
/// Leptos components (wasm32, feature `app`).
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod ui;
/// Every public measurement beside the estimate, for `roofline validate` and the page.
pub mod validate;
/// The link's view parameters (embed, chart, theme, seed) and the links the page writes.
pub mod view_params;
