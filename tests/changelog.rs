//! CHANGELOG.md says true things about the link format: its current version is the code's
//! `LINK_VERSION`, every key the code reads is listed, and the crate version has a section.
//! CONTRIBUTING.md and LICENSE exist and agree with Cargo.toml.

use roofline::scenario::link::{EXTRA_KEYS, KEYS, LINK_VERSION};
use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The "## Link format" section of CHANGELOG.md.
fn link_section(changelog: &str) -> &str {
    let start = changelog
        .find("\n## Link format\n")
        .expect("CHANGELOG.md has no \"## Link format\" section");
    let rest = &changelog[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

#[test]
fn changelog_link_format_version_is_the_codes() {
    let text = read("CHANGELOG.md");
    let section = link_section(&text);
    let line = section
        .lines()
        .find(|l| l.starts_with("Current link format: "))
        .expect("CHANGELOG.md: no \"Current link format: **vN**\" line in the link format section");
    let n: u32 = line["Current link format: ".len()..]
        .trim_start_matches("**v")
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the version in {line:?}"));
    assert_eq!(
        n, LINK_VERSION,
        "CHANGELOG.md says link format v{n}, the code writes v{LINK_VERSION}: record the change in CHANGELOG.md"
    );
}

#[test]
fn changelog_lists_every_link_key() {
    let text = read("CHANGELOG.md");
    let section = link_section(&text);
    let missing: Vec<&str> = KEYS
        .iter()
        .map(|k| k.key)
        .chain(EXTRA_KEYS.iter().copied())
        .filter(|k| !section.contains(&format!("`{k}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "link keys not in CHANGELOG.md's link format section (say when they were added and how links without them are read): {missing:?}"
    );
}

#[test]
fn changelog_has_a_section_for_this_version() {
    let text = read("CHANGELOG.md");
    let v = env!("CARGO_PKG_VERSION");
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("## {v} ")) || l == format!("## {v}")),
        "CHANGELOG.md has no \"## {v}\" section"
    );
}

#[test]
fn license_and_contributing_agree_with_the_manifest() {
    let manifest = read("Cargo.toml");
    assert!(manifest.contains("license = \"MIT\""));
    let license = read("LICENSE");
    assert!(
        license.starts_with("MIT License"),
        "LICENSE is not the MIT licence"
    );
    assert!(license.contains("Copyright (c) 2026 Roofline contributors"));
    let contributing = read("CONTRIBUTING.md");
    for needle in [
        "bash scripts/serve.sh",
        "bash scripts/test.sh",
        "roofline calibrate > docs/calibration.md",
        "tests/fixtures/golden_links.json",
    ] {
        assert!(
            contributing.contains(needle),
            "CONTRIBUTING.md does not mention {needle}"
        );
    }
}
