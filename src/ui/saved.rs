//! Saved setups: save the current setup under a name, list, load, rename, delete, pin as A in
//! Compare, export and import all as one JSON file. The store is one document in the
//! browser's local storage (through gloo-storage); its rules and messages are plain data in
//! `crate::forms::saved_setups`.

use super::AppState;
use crate::app_state::{PresetId, Replacement};
use crate::forms::saved_setups::{
    self as store, import_failed_message, merge, parse, unreadable_store_message,
    write_failed_message, SavedSetup, SetupsFile, STORAGE_KEY, UNREADABLE_KEY,
};
use crate::scenario::link::{decode, encode_with_presets};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Largest import file read, in bytes (a full store of links is far smaller).
const MAX_IMPORT_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// The page's local storage, where the browser gives one (not in sandboxed frames or where
/// storage is blocked). gloo's `LocalStorage` is used only after this says it exists.
fn available() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What reading the store found.
struct Opened {
    setups: Vec<SavedSetup>,
    message: Option<String>,
    writable: bool,
}

/// Reads the store; an unreadable one is moved aside (never overwritten) and reported.
fn open_store() -> Opened {
    if available().is_none() {
        return Opened {
            setups: Vec::new(),
            message: Some(
                "This browser gives the page no local storage (it is blocked or private), so setups cannot be saved here.".into(),
            ),
            writable: false,
        };
    }
    let raw = LocalStorage::raw();
    let text = match raw.get_item(STORAGE_KEY) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Opened {
                setups: Vec::new(),
                message: None,
                writable: true,
            }
        }
        Err(_) => {
            return Opened {
                setups: Vec::new(),
                message: Some(unreadable_store_message(
                    "the browser refused to read it",
                    false,
                )),
                writable: false,
            }
        }
    };
    match parse(&text) {
        Ok(setups) => Opened {
            setups,
            message: None,
            writable: true,
        },
        Err(why) => {
            // Keep the unreadable text under its own key, unless that key holds other text.
            let free = matches!(raw.get_item(UNREADABLE_KEY), Ok(None))
                || matches!(raw.get_item(UNREADABLE_KEY), Ok(Some(ref t)) if *t == text);
            let kept = free && raw.set_item(UNREADABLE_KEY, &text).is_ok();
            if kept {
                let _ = raw.remove_item(STORAGE_KEY);
            }
            Opened {
                setups: Vec::new(),
                message: Some(unreadable_store_message(&why, kept)),
                writable: kept,
            }
        }
    }
}

/// Writes the whole list; on failure the stored document is the one before. The write goes
/// through gloo's storage handle, with the browser's error read here: gloo's own `set`
/// assumes every thrown value is an `Error` and would abort on anything else.
fn write_store(setups: &[SavedSetup]) -> Result<(), String> {
    if available().is_none() {
        return Err(write_failed_message("no local storage"));
    }
    let json = SetupsFile::new(setups.to_vec()).to_json();
    LocalStorage::raw()
        .set_item(STORAGE_KEY, &json)
        .map_err(|e| write_failed_message(&js_error_text(&e)))
}

/// A thrown JavaScript value as text: "Name: message" for errors.
fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        ),
        None => e.as_string().unwrap_or_else(|| "an unknown error".into()),
    }
}

/// The current setup's link (the setup only: no view parameters).
fn current_link(state: AppState) -> String {
    let model = state.model_preset.get_untracked();
    let hw = state.hardware_preset.get_untracked();
    state
        .scenario
        .with_untracked(|s| encode_with_presets(s, model.as_deref(), hw.as_deref(), &[]))
}

/// A preset id as a replacement sets it: the link's, else none.
fn preset(id: Option<String>) -> PresetId {
    id.map_or(PresetId::Clear, PresetId::Set)
}

/// The saved setups panel.
#[component]
pub fn SavedSetups() -> impl IntoView {
    let state = expect_context::<AppState>();
    let opened = open_store();
    let setups = RwSignal::new(opened.setups);
    let writable = RwSignal::new(opened.writable);
    // (text, is an error)
    let message = RwSignal::new(opened.message.map(|m| (m, true)));
    let name = RwSignal::new(String::new());
    let renaming = RwSignal::new(None::<usize>);
    let new_name = RwSignal::new(String::new());

    // Stores `next` (the list changes only if the browser took it), then says `ok`.
    let commit = move |next: Vec<SavedSetup>, ok: String| {
        if !writable.get_untracked() {
            message.set(Some((
                "Saving is off in this browser (see above); nothing was changed.".into(),
                true,
            )));
            return false;
        }
        match write_store(&next) {
            Ok(()) => {
                setups.set(next);
                message.set(Some((ok, false)));
                true
            }
            Err(e) => {
                message.set(Some((e, true)));
                false
            }
        }
    };
    let save = move || {
        let link = current_link(state);
        match store::save(&setups.get_untracked(), &name.get_untracked(), &link) {
            Ok((next, replaced)) => {
                let n = store::check_name(&name.get_untracked()).unwrap_or_default();
                let ok = if replaced {
                    format!("Saved {n:?} again (it now holds this setup).")
                } else {
                    format!("Saved {n:?}.")
                };
                if commit(next, ok) {
                    name.set(String::new());
                }
            }
            Err(e) => message.set(Some((e, true))),
        }
    };
    let load = move |s: SavedSetup| {
        let r = decode(&s.link);
        state.apply(Replacement {
            scenario: r.scenario,
            model_preset: preset(r.model_preset),
            hardware_preset: preset(r.hardware_preset),
        });
        let note = if r.problems.is_empty() {
            String::new()
        } else {
            format!(
                " Its link had problems, the rest was kept: {}",
                r.problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        message.set(Some((format!("Loaded {:?}.{note}", s.name), false)));
    };
    let pin = move |s: SavedSetup| {
        state.pinned.set(Some(decode(&s.link).scenario));
        message.set(Some((
            format!(
                "Pinned {:?} as A in Compare; B is the setup you edit.",
                s.name
            ),
            false,
        )));
    };
    let export = move |_| {
        let json = SetupsFile::new(setups.get_untracked()).to_json();
        match super::chart_view::download("roofline-setups.json", "application/json", &json) {
            Ok(()) => message.set(Some((
                format!(
                    "Exported {} setups as roofline-setups.json.",
                    setups.with_untracked(Vec::len)
                ),
                false,
            ))),
            Err(e) => message.set(Some((format!("The export failed: {e}"), true))),
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let file = gloo_file::File::from(file);
        let file_name = file.name();
        if file.size() as f64 > MAX_IMPORT_BYTES {
            message.set(Some((
                import_failed_message(&file_name, "it is larger than 4 MB"),
                true,
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let text = match gloo_file::futures::read_as_text(&file).await {
                Ok(t) => t,
                Err(_) => {
                    message.set(Some((
                        import_failed_message(&file_name, "the file could not be read"),
                        true,
                    )));
                    return;
                }
            };
            let merged =
                parse(&text).and_then(|incoming| merge(&setups.get_untracked(), &incoming));
            match merged {
                Ok((next, report)) => {
                    commit(next, report.message());
                }
                Err(why) => message.set(Some((import_failed_message(&file_name, &why), true))),
            }
        });
    };

    let rows = move || {
        setups
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let editing = move || renaming.get() == Some(i);
                let (s_load, s_pin, s_name) = (s.clone(), s.clone(), s.name.clone());
                let input_id = format!("saved-rename-{i}");
                let rename_done = move || {
                    let old = setups.with_untracked(|l| l.get(i).map(|s| s.name.clone()));
                    match store::rename(&setups.get_untracked(), i, &new_name.get_untracked()) {
                        Ok(next) => {
                            let n = next[i].name.clone();
                            if commit(next, format!("Renamed {:?} to {n:?}.", old.unwrap_or_default())) {
                                renaming.set(None);
                            }
                        }
                        Err(e) => message.set(Some((e, true))),
                    }
                };
                view! {
                    <li class="saved-setup" data-saved-setup=s.name.clone()>
                        <span class="saved-name" hidden=editing>{s.name.clone()}</span>
                        <span class="saved-rename" hidden=move || !editing()>
                            <label class="sr-only" for=input_id.clone()>{format!("New name for {}", s.name)}</label>
                            <input id=input_id type="text" maxlength="80" prop:value=move || new_name.get()
                                on:input=move |ev| new_name.set(event_target_value(&ev))
                                on:keydown=move |ev| if ev.key() == "Enter" { rename_done() } />
                            <button type="button" on:click=move |_| rename_done()>"Save name"</button>
                            <button type="button" on:click=move |_| renaming.set(None)>"Cancel"</button>
                        </span>
                        <span class="buttons" hidden=editing>
                            <button type="button" data-saved-action="load" on:click=move |_| load(s_load.clone())>"Load"</button>
                            <button type="button" data-saved-action="pin" on:click=move |_| pin(s_pin.clone())>"Pin as A"</button>
                            <button type="button" data-saved-action="rename" on:click=move |_| {
                                new_name.set(s_name.clone());
                                renaming.set(Some(i));
                            }>"Rename"</button>
                            <button type="button" data-saved-action="delete" on:click=move |_| {
                                let gone = setups.with_untracked(|l| l.get(i).map(|s| s.name.clone())).unwrap_or_default();
                                commit(store::delete(&setups.get_untracked(), i), format!("Deleted {gone:?}."));
                            }>"Delete"</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="card saved" aria-labelledby="saved-title">
            <h2 id="saved-title">"Saved setups"</h2>
            <form class="field-row saved-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                <label for="setup-name">"Setup name"</label>
                <input id="setup-name" type="text" maxlength="80" autocomplete="off"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit">"Save setup"</button>
            </form>
            <p class="saved-message" role="status" data-saved-message=""
                class:error=move || message.with(|m| m.as_ref().is_some_and(|m| m.1))
                hidden=move || message.with(Option::is_none)>
                {move || message.with(|m| m.as_ref().map(|m| m.0.clone()).unwrap_or_default())}
            </p>
            <p class="hint" hidden=move || setups.with(|l| !l.is_empty())>
                "No setups saved in this browser yet. Saved setups stay on this device; export them to move them to another."
            </p>
            <ul class="saved-list" aria-label="Saved setups">{rows}</ul>
            <div class="buttons">
                <button type="button" id="setups-export" on:click=export disabled=move || setups.with(Vec::is_empty)>"Export all (JSON)"</button>
                <label for="setups-import">"Import setups (JSON file)"</label>
                <input id="setups-import" type="file" accept=".json,application/json" on:change=import />
            </div>
        </section>
    }
}
