//! Leptos components; the only code that touches the DOM.
