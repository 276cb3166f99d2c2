//! Writing a link: the nearest presets, then the keys that differ from them.

use super::super::{HardwareSpec, ModelSpec, Moe, Scenario};
use super::keys::{is_extra_key, KeyGroup, Kind, ENTRIES};
use super::value::{cut, NONE};
use super::{LINK_VERSION, MAX_EXTRA_BYTES, MAX_NAME_BYTES};
use crate::catalogue::presets::{hardware_preset, hardware_presets, model_preset, model_presets};

/// Percent-encodes a key or value: unreserved characters stay, a space becomes `+`, every
/// other byte becomes `%XX`.
pub(super) fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// The (key, value) pairs where `s` differs from `base`, in table order, for one group.
fn diff(s: &Scenario, base: &Scenario, group: KeyGroup) -> Vec<(&'static str, String)> {
    // A model made MoE by the link starts from Moe::EMPTY.
    let moe_base = if s.model.moe.is_some() && base.model.moe.is_none() {
        let mut b = base.clone();
        b.model.moe = Some(Moe::EMPTY);
        Some(b)
    } else {
        None
    };
    let mut out = Vec::new();
    for e in ENTRIES.iter().filter(|e| e.info.group == group) {
        let key = e.info.key;
        let b = match e.kind {
            Kind::MoeSwitch => {
                if s.model.moe.is_none() && base.model.moe.is_some() {
                    out.push((key, NONE.to_string()));
                }
                continue;
            }
            Kind::MoePart if s.model.moe.is_none() => continue,
            Kind::MoePart => moe_base.as_ref().unwrap_or(base),
            Kind::Plain | Kind::Name => base,
        };
        let mut v = (e.get)(s);
        if e.kind == Kind::Name {
            v = cut(&v, MAX_NAME_BYTES).to_string();
        }
        if v != (e.get)(b) {
            out.push((key, v));
        }
    }
    out
}

fn with_model(m: &ModelSpec) -> Scenario {
    Scenario {
        model: m.clone(),
        ..Scenario::default()
    }
}

fn with_hardware(h: &HardwareSpec) -> Scenario {
    Scenario {
        hardware: h.clone(),
        ..Scenario::default()
    }
}

/// The model base for `s`: the requested preset if it exists, else the preset (or the
/// default, `None`) from which the fewest model keys differ; ties go to the earlier preset.
fn model_base(s: &Scenario, requested: Option<&str>) -> Option<&'static str> {
    if let Some(p) = requested.and_then(model_preset) {
        return Some(p.id.as_str());
    }
    let mut best: (usize, Option<&'static str>) =
        (diff(s, &Scenario::default(), KeyGroup::Model).len(), None);
    for p in model_presets() {
        let n = diff(s, &with_model(&p.spec), KeyGroup::Model).len();
        if n <= best.0 && (best.1.is_none() || n < best.0) {
            best = (n, Some(p.id.as_str()));
        }
    }
    best.1
}

/// The hardware base for `s`, chosen like [`model_base`].
fn hardware_base(s: &Scenario, requested: Option<&str>) -> Option<&'static str> {
    if let Some(p) = requested.and_then(hardware_preset) {
        return Some(p.id.as_str());
    }
    let mut best: (usize, Option<&'static str>) = (
        diff(s, &Scenario::default(), KeyGroup::Hardware).len(),
        None,
    );
    for p in hardware_presets() {
        let n = diff(s, &with_hardware(&p.spec), KeyGroup::Hardware).len();
        if n <= best.0 && (best.1.is_none() || n < best.0) {
            best = (n, Some(p.id.as_str()));
        }
    }
    best.1
}

/// The base scenario a link with these preset ids starts from.
pub(super) fn base_scenario(model: Option<&str>, hw: Option<&str>) -> Scenario {
    let mut b = Scenario::default();
    if let Some(p) = model.and_then(model_preset) {
        b.model = p.spec.clone();
    }
    if let Some(p) = hw.and_then(hardware_preset) {
        b.hardware = p.spec.clone();
    }
    b
}

/// The link query (no leading `?`) for `s`: `v=1`, the nearest presets' ids, the keys that
/// differ from them (or from [`Scenario::default`]) in [`super::KEYS`] order, then the
/// `extras` whose keys are in [`super::EXTRA_KEYS`] (others are left out), in the order given.
///
/// For a valid scenario whose names fit [`MAX_NAME_BYTES`], `decode(&encode(s, x)).scenario
/// == *s` with no problems, and the scenario part is under [`super::MAX_LINK_CHARS`]
/// characters.
pub fn encode(s: &Scenario, extras: &[(String, String)]) -> String {
    encode_with_presets(s, None, None, extras)
}

/// As [`encode`], but starts from the given preset ids where they exist (the presets the
/// page shows as chosen) instead of the nearest ones. The scenario decoded is the same.
pub fn encode_with_presets(
    s: &Scenario,
    model: Option<&str>,
    hw: Option<&str>,
    extras: &[(String, String)],
) -> String {
    let model_id = model_base(s, model);
    let hw_id = hardware_base(s, hw);
    let base = base_scenario(model_id, hw_id);
    let mut pairs: Vec<(&str, String)> = vec![("v", LINK_VERSION.to_string())];
    if let Some(id) = model_id {
        pairs.push(("model", id.to_string()));
    }
    if let Some(id) = hw_id {
        pairs.push(("hw", id.to_string()));
    }
    for g in [KeyGroup::Model, KeyGroup::Hardware, KeyGroup::Setup] {
        pairs.extend(diff(s, &base, g));
    }
    let mut out = String::new();
    for (k, v) in &pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        push_encoded(&mut out, v);
    }
    for (k, v) in extras.iter().filter(|(k, _)| is_extra_key(k)) {
        out.push('&');
        out.push_str(k);
        if !v.is_empty() {
            out.push('=');
            push_encoded(&mut out, cut(v, MAX_EXTRA_BYTES));
        }
    }
    out
}
