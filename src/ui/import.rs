//! Hugging Face `config.json` import: paste it or drop/choose the file.

use super::controls::disclosure;
use super::AppState;
use crate::app_state::Replacement;
use crate::forms::config_import::{check_size, import_config};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Applies config text: fills the model fields (the model no longer comes from a preset),
/// or says what is wrong.
fn apply(state: AppState, text: &str, name: &str) -> Result<String, String> {
    let (model, summary) = import_config(text, name)?;
    let current = state.scenario.get_untracked();
    state.apply(Replacement::imported_model(&current, model));
    Ok(summary)
}

/// Reads a chosen or dropped file, refusing anything over 1 MB before reading it.
fn read_file(state: AppState, file: web_sys::File, message: RwSignal<Result<String, String>>) {
    let file = gloo_file::File::from(file);
    let name = file.name();
    if let Err(e) = check_size(&name, file.size() as f64) {
        message.set(Err(e));
        return;
    }
    leptos::task::spawn_local(async move {
        let result = match gloo_file::futures::read_as_text(&file).await {
            Ok(text) => apply(state, &text, &name),
            Err(_) => Err(format!("{name} could not be read")),
        };
        message.set(result);
    });
}

/// Paste or drop a `config.json`.
#[component]
pub fn HfImport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(Ok::<String, String>(String::new()));
    let dragging = RwSignal::new(false);
    view! {
        // Built on first open, like the form's other closed sections.
        {disclosure("Import a Hugging Face config.json", "more import", move || view! {
            <div
                class="drop"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    dragging.set(false);
                    if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                        read_file(state, file, message);
                    }
                }
            >
                <label for="hf-config-text">"Paste config.json"</label>
                <textarea
                    id="hf-config-text"
                    rows="4"
                    spellcheck="false"
                    placeholder="{\"model_type\": \"llama\", \"num_hidden_layers\": 32, ...}"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <div class="buttons">
                    <button type="button" on:click=move |_| message.set(apply(state, &text.get_untracked(), "The pasted text"))>
                        "Import pasted config"
                    </button>
                    <label class="file-label" for="hf-config-file">"…or choose or drop a file"</label>
                    <input
                        id="hf-config-file"
                        type="file"
                        accept=".json,application/json"
                        on:change=move |ev| {
                            let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                            if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) {
                                read_file(state, file, message);
                            }
                        }
                    />
                </div>
                <p class="import-message" role="status" class:error=move || message.with(Result::is_err) data-import-message="">
                    {move || message.get().unwrap_or_else(|e| e)}
                </p>
            </div>
        })}
    }
}
