//! Saved setups as plain data: the store's format (one JSON document with a format name and
//! version, each setup kept as its share link's query), reading a store or an import file,
//! merging an import without losing anything, and the messages for names, full stores,
//! corrupt stores and files that are not setups files. No web dependencies: the page keeps
//! the document in local storage (`ui/saved.rs`), `cargo test` checks the rules here.
//!
//! A setup is stored as its link (`v=1&model=…&batch=96`), not as scenario JSON: links are
//! short, versioned, and old ones keep decoding (golden links), so a saved setup opens with
//! the same numbers after the page's code changes as an old share link does.

use serde::{Deserialize, Serialize};

/// The `format` field of a store and of an exported file.
pub const FORMAT: &str = "roofline-setups";

/// The store format version this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The local storage key of the store.
pub const STORAGE_KEY: &str = "roofline.setups";

/// Where an unreadable store is moved so that nothing is lost when a new one is written.
pub const UNREADABLE_KEY: &str = "roofline.setups.unreadable";

/// Names are cut to at most this many characters.
pub const MAX_NAME_CHARS: usize = 80;

/// At most this many setups are kept (a store of links stays far below storage quotas).
pub const MAX_SETUPS: usize = 500;

/// One saved setup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSetup {
    /// The name the user gave it (unique in a store, 1..=[`MAX_NAME_CHARS`] characters).
    pub name: String,
    /// Its share link's query, without `?` (`v=1&model=…`).
    pub link: String,
}

/// The stored and exported document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupsFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version, [`FORMAT_VERSION`] when written here.
    pub version: u32,
    /// The setups, in the order saved.
    pub setups: Vec<SavedSetup>,
}

impl SetupsFile {
    /// A document of these setups in this code's format.
    pub fn new(setups: Vec<SavedSetup>) -> SetupsFile {
        SetupsFile {
            format: FORMAT.to_string(),
            version: FORMAT_VERSION,
            setups,
        }
    }

    /// The document as pretty JSON (the store and the exported file).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Reads a store or an exported file: the setups, or a message saying why the text is not a
/// setups file of a version this code reads. Never panics.
pub fn parse(text: &str) -> Result<Vec<SavedSetup>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
    let Some(obj) = value.as_object() else {
        return Err("it is not a Roofline setups file (expected a JSON object)".into());
    };
    match obj.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        _ => {
            return Err(format!(
                "it is not a Roofline setups file (no \"format\": \"{FORMAT}\")"
            ))
        }
    }
    let version = obj.get("version").and_then(|v| v.as_u64());
    match version {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(format!(
                "it is format version {v}, newer than this page reads ({FORMAT_VERSION}): open it with a newer Roofline"
            ))
        }
        _ => return Err("its \"version\" is missing or not a format version".into()),
    }
    let file: SetupsFile =
        serde_json::from_value(value).map_err(|e| format!("its setups cannot be read ({e})"))?;
    for (i, s) in file.setups.iter().enumerate() {
        if let Err(e) = check_name(&s.name) {
            return Err(format!("setup {}: {e}", i + 1));
        }
        if s.link.trim().is_empty() {
            return Err(format!("setup {} ({:?}) has no link", i + 1, s.name));
        }
    }
    if file.setups.len() > MAX_SETUPS {
        return Err(format!(
            "it has {} setups, more than the {MAX_SETUPS} kept",
            file.setups.len()
        ));
    }
    Ok(file.setups)
}

/// A trimmed name, or why it cannot be one ("Setup name: …").
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Setup name: enter a name to save the setup under".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "Setup name: at most {MAX_NAME_CHARS} characters (this one has {})",
            name.chars().count()
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("Setup name: no control characters".into());
    }
    Ok(name.to_string())
}

/// Saves `link` under `name`: a new entry at the end, or the entry of that name replaced in
/// place. Returns the new list and whether an entry was replaced.
pub fn save(
    setups: &[SavedSetup],
    name: &str,
    link: &str,
) -> Result<(Vec<SavedSetup>, bool), String> {
    let name = check_name(name)?;
    let mut out = setups.to_vec();
    if let Some(s) = out.iter_mut().find(|s| s.name == name) {
        s.link = link.to_string();
        return Ok((out, true));
    }
    if out.len() >= MAX_SETUPS {
        return Err(format!(
            "{MAX_SETUPS} setups are saved already: delete some first"
        ));
    }
    out.push(SavedSetup {
        name,
        link: link.to_string(),
    });
    Ok((out, false))
}

/// Renames entry `index` to `new_name` (which no other entry may have).
pub fn rename(
    setups: &[SavedSetup],
    index: usize,
    new_name: &str,
) -> Result<Vec<SavedSetup>, String> {
    let name = check_name(new_name)?;
    if index >= setups.len() {
        return Err("that setup is no longer saved".into());
    }
    if setups
        .iter()
        .enumerate()
        .any(|(i, s)| i != index && s.name == name)
    {
        return Err(format!(
            "Setup name: a setup named {name:?} is saved already"
        ));
    }
    let mut out = setups.to_vec();
    out[index].name = name;
    Ok(out)
}

/// Removes entry `index` (an index past the end changes nothing).
pub fn delete(setups: &[SavedSetup], index: usize) -> Vec<SavedSetup> {
    let mut out = setups.to_vec();
    if index < out.len() {
        out.remove(index);
    }
    out
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Setups added under their own name.
    pub added: usize,
    /// Setups added under a new name because another setup already had theirs.
    pub renamed: usize,
    /// Setups left out because the same name already held the same link.
    pub unchanged: usize,
}

impl MergeReport {
    /// One sentence for the page.
    pub fn message(&self) -> String {
        let mut s = format!(
            "Imported {} setup{}",
            self.added + self.renamed,
            if self.added + self.renamed == 1 {
                ""
            } else {
                "s"
            }
        );
        if self.renamed > 0 {
            s.push_str(&format!(
                " ({} under a new name, as their names were taken)",
                self.renamed
            ));
        }
        if self.unchanged > 0 {
            s.push_str(&format!("; {} already saved", self.unchanged));
        }
        s.push('.');
        s
    }
}

/// Adds `incoming` to `existing` without changing or removing any existing entry: a setup
/// whose name is taken by a different link is added as "name (2)", "name (3)", …; one equal
/// to an existing entry is left out.
pub fn merge(
    existing: &[SavedSetup],
    incoming: &[SavedSetup],
) -> Result<(Vec<SavedSetup>, MergeReport), String> {
    let mut out = existing.to_vec();
    let mut report = MergeReport::default();
    for s in incoming {
        if out.iter().any(|e| e == s) {
            report.unchanged += 1;
            continue;
        }
        let name = if out.iter().any(|e| e.name == s.name) {
            report.renamed += 1;
            (2..)
                .map(|n| numbered(&s.name, n))
                .find(|c| out.iter().all(|e| &e.name != c))
                .unwrap_or_default()
        } else {
            report.added += 1;
            s.name.clone()
        };
        out.push(SavedSetup {
            name,
            link: s.link.clone(),
        });
    }
    if out.len() > MAX_SETUPS {
        return Err(format!(
            "together that makes {} setups, more than the {MAX_SETUPS} kept: delete some first",
            out.len()
        ));
    }
    Ok((out, report))
}

/// "name (n)", the name cut so that the whole stays within [`MAX_NAME_CHARS`].
fn numbered(name: &str, n: usize) -> String {
    let suffix = format!(" ({n})");
    let keep = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let base: String = name.chars().take(keep).collect();
    format!("{base}{suffix}")
}

/// The message for a store that cannot be read, saying where its text was kept.
pub fn unreadable_store_message(why: &str, kept: bool) -> String {
    if kept {
        format!(
            "The setups saved in this browser could not be read: {why}. Their text is kept unchanged under the local storage key \"{UNREADABLE_KEY}\"; new setups are saved in a fresh list."
        )
    } else {
        format!(
            "The setups saved in this browser could not be read: {why}. They are left as they are, and saving is off so that nothing overwrites them."
        )
    }
}

/// The message for a write the browser refused (full or unavailable storage).
pub fn write_failed_message(why: &str) -> String {
    format!(
        "The browser did not store the change ({why}); the saved setups are as they were. If its storage is full, export your setups, delete some and try again."
    )
}

/// The message for an import file that cannot be read.
pub fn import_failed_message(file_name: &str, why: &str) -> String {
    format!("Nothing imported from {file_name:?}: {why}. The saved setups are unchanged.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(name: &str, link: &str) -> SavedSetup {
        SavedSetup {
            name: name.into(),
            link: link.into(),
        }
    }

    #[test]
    fn a_file_reads_back_what_was_written() {
        let setups = vec![setup("a", "v=1&batch=8"), setup("b é", "v=1&chips=2")];
        let json = SetupsFile::new(setups.clone()).to_json();
        assert!(
            json.contains("\"format\": \"roofline-setups\"") && json.contains("\"version\": 1")
        );
        assert_eq!(parse(&json), Ok(setups));
        assert_eq!(parse(&SetupsFile::new(vec![]).to_json()), Ok(vec![]));
    }

    #[test]
    fn files_that_are_not_setups_files_say_why() {
        let e = parse("{not json").unwrap_err();
        assert!(e.starts_with("it is not JSON"), "{e}");
        let e = parse("[1, 2]").unwrap_err();
        assert!(e.contains("not a Roofline setups file"), "{e}");
        // A scenario JSON (what `roofline eval` reads) is not a setups file.
        let e = parse(&crate::scenario::Scenario::default().to_json()).unwrap_err();
        assert!(e.contains("no \"format\": \"roofline-setups\""), "{e}");
        let e = parse(r#"{"format":"roofline-setups","version":2,"setups":[]}"#).unwrap_err();
        assert!(
            e.contains("version 2, newer than this page reads (1)"),
            "{e}"
        );
        let e = parse(r#"{"format":"roofline-setups","setups":[]}"#).unwrap_err();
        assert!(e.contains("\"version\" is missing"), "{e}");
        let e = parse(r#"{"format":"roofline-setups","version":1,"setups":[{"name":"x"}]}"#)
            .unwrap_err();
        assert!(e.contains("cannot be read"), "{e}");
        let e = parse(
            r#"{"format":"roofline-setups","version":1,"setups":[{"name":" ","link":"v=1"}]}"#,
        )
        .unwrap_err();
        assert!(e.starts_with("setup 1: Setup name"), "{e}");
        let e =
            parse(r#"{"format":"roofline-setups","version":1,"setups":[{"name":"a","link":""}]}"#)
                .unwrap_err();
        assert!(e.contains("has no link"), "{e}");
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("  H200 fp8 "), Ok("H200 fp8".to_string()));
        assert!(check_name("   ").unwrap_err().starts_with("Setup name:"));
        assert!(check_name(&"x".repeat(MAX_NAME_CHARS)).is_ok());
        let e = check_name(&"x".repeat(MAX_NAME_CHARS + 1)).unwrap_err();
        assert!(e.contains("at most 80 characters (this one has 81)"), "{e}");
        assert!(check_name("a\nb").is_err());
    }

    #[test]
    fn save_adds_or_replaces_by_name() {
        let (one, replaced) = save(&[], "a", "v=1&batch=8").unwrap();
        assert_eq!(one, vec![setup("a", "v=1&batch=8")]);
        assert!(!replaced);
        let (two, _) = save(&one, "b", "v=1&batch=9").unwrap();
        let (again, replaced) = save(&two, " a ", "v=1&batch=10").unwrap();
        assert!(replaced);
        assert_eq!(
            again,
            vec![setup("a", "v=1&batch=10"), setup("b", "v=1&batch=9")]
        );
        assert!(save(&two, "", "v=1").is_err());
        let full: Vec<SavedSetup> = (0..MAX_SETUPS)
            .map(|i| setup(&i.to_string(), "v=1"))
            .collect();
        assert!(save(&full, "one more", "v=1")
            .unwrap_err()
            .contains("delete some"));
        assert!(
            save(&full, "0", "v=1&batch=2").is_ok(),
            "replacing still works when full"
        );
    }

    #[test]
    fn rename_and_delete() {
        let list = vec![setup("a", "v=1"), setup("b", "v=1&batch=2")];
        assert_eq!(rename(&list, 0, "c").unwrap()[0].name, "c");
        assert_eq!(rename(&list, 0, "a").unwrap(), list, "its own name is fine");
        assert!(rename(&list, 0, "b").unwrap_err().contains("saved already"));
        assert!(rename(&list, 5, "z").is_err());
        assert_eq!(delete(&list, 0), vec![setup("b", "v=1&batch=2")]);
        assert_eq!(delete(&list, 9), list);
    }

    #[test]
    fn merge_loses_nothing() {
        let existing = vec![setup("a", "v=1&batch=1"), setup("b", "v=1&batch=2")];
        let incoming = vec![
            setup("a", "v=1&batch=1"),  // same: left out
            setup("b", "v=1&batch=20"), // name taken: "b (2)"
            setup("c", "v=1&batch=3"),  // new
        ];
        let (out, report) = merge(&existing, &incoming).unwrap();
        assert_eq!(&out[..2], &existing[..]);
        assert_eq!(out[2], setup("b (2)", "v=1&batch=20"));
        assert_eq!(out[3], setup("c", "v=1&batch=3"));
        assert_eq!(
            report,
            MergeReport {
                added: 1,
                renamed: 1,
                unchanged: 1
            }
        );
        assert_eq!(
            report.message(),
            "Imported 2 setups (1 under a new name, as their names were taken); 1 already saved."
        );
        // Into an empty store, an import is the file itself.
        let (fresh, r) = merge(&[], &incoming[1..]).unwrap();
        assert_eq!(fresh, incoming[1..].to_vec());
        assert_eq!(r.message(), "Imported 2 setups.");
        // A long taken name is cut to fit its number.
        let long = "x".repeat(MAX_NAME_CHARS);
        let (out, _) = merge(&[setup(&long, "v=1")], &[setup(&long, "v=1&batch=2")]).unwrap();
        assert_eq!(out[1].name.chars().count(), MAX_NAME_CHARS);
        assert!(out[1].name.ends_with(" (2)") && check_name(&out[1].name).is_ok());
        // Too many together: refused, the existing list untouched by the caller.
        let many: Vec<SavedSetup> = (0..MAX_SETUPS)
            .map(|i| setup(&i.to_string(), "v=1"))
            .collect();
        assert!(merge(&many, &[setup("new", "v=1")]).is_err());
    }

    #[test]
    fn messages_name_what_happened() {
        assert!(unreadable_store_message("it is not JSON", true).contains(UNREADABLE_KEY));
        assert!(unreadable_store_message("x", false).contains("saving is off"));
        assert!(write_failed_message("QuotaExceededError").contains("as they were"));
        assert!(import_failed_message("a.json", "it is not JSON").contains("unchanged"));
    }
}
