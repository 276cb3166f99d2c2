//! Hugging Face `config.json` import: paste it or drop/choose the file.

use super::AppState;
use crate::model::hf::model_from_hf_config;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Largest accepted config file, bytes.
pub const MAX_CONFIG_BYTES: f64 = 1_000_000.0;

/// Applies config text: fills the model fields, or lists what is wrong.
fn apply(state: AppState, text: &str, name: &str) -> Result<String, String> {
    if text.len() as f64 > MAX_CONFIG_BYTES {
        return Err(format!(
            "{name} is over 1 MB ({} bytes): not a config.json",
            text.len()
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "{name} is not JSON: {}",
            crate::format::truncate(&e.to_string(), 80)
        )
    })?;
    let display = value
        .get("_name_or_path")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        .unwrap_or_else(|| name.trim_end_matches(".json").to_string());
    let model = model_from_hf_config(text, &display).map_err(|e| e.to_string())?;
    let summary = format!(
        "Imported {}: {} layers, hidden {}, {} heads ({} KV){}",
        model.name,
        model.layers,
        model.hidden_size,
        model.attention_heads,
        model.kv_heads,
        model
            .moe
            .as_ref()
            .map(|m| format!(", {} experts (top-{})", m.experts, m.experts_per_token))
            .unwrap_or_default()
    );
    state.scenario.update(|s| {
        s.model = model;
        if s.model.moe.is_none() {
            s.parallelism = crate::scenario::Parallelism::Tensor;
        }
    });
    state.model_preset.set(None);
    state.reset.update(|g| *g += 1);
    Ok(summary)
}

/// Reads a chosen or dropped file, refusing anything over 1 MB before reading it.
fn read_file(state: AppState, file: web_sys::File, message: RwSignal<Result<String, String>>) {
    let name = file.name();
    if file.size() > MAX_CONFIG_BYTES {
        message.set(Err(format!(
            "{name} is over 1 MB ({} bytes): not a config.json",
            file.size() as u64
        )));
        return;
    }
    leptos::task::spawn_local(async move {
        let result = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(v) => match v.as_string() {
                Some(text) => apply(state, &text, &name),
                None => Err(format!("{name} could not be read as text")),
            },
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
        <details class="more import" data-import="hf">
            <summary>"Import a Hugging Face config.json"</summary>
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
        </details>
    }
}
