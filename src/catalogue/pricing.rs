//! Published API prices (`data/pricing.json`, compiled into tables by build.rs):
//! context tiers, fast tiers and cached-input prices. Each entry's source, confidence and
//! note sit in a table of their own (`source()`, `confidence()`, `note()`), which the page
//! never reads, so its WebAssembly carries only the prices, names and dates it shows.

/// A below/above pair of prices, USD per million tokens (`above` may be unpublished).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TierPrice {
    pub below: f64,
    pub above: Option<f64>,
}

/// A model whose price steps up above an input length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContextTier {
    pub provider: &'static str,
    pub model: &'static str,
    /// Input tokens above which the higher price applies.
    pub threshold_input_tokens: f64,
    pub input: TierPrice,
    pub output: TierPrice,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    pub read: &'static str,
    /// Row in `CONTEXT_TIER_NOTES`.
    notes: usize,
}

/// Standard and fast prices of one model, USD per million tokens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InOut {
    pub input: f64,
    pub output: f64,
}

/// A faster tier sold at a premium.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedTier {
    pub provider: &'static str,
    pub tier: &'static str,
    pub model: &'static str,
    pub standard: Option<InOut>,
    pub fast: Option<InOut>,
    /// A multiplier stated without prices.
    pub multiplier_claimed: Option<f64>,
    pub stated_speed: &'static str,
    /// The date the price was last read (YYYY-MM-DD); empty where it was not re-read.
    pub read: &'static str,
    /// Row in `SPEED_TIER_NOTES`.
    notes: usize,
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
/// USD per million tokens, with when it was read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CachedInputPrice {
    pub provider: &'static str,
    pub model: &'static str,
    /// Uncached input, USD per 1M tokens.
    pub input: f64,
    /// Input read from the cache (a cache hit), USD per 1M tokens.
    pub cached_input: f64,
    /// Writing the cache, where priced apart, USD per 1M tokens.
    pub cache_write: Option<f64>,
    /// Keeping the cache, where priced apart, USD per 1M tokens per hour.
    pub storage_per_hour: Option<f64>,
    /// The date the price was read (YYYY-MM-DD).
    pub read: &'static str,
    /// Row in `CACHED_INPUT_NOTES`.
    notes: usize,
}

impl CachedInputPrice {
    /// The price per 1M input tokens when a fraction `hit` of them come from the cache:
    /// (1 − hit) × input + hit × cached, USD.
    pub fn blended(&self, hit: f64) -> f64 {
        let h = hit.clamp(0.0, 1.0);
        (1.0 - h) * self.input + h * self.cached_input
    }
}

/// Where a price was read, how firmly (`A`, `B`, `C`: the file's `_meta`), and its note.
struct PriceNotes {
    source: &'static str,
    confidence: &'static str,
    note: &'static str,
}

/// The source, confidence and note of entries whose notes sit in `table`.
macro_rules! notes {
    ($ty:ty, $table:ident) => {
        impl $ty {
            /// Where the price was read.
            pub fn source(&self) -> &'static str {
                $table[self.notes].source
            }

            /// How firmly: `A` the vendor's own page, `B` a faithful copy, `C` a claim.
            pub fn confidence(&self) -> &'static str {
                $table[self.notes].confidence
            }

            /// The file's note on the entry ("" where none).
            pub fn note(&self) -> &'static str {
                $table[self.notes].note
            }
        }
    };
}
notes!(ContextTier, CONTEXT_TIER_NOTES);
notes!(SpeedTier, SPEED_TIER_NOTES);
notes!(CachedInputPrice, CACHED_INPUT_NOTES);

/// The whole pricing file.
#[derive(Clone, Debug)]
pub struct Pricing {
    as_of: &'static str,
    pub context_tiers: [ContextTier; CONTEXT_TIERS],
    pub speed_tiers: [SpeedTier; SPEED_TIERS],
    /// Cached-input prices (prompt caching).
    pub cached_input: [CachedInputPrice; CACHED_INPUTS],
}

impl Pricing {
    /// The date the prices were read ("as of").
    pub fn as_of(&self) -> &str {
        self.as_of
    }
}

include!(concat!(env!("OUT_DIR"), "/pricing_data.rs"));

/// The compiled-in `data/pricing.json` (invalid data fails the build, so this is never an
/// error; the `Result` keeps the charts' error path for prices that cannot be read).
pub fn pricing() -> Result<&'static Pricing, String> {
    Ok(&PRICING)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::oracle::{self, parse_pricing, PRICING_JSON};

    /// The generated tables equal the JSON as serde read it, field for field.
    #[test]
    fn generated_prices_equal_the_json_parse() {
        let old = parse_pricing(PRICING_JSON).unwrap();
        let p = pricing().unwrap();
        assert_eq!(old.meta.as_of, p.as_of());
        assert_eq!(old.context_tiers.len(), p.context_tiers.len());
        for (o, n) in old.context_tiers.iter().zip(&p.context_tiers) {
            assert_eq!(
                (
                    o.provider.as_str(),
                    o.model.as_str(),
                    o.threshold_input_tokens
                ),
                (n.provider, n.model, n.threshold_input_tokens)
            );
            assert_eq!(
                (o.input.below, o.input.above),
                (n.input.below, n.input.above)
            );
            assert_eq!(
                (o.output.below, o.output.above),
                (n.output.below, n.output.above)
            );
            assert_eq!(
                (o.source.as_str(), o.read.as_str(), o.confidence.as_str()),
                (n.source(), n.read, n.confidence()),
                "{}",
                o.model
            );
        }
        assert_eq!(old.speed_tiers.len(), p.speed_tiers.len());
        for (o, n) in old.speed_tiers.iter().zip(&p.speed_tiers) {
            let io = |x: &Option<oracle::InOut>| x.as_ref().map(|v| (v.input, v.output));
            let ion = |x: &Option<InOut>| x.map(|v| (v.input, v.output));
            assert_eq!(
                (o.provider.as_str(), o.tier.as_str(), o.model.as_str()),
                (n.provider, n.tier, n.model)
            );
            assert_eq!(
                (io(&o.standard), io(&o.fast)),
                (ion(&n.standard), ion(&n.fast))
            );
            assert_eq!(o.multiplier_claimed, n.multiplier_claimed, "{}", o.model);
            assert_eq!(
                (o.stated_speed.as_str(), o.source.as_str(), o.read.as_str()),
                (n.stated_speed, n.source(), n.read),
                "{}",
                o.model
            );
            assert_eq!(o.confidence, n.confidence(), "{}", o.model);
        }
        assert_eq!(old.cached_input.len(), p.cached_input.len());
        for (o, n) in old.cached_input.iter().zip(&p.cached_input) {
            assert_eq!(
                (
                    o.provider.as_str(),
                    o.model.as_str(),
                    o.input,
                    o.cached_input
                ),
                (n.provider, n.model, n.input, n.cached_input)
            );
            assert_eq!(
                (o.cache_write, o.storage_per_hour),
                (n.cache_write, n.storage_per_hour),
                "{}",
                o.model
            );
            assert_eq!(
                (
                    o.note.as_str(),
                    o.source.as_str(),
                    o.read.as_str(),
                    o.confidence.as_str()
                ),
                (n.note(), n.source(), n.read, n.confidence()),
                "{}",
                o.model
            );
        }
    }

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
            assert!(!t.source().is_empty() && dated(t.read), "{}", t.model);
            assert!(
                t.input.above.is_none_or(|a| a > t.input.below),
                "{}",
                t.model
            );
        }
        for t in &p.speed_tiers {
            assert!(!t.source().is_empty() && dated(t.read), "{}", t.model);
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
            assert!(!c.source().is_empty() && c.read.len() == 10, "{}", c.model);
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
