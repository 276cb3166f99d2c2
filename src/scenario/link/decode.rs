//! Reading a link: split it into pairs, read the version and presets, apply every other key,
//! then repair whatever the whole scenario still rejects.

use super::super::Efficiency;
use super::super::{HardwareSpec, ModelSpec, Precision, Scenario, FORMAT_VERSION};
use super::encode::base_scenario;
use super::keys::{entry, entry_for_field, is_extra_key, key_for_field, Kind};
use super::value::{clean, cut, parse_u64, quote};
use super::{
    LinkExtras, LinkProblem, LinkResult, LINK_VERSION, LONG_QUERY_CHARS, MAX_EXTRA_BYTES,
    MAX_LINK_CHARS, MAX_NAME_BYTES, MAX_PROBLEMS,
};
use crate::catalogue::presets::{hardware_preset, model_preset};

/// The problems found so far: the first [`MAX_PROBLEMS`], then a count of the rest.
struct Problems {
    list: Vec<LinkProblem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, key: &str, problem: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(LinkProblem {
                key: clean(key),
                problem,
            });
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<LinkProblem> {
        if self.more > 0 {
            let n = self.more;
            self.list.push(LinkProblem {
                key: String::new(),
                problem: format!("and {n} more problem{}", if n == 1 { "" } else { "s" }),
            });
        }
        self.list
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes (and `+` → space); errors say what is wrong.
pub(super) fn percent_decode(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let pair = (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                );
                match pair {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 3;
                    }
                    _ => {
                        let end = raw.len().min(i + 3);
                        let bad = raw.get(i..end).unwrap_or("%");
                        return Err(format!(
                            "has invalid percent-encoding {} (% must be followed by two hex digits)",
                            quote(bad)
                        ));
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "is not valid UTF-8 once percent-decoded".to_string())
}

/// The query part of a link, URL or query string: what follows the first `?`, up to `#`.
/// A `?` after the first `=` or `&` is part of a value (`m.name=Why?`), not the start.
pub(super) fn query_part(input: &str) -> &str {
    let t = input.trim();
    let q = match t.find('?') {
        Some(i) if !t[..i].contains(['=', '&']) => &t[i + 1..],
        _ if t.contains("://") && !t.contains('?') => "",
        _ => t,
    };
    match q.find('#') {
        Some(i) => &q[..i],
        None => q,
    }
}

/// Whether `key` is a name key (may be empty, cut to [`MAX_NAME_BYTES`]).
fn is_name_key(key: &str) -> bool {
    entry(key).is_some_and(|e| e.kind == Kind::Name)
}

/// Reads a link: a query string (with or without `?`) or a whole URL (`#…` ignored).
/// Never fails: see the module documentation.
pub fn decode(query: &str) -> LinkResult {
    let mut problems = Problems {
        list: Vec::new(),
        more: 0,
    };
    let q = query_part(query);
    let chars = q.chars().count();
    if chars > LONG_QUERY_CHARS {
        problems.push(
            "",
            format!(
                "the link is {chars} characters long; links this app makes are under {MAX_LINK_CHARS}"
            ),
        );
    }
    let pairs = split_pairs(q, &mut problems);
    let mut taken: Vec<&str> = Vec::new();
    let (model_id, hw_id) = read_link_keys(&pairs, &mut taken, &mut problems);
    let base = base_scenario(model_id.as_deref(), hw_id.as_deref());
    let mut s = base.clone();
    let extras = apply_keys(&pairs, &mut s, &mut taken, &mut problems);
    pure_written_before_the_mechanisms(&mut s, &taken);
    // Whatever the whole scenario still rejects falls back to its base value.
    let scenario = repair(s, &base, &mut problems);
    LinkResult {
        scenario,
        problems: problems.finish(),
        extras,
        model_preset: model_id,
        hardware_preset: hw_id,
    }
}

/// Keys of the efficiency fields that came with the MoE-at-scale mechanisms.
const MECHANISM_KEYS: [&str; 11] = [
    "eff.pf", "eff.attn", "eff.exp", "eff.tile", "eff.dq", "eff.imb", "eff.a2a", "eff.ovl",
    "eff.olat", "eff.req", "eff.seq",
];

/// A link made before the mechanisms existed that set the four efficiency numbers to the
/// pure bound (1, 1, 0, 0) meant the pure bound: it still does, mechanisms off.
fn pure_written_before_the_mechanisms(s: &mut Scenario, taken: &[&str]) {
    let e = &s.efficiency;
    let four = e.compute == 1.0
        && e.bandwidth == 1.0
        && e.step_overhead_seconds == 0.0
        && e.collective_latency_seconds == 0.0;
    if four && !MECHANISM_KEYS.iter().any(|k| taken.contains(k)) {
        s.efficiency = Efficiency::PURE;
    }
}

/// Step 1: the (key, value) pairs, percent-decoded, keys lower case; reports what cannot be
/// read.
fn split_pairs(q: &str, problems: &mut Problems) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let segments: Vec<&str> = q.split('&').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            if i != last && !q.is_empty() {
                problems.push("", "an empty parameter (“&&” or a leading “&”)".into());
            }
            continue;
        }
        let (raw_key, raw_value) = match seg.find('=') {
            Some(j) => (&seg[..j], Some(&seg[j + 1..])),
            None => (*seg, None),
        };
        let key = match percent_decode(raw_key) {
            Ok(k) => k.trim().to_ascii_lowercase(),
            Err(e) => {
                problems.push(raw_key, format!("the key {e}"));
                continue;
            }
        };
        if key.is_empty() {
            problems.push("", format!("a parameter has no name ({})", quote(seg)));
            continue;
        }
        let extra = is_extra_key(&key);
        let value = match raw_value {
            None if extra => String::new(),
            None => {
                problems.push(&key, "has no value (write key=value)".into());
                continue;
            }
            Some(raw) => match percent_decode(raw) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(&key, format!("the value {e}"));
                    continue;
                }
            },
        };
        if value.is_empty() && !extra && !is_name_key(&key) {
            problems.push(&key, "is empty".into());
            continue;
        }
        pairs.push((key, value));
    }
    pairs
}

/// Step 2: the version and the preset ids (known ones only), wherever they are in the link.
fn read_link_keys(
    pairs: &[(String, String)],
    taken: &mut Vec<&str>,
    problems: &mut Problems,
) -> (Option<String>, Option<String>) {
    let mut model_id: Option<String> = None;
    let mut hw_id: Option<String> = None;
    for (key, value) in pairs {
        let key = key.as_str();
        if !matches!(key, "v" | "model" | "hw") {
            continue;
        }
        if taken.contains(&key) {
            problems.push(key, "is given more than once; kept the first value".into());
            continue;
        }
        match key {
            "v" => match parse_u64(value) {
                Ok(v) if v == LINK_VERSION as u64 => taken.push("v"),
                Ok(v) => {
                    taken.push("v");
                    problems.push(
                        key,
                        format!(
                            "link format version {v} is not one this app reads; read as version {LINK_VERSION}, so some parts may be lost"
                        ),
                    );
                }
                Err(e) => problems.push(key, format!("{e}; read as version {LINK_VERSION}")),
            },
            "model" => match model_preset(value.trim()) {
                Some(p) => {
                    taken.push("model");
                    model_id = Some(p.id.clone());
                }
                None => problems.push(
                    key,
                    format!(
                        "unknown model preset {}; starting from {} instead",
                        quote(value),
                        ModelSpec::default().name
                    ),
                ),
            },
            _ => match hardware_preset(value.trim()) {
                Some(p) => {
                    taken.push("hw");
                    hw_id = Some(p.id.clone());
                }
                None => problems.push(
                    key,
                    format!(
                        "unknown hardware preset {}; starting from {} instead",
                        quote(value),
                        HardwareSpec::default().name
                    ),
                ),
            },
        }
    }
    (model_id, hw_id)
}

/// Step 3: every other key in link order: extras are collected, field keys applied to `s`.
fn apply_keys(
    pairs: &[(String, String)],
    s: &mut Scenario,
    taken: &mut Vec<&str>,
    problems: &mut Problems,
) -> LinkExtras {
    let mut extras: LinkExtras = Vec::new();
    for (key, value) in pairs {
        let key = key.as_str();
        if matches!(key, "v" | "model" | "hw") {
            continue;
        }
        if is_extra_key(key) {
            if extras.iter().any(|(k, _)| k == key) {
                problems.push(key, "is given more than once; kept the first value".into());
                continue;
            }
            let v = cut(value, MAX_EXTRA_BYTES);
            if v.len() < value.len() {
                problems.push(
                    key,
                    format!("is longer than {MAX_EXTRA_BYTES} bytes; shortened"),
                );
            }
            extras.push((key.to_string(), v.to_string()));
            continue;
        }
        let Some(e) = entry(key) else {
            problems.push(key, format!("unknown parameter (value {})", quote(value)));
            continue;
        };
        if taken.contains(&e.info.key) {
            problems.push(
                key,
                format!(
                    "is given more than once; kept the first value, ignored {}",
                    quote(value)
                ),
            );
            continue;
        }
        let mut v = value.as_str();
        if e.kind == Kind::Name {
            v = cut(v, MAX_NAME_BYTES);
            if v.len() < value.len() {
                problems.push(
                    key,
                    format!("is longer than {MAX_NAME_BYTES} bytes; shortened"),
                );
            }
        }
        match (e.set)(s, v) {
            Ok(()) => taken.push(e.info.key),
            Err(msg) => problems.push(key, msg),
        }
    }
    extras
}

/// Resets each field [`Scenario::problems`] names to its value in `base` (then the whole
/// model or hardware, then the whole scenario) until the scenario is valid.
fn repair(mut s: Scenario, base: &Scenario, problems: &mut Problems) -> Scenario {
    let mut reported: Vec<String> = Vec::new();
    for _round in 0..4 {
        let errors = s.problems();
        if errors.is_empty() {
            return s;
        }
        for err in errors {
            let key = key_for_field(&err.field).unwrap_or(err.field.as_str());
            let action = reset_field(&mut s, base, &err.field);
            if !reported.contains(&err.field) {
                reported.push(err.field.clone());
                problems.push(key, format!("{}; {action}", err.problem));
            }
        }
    }
    if s.problems().is_empty() {
        return s;
    }
    let fallback = if base.problems().is_empty() {
        base.clone()
    } else {
        Scenario::default()
    };
    problems.push(
        "",
        "the link's settings do not fit together; showing the starting setup instead".into(),
    );
    fallback
}

/// The compute precisions tried, in order, when neither the link's nor the base's is on
/// the chip.
const COMPUTE_FALLBACK: [Precision; 7] = [
    Precision::Bf16,
    Precision::Fp16,
    Precision::Fp8,
    Precision::Int8,
    Precision::Fp32,
    Precision::Fp4,
    Precision::Int4,
];

/// Resets one field to its base value; says what was done.
fn reset_field(s: &mut Scenario, base: &Scenario, field: &str) -> String {
    if field == "version" {
        s.version = FORMAT_VERSION;
        return format!("using version {FORMAT_VERSION}");
    }
    if field == "precision.compute" && !s.hardware.peak_flops.contains_key(&base.precision.compute)
    {
        // The base precision is missing too: take the first the chip has.
        if let Some(p) = COMPUTE_FALLBACK
            .into_iter()
            .find(|p| s.hardware.peak_flops.contains_key(p))
        {
            s.precision.compute = p;
            return format!("using {p}, which this chip has");
        }
    }
    if field == "speculative" || field.starts_with("speculative.") {
        // The presets never speculate: the whole speculation goes back to the start's.
        s.speculative = base.speculative.clone();
        return "speculative decoding stays off, as it starts".into();
    }
    if let Some(e) = entry_for_field(field) {
        if e.kind == Kind::MoePart && base.model.moe.is_none() {
            s.model.moe = None;
            return "the model stays dense, as it starts".into();
        }
        let before = (e.get)(s);
        let value = (e.get)(base);
        if value != before && (e.set)(s, &value).is_ok() {
            let shown = if value.is_empty() {
                "“”".to_string()
            } else {
                clean(&value)
            };
            return format!("using {shown} instead");
        }
    }
    if field == "hardware.peak_flops" {
        s.hardware.peak_flops = base.hardware.peak_flops.clone();
        return "using the starting chip's peak FLOP/s".into();
    }
    // Already at the base value (or no such key): reset the whole part it belongs to.
    if field.starts_with("model") {
        s.model = base.model.clone();
        format!("using the whole model {} instead", clean(&base.model.name))
    } else if field.starts_with("hardware") {
        s.hardware = base.hardware.clone();
        format!(
            "using the whole chip {} instead",
            clean(&base.hardware.name)
        )
    } else {
        "could not be fixed on its own".into()
    }
}

#[cfg(test)]
mod tests {
    use super::super::encode::push_encoded;
    use super::*;

    #[test]
    fn percent_coding() {
        let mut s = String::new();
        push_encoded(&mut s, "a b+c/é<");
        assert_eq!(s, "a+b%2Bc%2F%C3%A9%3C");
        assert_eq!(percent_decode(&s).as_deref(), Ok("a b+c/é<"));
        assert!(percent_decode("%G1").is_err());
        assert!(percent_decode("%").is_err());
        assert!(percent_decode("%FF").is_err());
    }

    #[test]
    fn query_part_of_urls() {
        assert_eq!(query_part("https://x.org/a?b=1#c"), "b=1");
        assert_eq!(query_part("?b=1"), "b=1");
        assert_eq!(query_part("b=1"), "b=1");
        assert_eq!(query_part("https://x.org/a"), "");
        assert_eq!(query_part("batch=8&m.name=Why?"), "batch=8&m.name=Why?");
        assert_eq!(query_part("https://x.org/a?m.name=Why?"), "m.name=Why?");
    }
}
