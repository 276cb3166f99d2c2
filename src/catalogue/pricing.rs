//! Published API prices (`data/pricing.json`, compiled in): context tiers, fast tiers and
//! cached-input prices.

use serde::Deserialize;

const PRICING_JSON: &str = include_str!("../../data/pricing.json");

/// A below/above pair of prices, USD per million tokens (`above` may be unpublished).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct TierPrice {
    pub below: f64,
    pub above: Option<f64>,
}

/// A model whose price steps up above an input length.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ContextTier {
    pub provider: String,
    pub model: String,
    /// Input tokens above which the higher price applies.
    pub threshold_input_tokens: f64,
    pub input: TierPrice,
    pub output: TierPrice,
    #[serde(default)]
    pub source: String,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    #[serde(default)]
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

/// Standard and fast prices of one model, USD per million tokens.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct InOut {
    pub input: f64,
    pub output: f64,
}

/// A faster tier sold at a premium.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct SpeedTier {
    pub provider: String,
    pub tier: String,
    pub model: String,
    pub standard: Option<InOut>,
    pub fast: Option<InOut>,
    /// A multiplier stated without prices.
    #[serde(default)]
    pub multiplier_claimed: Option<f64>,
    #[serde(default)]
    pub stated_speed: String,
    #[serde(default)]
    pub source: String,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    #[serde(default)]
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

impl SpeedTier {
    /// Fast ÷ standard output price, or the claimed multiplier; `None` if neither is known.
    pub fn output_multiplier(&self) -> Option<f64> {
        match (&self.standard, &self.fast) {
            (Some(s), Some(f)) if s.output > 0.0 && f.output.is_finite() => {
                Some(f.output / s.output)
            }
            _ => self.multiplier_claimed,
        }
        .filter(|m| m.is_finite() && *m > 0.0)
    }
}

/// The price of input tokens read from a provider's prompt cache beside the uncached price,
/// USD per million tokens, with where and when it was read.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CachedInputPrice {
    pub provider: String,
    pub model: String,
    /// Uncached input, USD per 1M tokens.
    pub input: f64,
    /// Input read from the cache (a cache hit), USD per 1M tokens.
    pub cached_input: f64,
    /// Writing the cache, where priced apart, USD per 1M tokens.
    #[serde(default)]
    pub cache_write: Option<f64>,
    /// Keeping the cache, where priced apart, USD per 1M tokens per hour.
    #[serde(default)]
    pub storage_per_hour: Option<f64>,
    #[serde(default)]
    pub note: String,
    pub source: String,
    /// The date the price was read (YYYY-MM-DD).
    pub read: String,
    #[serde(default)]
    pub confidence: String,
}

impl CachedInputPrice {
    /// The price per 1M input tokens when a fraction `hit` of them come from the cache:
    /// (1 − hit) × input + hit × cached, USD.
    pub fn blended(&self, hit: f64) -> f64 {
        let h = hit.clamp(0.0, 1.0);
        (1.0 - h) * self.input + h * self.cached_input
    }
}

#[derive(Clone, Debug, Deserialize)]
struct Meta {
    as_of: String,
}

/// The whole pricing file.
#[derive(Clone, Debug, Deserialize)]
pub struct Pricing {
    #[serde(rename = "_meta")]
    meta: Meta,
    pub context_tiers: Vec<ContextTier>,
    pub speed_tiers: Vec<SpeedTier>,
    /// Cached-input prices (prompt caching).
    #[serde(default)]
    pub cached_input: Vec<CachedInputPrice>,
}

impl Pricing {
    /// The date the prices were read ("as of").
    pub fn as_of(&self) -> &str {
        &self.meta.as_of
    }
}

/// The compiled-in `data/pricing.json`, parsed once on first use (a unit test fails if it
/// does not parse).
pub fn pricing() -> Result<&'static Pricing, String> {
    static CELL: std::sync::OnceLock<Result<Pricing, String>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(PRICING_JSON).map_err(|e| format!("data/pricing.json: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pricing_parses() {
        let p = pricing().unwrap();
        assert!(!p.as_of().is_empty());
        assert!(p.context_tiers.len() >= 2);
        let gemini = p
            .context_tiers
            .iter()
            .find(|t| t.model == "Gemini 2.5 Pro")
            .unwrap();
        assert_eq!(gemini.threshold_input_tokens, 200_000.0);
        assert_eq!(gemini.output.above, Some(15.0));
        let gpt5 = p.speed_tiers.iter().find(|t| t.model == "GPT-5").unwrap();
        assert!((gpt5.output_multiplier().unwrap() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn every_price_has_a_source_and_read_dates_are_dates() {
        let p = pricing().unwrap();
        let dated = |read: &str| {
            read.is_empty()
                || (read.len() == 10 && read.as_bytes()[4] == b'-' && read.as_bytes()[7] == b'-')
        };
        for t in &p.context_tiers {
            assert!(!t.source.is_empty() && dated(&t.read), "{}", t.model);
            assert!(
                t.input.above.is_none_or(|a| a > t.input.below),
                "{}",
                t.model
            );
        }
        for t in &p.speed_tiers {
            assert!(!t.source.is_empty() && dated(&t.read), "{}", t.model);
        }
        // The 2026-12-01 refresh: GPT-5.5's 272K tier and priority premium, Gemini 3.1
        // Pro's output above 200k.
        let gpt55 = p
            .context_tiers
            .iter()
            .find(|t| t.model == "GPT-5.5")
            .unwrap();
        assert_eq!(gpt55.threshold_input_tokens, 272_000.0);
        assert_eq!(gpt55.output.above, Some(45.0));
        let g31 = p
            .context_tiers
            .iter()
            .find(|t| t.model == "Gemini 3.1 Pro")
            .unwrap();
        assert_eq!(g31.output.above, Some(18.0));
        let prio = p.speed_tiers.iter().find(|t| t.model == "GPT-5.5").unwrap();
        assert!((prio.output_multiplier().unwrap() - 2.5).abs() < 1e-12);
    }

    #[test]
    fn cached_input_prices_are_sourced_dated_and_cheaper() {
        let p = pricing().unwrap();
        assert!(p.cached_input.len() >= 4);
        for c in &p.cached_input {
            assert!(!c.source.is_empty() && c.read.len() == 10, "{}", c.model);
            assert!(
                c.cached_input > 0.0 && c.cached_input < c.input,
                "{}",
                c.model
            );
            assert_eq!(c.blended(0.0), c.input);
            assert_eq!(c.blended(1.0), c.cached_input);
        }
        let sonnet = p
            .cached_input
            .iter()
            .find(|c| c.model == "Claude Sonnet 4.5")
            .unwrap();
        assert!((sonnet.blended(0.5) - 1.65).abs() < 1e-12);
    }
}
