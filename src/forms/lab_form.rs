//! The serving lab's form: the typed text of each field, its defaults (the simulation's),
//! and the parse into a [`SimConfig`] with a message per field.

use super::number::NumberRule;
use super::FieldErrors;
use crate::sim::{LengthDist, SimConfig, MAX_LENGTH, MAX_REQUESTS};

/// How a length distribution's select reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthKind {
    /// One length for every request.
    Fixed,
    /// Uniform between a minimum and a maximum.
    Uniform,
    /// Long-tailed, by median and maximum.
    LogNormal,
}

impl LengthKind {
    /// The select's option value.
    pub fn value(self) -> &'static str {
        match self {
            LengthKind::Fixed => "fixed",
            LengthKind::Uniform => "uniform",
            LengthKind::LogNormal => "lognormal",
        }
    }

    /// From the select's value (anything else reads as long-tailed).
    pub fn from_value(v: &str) -> LengthKind {
        match v {
            "fixed" => LengthKind::Fixed,
            "uniform" => LengthKind::Uniform,
            _ => LengthKind::LogNormal,
        }
    }

    /// The first field's label: "Prompt tokens", "…, minimum" or "…, median".
    pub fn a_label(self, what: &str) -> String {
        match self {
            LengthKind::Fixed => format!("{what} tokens"),
            LengthKind::Uniform => format!("{what} tokens, minimum"),
            LengthKind::LogNormal => format!("{what} tokens, median"),
        }
    }

    /// Whether it has a second field (the maximum).
    pub fn has_max(self) -> bool {
        self != LengthKind::Fixed
    }
}

/// The second field's label: "Prompt tokens, maximum".
pub fn b_label(what: &str) -> String {
    format!("{what} tokens, maximum")
}

/// The typed texts of one length distribution.
#[derive(Clone, Debug, PartialEq)]
pub struct LengthForm {
    /// Which distribution.
    pub kind: LengthKind,
    /// The length, minimum or median, tokens.
    pub a: String,
    /// The maximum, tokens (unused when fixed).
    pub b: String,
}

impl LengthForm {
    /// The texts showing `d`.
    pub fn of(d: &LengthDist) -> LengthForm {
        let (kind, a, b) = match *d {
            LengthDist::Fixed(n) => (LengthKind::Fixed, n, n),
            LengthDist::Uniform { min, max } => (LengthKind::Uniform, min, max),
            LengthDist::LogNormal { median, max, .. } => (LengthKind::LogNormal, median, max),
        };
        LengthForm {
            kind,
            a: a.to_string(),
            b: b.to_string(),
        }
    }
}

/// Which length distribution: the prompts' or the outputs'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthSide {
    /// Prompt lengths.
    Input,
    /// Output lengths.
    Output,
}

impl LengthSide {
    /// The word its labels start with.
    pub fn what(self) -> &'static str {
        match self {
            LengthSide::Input => "Prompt",
            LengthSide::Output => "Output",
        }
    }

    /// The kind select's element id.
    pub fn kind_id(self) -> &'static str {
        match self {
            LengthSide::Input => "lab-in-kind",
            LengthSide::Output => "lab-out-kind",
        }
    }

    /// The kind select's label.
    pub fn kind_label(self) -> &'static str {
        match self {
            LengthSide::Input => "Prompt length distribution",
            LengthSide::Output => "Output length distribution",
        }
    }

    /// Its two text fields: length (or minimum or median), then maximum.
    pub fn fields(self) -> (LabField, LabField) {
        match self {
            LengthSide::Input => (LabField::InputA, LabField::InputB),
            LengthSide::Output => (LabField::OutputA, LabField::OutputB),
        }
    }
}

/// One text field of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabField {
    /// Arrival rate, requests per second.
    Rate,
    /// Requests to simulate.
    Requests,
    /// Prompt length, minimum or median.
    InputA,
    /// Prompt length maximum.
    InputB,
    /// Output length, minimum or median.
    OutputA,
    /// Output length maximum.
    OutputB,
    /// Long tail spread σ.
    Sigma,
    /// KV block size, tokens.
    Block,
    /// Random seed.
    Seed,
    /// Token budget per chunked-prefill step.
    Chunk,
    /// Prefix-cache hit rate, percent of prompt tokens.
    Hit,
}

impl LabField {
    /// Its element id, also its key in [`FieldErrors`].
    pub fn id(self) -> &'static str {
        match self {
            LabField::Rate => "lab-rate",
            LabField::Requests => "lab-requests",
            LabField::InputA => "lab-in-a",
            LabField::InputB => "lab-in-b",
            LabField::OutputA => "lab-out-a",
            LabField::OutputB => "lab-out-b",
            LabField::Sigma => "lab-sigma",
            LabField::Block => "lab-block",
            LabField::Seed => "lab-seed",
            LabField::Chunk => "lab-chunk",
            LabField::Hit => "lab-hit",
        }
    }
}

/// The lab's fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct LabForm {
    /// Arrival rate, requests per second.
    pub rate: String,
    /// Requests to simulate.
    pub requests: String,
    /// Prompt lengths.
    pub input: LengthForm,
    /// Output lengths.
    pub output: LengthForm,
    /// Long tail spread σ (log space), shared by both long-tailed distributions.
    pub sigma: String,
    /// KV block size (paged), tokens.
    pub block: String,
    /// Random seed.
    pub seed: String,
    /// Tokens per chunked-prefill step.
    pub chunk: String,
    /// Prefix-cache hit rate, percent of each prompt's tokens.
    pub hit: String,
}

impl Default for LabForm {
    /// The simulation's defaults ([`SimConfig::default`]).
    fn default() -> Self {
        LabForm::of(&SimConfig::default())
    }
}

/// The hit-rate field: 0 to 100 percent (the configuration holds it as a fraction).
const HIT_RULE: NumberRule = NumberRule {
    min: 0.0,
    max: 100.0,
    ..NumberRule::ANY
};

/// Longest block the form accepts, tokens.
pub const MAX_BLOCK: f64 = 65_536.0;

impl LabForm {
    /// The texts showing `c` (σ from the prompt distribution when long-tailed, else 1).
    pub fn of(c: &SimConfig) -> LabForm {
        let sigma = match (c.input, c.output) {
            (LengthDist::LogNormal { sigma, .. }, _) | (_, LengthDist::LogNormal { sigma, .. }) => {
                sigma
            }
            _ => 1.0,
        };
        LabForm {
            rate: c.arrival_rate.to_string(),
            requests: c.requests.to_string(),
            input: LengthForm::of(&c.input),
            output: LengthForm::of(&c.output),
            sigma: sigma.to_string(),
            block: c.block_size.to_string(),
            seed: c.seed.to_string(),
            chunk: c.chunk_tokens.to_string(),
            hit: HIT_RULE.show(Some(c.prefix_hit_rate * 100.0)),
        }
    }

    /// The same form with the prefix-cache hit rate (percent) a link gave, if any.
    pub fn with_hit(mut self, percent: Option<f64>) -> LabForm {
        if let Some(p) = percent {
            self.hit = NumberRule::ANY.show(Some(p));
        }
        self
    }

    /// The hit rate (percent) to keep in the page's link: the typed one when it is valid
    /// and not 0 (the default).
    pub fn hit_for_link(&self) -> Option<f64> {
        HIT_RULE.value(&self.hit).ok().filter(|&v| v > 0.0)
    }

    /// The same form with the chunk budget a link gave, if any.
    pub fn with_chunk(mut self, chunk: Option<u32>) -> LabForm {
        if let Some(c) = chunk {
            self.chunk = c.to_string();
        }
        self
    }

    /// The chunk budget to keep in the page's link: the typed one when it is not the
    /// default.
    pub fn chunk_for_link(&self) -> Option<u32> {
        crate::format::parse_whole(&self.chunk)
            .ok()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|&v| v != SimConfig::DEFAULT_CHUNK_TOKENS && v >= 1)
    }

    /// The same form with the seed a link gave, if any.
    pub fn with_seed(mut self, seed: Option<u64>) -> LabForm {
        if let Some(s) = seed {
            self.seed = s.to_string();
        }
        self
    }

    /// The text of one field.
    pub fn text(&self, f: LabField) -> &str {
        match f {
            LabField::Rate => &self.rate,
            LabField::Requests => &self.requests,
            LabField::InputA => &self.input.a,
            LabField::InputB => &self.input.b,
            LabField::OutputA => &self.output.a,
            LabField::OutputB => &self.output.b,
            LabField::Sigma => &self.sigma,
            LabField::Block => &self.block,
            LabField::Seed => &self.seed,
            LabField::Chunk => &self.chunk,
            LabField::Hit => &self.hit,
        }
    }

    /// Sets the text of one field.
    pub fn set(&mut self, f: LabField, text: String) {
        let slot = match f {
            LabField::Rate => &mut self.rate,
            LabField::Requests => &mut self.requests,
            LabField::InputA => &mut self.input.a,
            LabField::InputB => &mut self.input.b,
            LabField::OutputA => &mut self.output.a,
            LabField::OutputB => &mut self.output.b,
            LabField::Sigma => &mut self.sigma,
            LabField::Block => &mut self.block,
            LabField::Seed => &mut self.seed,
            LabField::Chunk => &mut self.chunk,
            LabField::Hit => &mut self.hit,
        };
        *slot = text;
    }

    /// One length distribution's texts.
    pub fn length(&self, side: LengthSide) -> &LengthForm {
        match side {
            LengthSide::Input => &self.input,
            LengthSide::Output => &self.output,
        }
    }

    /// One length distribution's texts, to edit.
    pub fn length_mut(&mut self, side: LengthSide) -> &mut LengthForm {
        match side {
            LengthSide::Input => &mut self.input,
            LengthSide::Output => &mut self.output,
        }
    }

    /// Whether σ matters (some distribution is long-tailed).
    pub fn uses_sigma(&self) -> bool {
        self.input.kind == LengthKind::LogNormal || self.output.kind == LengthKind::LogNormal
    }

    /// The seed to keep in the page's link: the typed one when it is not the default.
    pub fn seed_for_link(&self) -> Option<u64> {
        let default = SimConfig::default().seed;
        self.seed
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|&v| v != default)
    }

    /// Parses every field: the configuration, or a message per wrong field (by field id).
    pub fn parse(&self) -> Result<SimConfig, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut take = |f: LabField, r: Result<f64, String>| match r {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert(f.id(), e);
                None
            }
        };
        let length = NumberRule::whole_in(1.0, MAX_LENGTH as f64);
        let rate = take(LabField::Rate, NumberRule::ANY.value(&self.rate));
        let requests = take(
            LabField::Requests,
            NumberRule::whole_in(1.0, MAX_REQUESTS as f64).value(&self.requests),
        );
        let sigma = take(LabField::Sigma, NumberRule::ANY.value(&self.sigma));
        let block = take(
            LabField::Block,
            NumberRule::whole_in(1.0, MAX_BLOCK).value(&self.block),
        );
        let chunk = take(
            LabField::Chunk,
            NumberRule::whole_in(1.0, SimConfig::MAX_CHUNK_TOKENS as f64).value(&self.chunk),
        );
        let hit = take(LabField::Hit, HIT_RULE.value(&self.hit));
        let seed = parse_seed(&self.seed);
        let mut dist = |form: &LengthForm, fa: LabField, fb: LabField| {
            let a = take(fa, length.value(&form.a));
            let b = if form.kind.has_max() {
                take(fb, length.value(&form.b))
            } else {
                Some(0.0)
            };
            let (a, b) = (a? as u32, b? as u32);
            Some(match form.kind {
                LengthKind::Fixed => LengthDist::Fixed(a),
                LengthKind::Uniform => LengthDist::Uniform { min: a, max: b },
                LengthKind::LogNormal => LengthDist::LogNormal {
                    median: a,
                    sigma: sigma.unwrap_or(1.0),
                    max: b,
                },
            })
        };
        let (ia, ib) = LengthSide::Input.fields();
        let (oa, ob) = LengthSide::Output.fields();
        let input = dist(&self.input, ia, ib);
        let output = dist(&self.output, oa, ob);
        let seed = match seed {
            Ok(s) => Some(s),
            Err(e) => {
                errors.insert(LabField::Seed.id(), e);
                None
            }
        };
        let (
            Some(rate),
            Some(requests),
            Some(_),
            Some(block),
            Some(seed),
            Some(input),
            Some(output),
            Some(chunk),
            Some(hit),
        ) = (
            rate, requests, sigma, block, seed, input, output, chunk, hit,
        )
        else {
            return Err(errors);
        };
        let c = SimConfig {
            arrival_rate: rate,
            requests: requests as u32,
            input,
            output,
            block_size: block as u32,
            seed,
            chunk_tokens: chunk as u32,
            prefix_hit_rate: hit / 100.0,
        };
        for p in c.problems() {
            errors
                .entry(problem_field(&p.field).id())
                .or_insert(p.problem);
        }
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(errors)
        }
    }
}

/// A seed: a whole number from 0 to 2⁶⁴ − 1 (commas and underscores ignored).
pub fn parse_seed(raw: &str) -> Result<u64, String> {
    raw.trim()
        .replace([',', '_'], "")
        .parse::<u64>()
        .map_err(|_| format!("must be a whole number from 0 to {}", u64::MAX))
}

/// The field that shows a [`SimConfig::problems`] entry.
fn problem_field(field: &str) -> LabField {
    match field {
        "arrival_rate" => LabField::Rate,
        "requests" => LabField::Requests,
        "block_size" => LabField::Block,
        "chunk_tokens" => LabField::Chunk,
        "prefix_hit_rate" => LabField::Hit,
        "input.sigma" | "output.sigma" => LabField::Sigma,
        "input.max" => LabField::InputB,
        "output.max" => LabField::OutputB,
        f if f.starts_with("input.") => LabField::InputA,
        _ => LabField::OutputA,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_the_default_configuration() {
        let f = LabForm::default();
        assert_eq!((f.rate.as_str(), f.requests.as_str()), ("16", "10000"));
        assert_eq!((f.input.a.as_str(), f.input.b.as_str()), ("512", "8192"));
        assert_eq!((f.output.a.as_str(), f.output.b.as_str()), ("256", "4096"));
        assert_eq!(
            (f.sigma.as_str(), f.block.as_str(), f.seed.as_str()),
            ("1", "16", "42")
        );
        assert_eq!(f.parse(), Ok(SimConfig::default()));
        assert_eq!(f.seed_for_link(), None);
        assert!(f.uses_sigma());
    }

    #[test]
    fn a_link_seed_replaces_the_default_and_travels_back() {
        let f = LabForm::default().with_seed(Some(7));
        assert_eq!(f.seed, "7");
        assert_eq!(f.parse().map(|c| c.seed), Ok(7));
        assert_eq!(f.seed_for_link(), Some(7));
        assert_eq!(LabForm::default().with_seed(None), LabForm::default());
    }

    #[test]
    fn the_hit_rate_is_typed_in_percent_and_travels_back() {
        let f = LabForm::default();
        assert_eq!(f.hit, "0");
        assert_eq!(f.hit_for_link(), None);
        let f = LabForm::default().with_hit(Some(37.5));
        assert_eq!(f.hit, "37.5");
        assert_eq!(f.parse().map(|c| c.prefix_hit_rate), Ok(0.375));
        assert_eq!(f.hit_for_link(), Some(37.5));
        assert_eq!(LabForm::default().with_hit(None), LabForm::default());
        let mut bad = LabForm::default();
        bad.set(LabField::Hit, "120".into());
        let e = bad.parse().unwrap_err();
        assert!(e["lab-hit"].contains("at most 100"), "{e:?}");
        assert_eq!(bad.hit_for_link(), None);
        bad.set(LabField::Hit, "-5".into());
        assert!(bad.parse().unwrap_err()["lab-hit"].contains("negative"));
    }

    #[test]
    fn each_wrong_field_gets_its_message() {
        let mut f = LabForm::default();
        f.set(LabField::Rate, "fast".into());
        f.set(LabField::Requests, "2.5".into());
        f.set(LabField::Block, "0".into());
        f.set(LabField::Seed, "-1".into());
        f.set(LabField::InputB, "".into());
        let e = f.parse().unwrap_err();
        assert!(e["lab-rate"].contains("not a number"));
        assert_eq!(e["lab-requests"], "must be a whole number, got 2.5");
        assert_eq!(e["lab-block"], "must be at least 1, got 0");
        assert!(e["lab-seed"].starts_with("must be a whole number from 0 to"));
        assert_eq!(e["lab-in-b"], "is empty: enter a number");
        assert_eq!(e.len(), 5);
        assert_eq!(f.text(LabField::Rate), "fast");
    }

    #[test]
    fn simulation_problems_land_on_their_fields() {
        let mut f = LabForm::default();
        f.set(LabField::Rate, "0".into());
        f.set(LabField::OutputA, "9000".into());
        let e = f.parse().unwrap_err();
        assert!(e["lab-rate"].contains("above 0"), "{e:?}");
        assert!(e["lab-out-b"].contains("at least the median"), "{e:?}");
    }

    #[test]
    fn fixed_lengths_ignore_the_maximum() {
        let mut f = LabForm::default();
        f.input.kind = LengthKind::from_value("fixed");
        f.output.kind = LengthKind::from_value("uniform");
        f.set(LabField::InputB, "not used".into());
        f.set(LabField::OutputA, "10".into());
        f.set(LabField::OutputB, "20".into());
        let c = f.parse().unwrap();
        assert_eq!(c.input, LengthDist::Fixed(512));
        assert_eq!(c.output, LengthDist::Uniform { min: 10, max: 20 });
        assert!(!f.uses_sigma());
        assert_eq!(LengthForm::of(&c.output), f.output);
        assert_eq!(LengthKind::Fixed.a_label("Prompt"), "Prompt tokens");
        assert_eq!(
            LengthKind::Uniform.a_label("Output"),
            "Output tokens, minimum"
        );
        assert_eq!(
            LengthKind::LogNormal.a_label("Output"),
            "Output tokens, median"
        );
        assert_eq!(b_label("Output"), "Output tokens, maximum");
        assert_eq!(LengthKind::from_value("other").value(), "lognormal");
    }

    #[test]
    fn sides() {
        let mut f = LabForm::default();
        f.length_mut(LengthSide::Output).kind = LengthKind::Fixed;
        assert_eq!(f.length(LengthSide::Output).kind, LengthKind::Fixed);
        assert_eq!(f.length(LengthSide::Input).kind, LengthKind::LogNormal);
        assert_eq!(LengthSide::Input.fields().1.id(), "lab-in-b");
        assert_eq!(LengthSide::Output.kind_id(), "lab-out-kind");
        assert_eq!(LengthSide::Output.what(), "Output");
    }

    #[test]
    fn seeds_accept_separators() {
        assert_eq!(parse_seed(" 1,000_000 "), Ok(1_000_000));
        assert!(parse_seed("1.5").is_err());
    }
}
