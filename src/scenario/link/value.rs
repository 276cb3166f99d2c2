//! Values as link text: [`LinkValue`] writes and reads each field type, and the helpers that
//! quote and cut user text in messages.

use super::super::{Attention, DraftModel, DraftShape, Parallelism, Precision, PrefixSharing};

/// The word a link writes for an absent optional value.
pub(super) const NONE: &str = "none";

/// Longest piece of user text quoted in a problem message, in characters.
const QUOTE_CHARS: usize = 40;

/// Largest integer an `f64` holds exactly, 2^53.
const MAX_EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// A field value as link text: `to_link` writes it, `from_link` reads it back (loosely:
/// spaces, `1e3` for integers, any case) or says what is wrong, in plain words.
pub trait LinkValue: Sized {
    /// The text a link writes for this value.
    fn to_link(&self) -> String;
    /// Reads link text; the error is a message about the value.
    fn from_link(v: &str) -> Result<Self, String>;
}

impl LinkValue for String {
    fn to_link(&self) -> String {
        self.clone()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        Ok(v.to_string())
    }
}

impl LinkValue for u64 {
    fn to_link(&self) -> String {
        self.to_string()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        parse_u64(v)
    }
}

impl LinkValue for u32 {
    fn to_link(&self) -> String {
        self.to_string()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        let x = parse_u64(v)?;
        u32::try_from(x).map_err(|_| format!("is too large ({x}); at most {}", u32::MAX))
    }
}

impl LinkValue for f64 {
    fn to_link(&self) -> String {
        fmt_f64(*self)
    }
    fn from_link(v: &str) -> Result<Self, String> {
        let t = v.trim();
        match crate::format::parse_f64(t).ok_or(()) {
            Ok(x) if x.is_finite() => Ok(x),
            Ok(_) => Err(format!("must be a finite number, got {}", quote(t))),
            Err(_) => Err(format!("{} is not a number", quote(t))),
        }
    }
}

impl LinkValue for bool {
    fn to_link(&self) -> String {
        self.to_string()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(format!("must be true or false, got {}", quote(v))),
        }
    }
}

/// `none` (or `null`, `auto`) for `None`.
impl<T: LinkValue> LinkValue for Option<T> {
    fn to_link(&self) -> String {
        match self {
            Some(x) => x.to_link(),
            None => NONE.into(),
        }
    }
    fn from_link(v: &str) -> Result<Self, String> {
        if is_none_word(v) {
            Ok(None)
        } else {
            T::from_link(v).map(Some)
        }
    }
}

impl LinkValue for Attention {
    fn to_link(&self) -> String {
        match self {
            Attention::Gqa => "gqa",
            Attention::Mla => "mla",
        }
        .into()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        match v.trim().to_ascii_lowercase().as_str() {
            "gqa" => Ok(Attention::Gqa),
            "mla" => Ok(Attention::Mla),
            _ => Err(format!("must be gqa or mla, got {}", quote(v))),
        }
    }
}

impl LinkValue for Parallelism {
    fn to_link(&self) -> String {
        match self {
            Parallelism::Tensor => "tensor",
            Parallelism::Expert => "expert",
        }
        .into()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        match v.trim().to_ascii_lowercase().as_str() {
            "tensor" => Ok(Parallelism::Tensor),
            "expert" => Ok(Parallelism::Expert),
            _ => Err(format!("must be tensor or expert, got {}", quote(v))),
        }
    }
}

impl LinkValue for Precision {
    fn to_link(&self) -> String {
        self.name().into()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        Precision::parse(v).ok_or_else(|| {
            let names: Vec<&str> = Precision::ALL.iter().map(|p| p.name()).collect();
            format!("must be one of {}, got {}", names.join(", "), quote(v))
        })
    }
}

impl LinkValue for PrefixSharing {
    fn to_link(&self) -> String {
        self.name().into()
    }
    fn from_link(v: &str) -> Result<Self, String> {
        match v.trim().to_ascii_lowercase().as_str() {
            "private" => Ok(PrefixSharing::Private),
            "shared" => Ok(PrefixSharing::Shared),
            _ => Err(format!("must be private or shared, got {}", quote(v))),
        }
    }
}

/// The prefix of a draft shape written into a link (`shape.l16.d2048…`); preset ids never
/// start with it.
const SHAPE_PREFIX: &str = "shape.";

/// A draft model as link text: its preset id, or its shape as
/// `shape.l<layers>.d<hidden>.ff<ffn>.h<heads>.kv<kv heads>.hd<head dim>.v<vocab>[.tied]`.
impl LinkValue for DraftModel {
    fn to_link(&self) -> String {
        match self {
            DraftModel::Preset(id) => id.clone(),
            DraftModel::Shape(s) => format!(
                "{SHAPE_PREFIX}l{}.d{}.ff{}.h{}.kv{}.hd{}.v{}{}",
                s.layers,
                s.hidden_size,
                s.intermediate_size,
                s.attention_heads,
                s.kv_heads,
                s.head_dim,
                s.vocab_size,
                if s.tied_embeddings { ".tied" } else { "" }
            ),
        }
    }
    fn from_link(v: &str) -> Result<Self, String> {
        let t = v.trim();
        let lower = t.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix(SHAPE_PREFIX) else {
            if t.is_empty() {
                return Err("is empty; give a model preset id or a shape".into());
            }
            return Ok(DraftModel::Preset(t.to_string()));
        };
        let mut shape = DraftShape {
            layers: 0,
            hidden_size: 0,
            intermediate_size: 0,
            attention_heads: 0,
            kv_heads: 0,
            head_dim: 0,
            vocab_size: 0,
            tied_embeddings: false,
        };
        let mut seen: Vec<&str> = Vec::new();
        for part in rest.split('.') {
            if part == "tied" {
                shape.tied_embeddings = true;
                continue;
            }
            // Longest names first: `hd` before `h`, `ff` before `d`.
            let name = ["hd", "kv", "ff", "l", "d", "h", "v"]
                .into_iter()
                .find(|n| part.starts_with(n) && part[n.len()..].bytes().all(|b| b.is_ascii_digit()) && part.len() > n.len())
                .ok_or_else(|| {
                    format!(
                        "has {} in its shape; write shape.l<layers>.d<hidden>.ff<ffn>.h<heads>.kv<kv heads>.hd<head dim>.v<vocab>",
                        quote(part)
                    )
                })?;
            let x = parse_u64(&part[name.len()..])?;
            let small = |x: u64| u32::try_from(x).map_err(|_| format!("is too large ({x})"));
            match name {
                "l" => shape.layers = small(x)?,
                "d" => shape.hidden_size = x,
                "ff" => shape.intermediate_size = x,
                "h" => shape.attention_heads = small(x)?,
                "kv" => shape.kv_heads = small(x)?,
                "hd" => shape.head_dim = x,
                _ => shape.vocab_size = x,
            }
            seen.push(name);
        }
        let missing: Vec<&str> = ["l", "d", "ff", "h", "kv", "hd", "v"]
            .into_iter()
            .filter(|n| !seen.contains(n))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "its shape lacks {} (shape.l<layers>.d<hidden>.ff<ffn>.h<heads>.kv<kv heads>.hd<head dim>.v<vocab>)",
                missing.join(", ")
            ));
        }
        Ok(DraftModel::Shape(shape))
    }
}

/// Shortest text that parses back to exactly `x`: `{}` or `{:e}`, whichever is shorter.
pub fn fmt_f64(x: f64) -> String {
    let plain = format!("{x}");
    let exp = format!("{x:e}");
    if exp.len() < plain.len() {
        exp
    } else {
        plain
    }
}

/// Whether `v` is a word for "no value": `none`, `null` or `auto`, any case.
pub(super) fn is_none_word(v: &str) -> bool {
    let t = v.trim();
    ["none", "null", "auto"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
}

/// Reads a whole number: digits, or a number like `1e3` that is whole and at most 2^53.
pub(super) fn parse_u64(v: &str) -> Result<u64, String> {
    let t = v.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(x);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("is too large, got {}", quote(t)));
    }
    match crate::format::parse_f64(t).ok_or(()) {
        Ok(x) if !x.is_finite() => Err(format!("must be a whole number, got {}", quote(t))),
        Ok(x) if x < 0.0 => Err(format!("must not be negative, got {}", quote(t))),
        Ok(x) if x.fract() != 0.0 => Err(format!("must be a whole number, got {}", quote(t))),
        Ok(x) if x > MAX_EXACT_F64 => Err(format!("is too large, got {}", quote(t))),
        // Whole, non-negative and at most 2^53, so the conversion is exact.
        Ok(x) => Ok(x as u64),
        Err(_) => Err(format!("{} is not a whole number", quote(t))),
    }
}

/// User text for a message: at most [`QUOTE_CHARS`] characters, control characters replaced.
pub(super) fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTE_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// User text in “quotes”, cleaned.
pub(super) fn quote(text: &str) -> String {
    format!("“{}”", clean(text))
}

/// Cuts `s` to at most `max` bytes at a character boundary.
pub(super) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_read_loosely() {
        for x in [
            0.4,
            2.95,
            3.35e12,
            31.2e-12,
            1e-300,
            0.1 + 0.2,
            989.4e12,
            5e-324,
        ] {
            assert_eq!(f64::from_link(&fmt_f64(x)), Ok(x));
        }
        assert_eq!(fmt_f64(3.35e12), "3.35e12");
        assert_eq!(fmt_f64(0.65), "0.65");
        assert_eq!(parse_u64(" 64 "), Ok(64));
        assert_eq!(parse_u64("1e3"), Ok(1000));
        assert!(parse_u64("1.5").unwrap_err().contains("whole"));
        assert!(parse_u64("-3").unwrap_err().contains("negative"));
        assert!(u32::from_link("5000000000").is_err());
        assert!(f64::from_link("inf").is_err());
    }

    #[test]
    fn options_and_choices() {
        assert_eq!(Option::<u64>::from_link(" Auto "), Ok(None));
        assert_eq!(Option::<u64>::from_link("7"), Ok(Some(7)));
        assert_eq!(None::<f64>.to_link(), "none");
        assert_eq!(Attention::from_link("MLA"), Ok(Attention::Mla));
        assert_eq!(Parallelism::Expert.to_link(), "expert");
        assert_eq!(Precision::from_link("fp8"), Ok(Precision::Fp8));
        assert!(bool::from_link("maybe").is_err());
        assert_eq!(
            PrefixSharing::from_link("Shared"),
            Ok(PrefixSharing::Shared)
        );
        assert!(PrefixSharing::from_link("both").is_err());
    }

    #[test]
    fn draft_models_round_trip() {
        let shape = DraftModel::Shape(DraftShape {
            layers: 16,
            hidden_size: 2048,
            intermediate_size: 8192,
            attention_heads: 32,
            kv_heads: 8,
            head_dim: 64,
            vocab_size: 128_256,
            tied_embeddings: true,
        });
        let text = shape.to_link();
        assert_eq!(text, "shape.l16.d2048.ff8192.h32.kv8.hd64.v128256.tied");
        assert_eq!(DraftModel::from_link(&text), Ok(shape));
        let id = DraftModel::Preset("llama-3.1-8b".into());
        assert_eq!(DraftModel::from_link(&id.to_link()), Ok(id));
        assert!(DraftModel::from_link("shape.l16.d2048")
            .unwrap_err()
            .contains("lacks ff"));
        assert!(DraftModel::from_link("shape.l16.x9").is_err());
        assert!(DraftModel::from_link("shape.l99999999999.d1.ff1.h1.kv1.hd1.v1").is_err());
    }
}
