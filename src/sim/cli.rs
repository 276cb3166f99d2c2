//! `roofline lab`: the serving lab on the command line (native only: its options are parsed
//! by `clap`, which the web page does not carry).
//!
//! ```text
//! roofline lab FILE|-|LINK [--requests N] [--rate R] [--seed S] [--chunk N] [--hit P] [--json]
//! ```
//!
//! Runs the same simulation as the page's serving lab on the scenario (every scheduler on
//! one stream, the lab's default lengths) and prints the page's results table: the same
//! rows, columns and values. `--json` prints every cell's raw value, as the page's
//! `data-value`, so a run can be diffed against the page. A link's `seed`, `chunk` and `hit`
//! are the lab's seed, chunk budget and prefix-cache hit rate (percent), as on the page; the
//! options override them.
#![cfg(not(target_arch = "wasm32"))]

use super::{run as simulate, SimConfig, MAX_REQUESTS};
use crate::format;
use crate::panels::lab::{capacity_line, ran_on, results_json, results_text};
use crate::scenario::Scenario;

/// The options of `roofline lab`.
#[derive(Clone, Debug, clap::Args)]
pub struct LabArgs {
    /// The scenario: a JSON file, - for standard input, or a share link
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Requests to simulate [default: 10000, as the page]
    #[arg(long, value_name = "N", value_parser = whole)]
    pub requests: Option<u64>,
    /// Mean arrivals per second [default: 16, as the page]
    #[arg(long, value_name = "R", value_parser = number)]
    pub rate: Option<f64>,
    /// The stream's seed [default: the link's seed, else 42]
    #[arg(long, value_name = "S", value_parser = whole)]
    pub seed: Option<u64>,
    /// Tokens per chunked-prefill step [default: the link's chunk, else 2048]
    #[arg(long, value_name = "N", value_parser = whole)]
    pub chunk: Option<u64>,
    /// Prefix-cache hit rate, percent of each prompt's tokens [default: the link's hit, else 0]
    #[arg(long, value_name = "P", value_parser = number)]
    pub hit: Option<f64>,
    /// Print every cell's raw value as JSON instead of the table
    #[arg(long)]
    pub json: bool,
}

fn number(s: &str) -> Result<f64, String> {
    format::parse_number(s).map_err(|e| format!("{s:?} {e}"))
}

fn whole(s: &str) -> Result<u64, String> {
    format::parse_whole(s)
}

/// The configuration `args` ask for, from the lab's defaults and the link's `extras`.
pub fn config(args: &LabArgs, extras: &[(String, String)]) -> Result<SimConfig, String> {
    let extra = |k: &str| {
        extras
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
    };
    let d = SimConfig::default();
    let requests = args.requests.unwrap_or(d.requests as u64);
    let chunk = args
        .chunk
        .or_else(|| extra("chunk"))
        .unwrap_or(d.chunk_tokens as u64);
    let c = SimConfig {
        arrival_rate: args.rate.unwrap_or(d.arrival_rate),
        requests: u32::try_from(requests).unwrap_or(u32::MAX),
        seed: args.seed.or_else(|| extra("seed")).unwrap_or(d.seed),
        chunk_tokens: u32::try_from(chunk).unwrap_or(u32::MAX),
        prefix_hit_rate: args
            .hit
            .or_else(|| {
                extras
                    .iter()
                    .find(|(key, _)| key == "hit")
                    .and_then(|(_, v)| v.trim().parse::<f64>().ok())
            })
            .unwrap_or(0.0)
            / 100.0,
        ..d
    };
    if requests > MAX_REQUESTS as u64 {
        return Err(format!(
            "--requests: must be 1 to {MAX_REQUESTS}, got {requests}"
        ));
    }
    match c.problems().first() {
        Some(p) => Err(format!("--{}: {}", option_of(&p.field), p.problem)),
        None => Ok(c),
    }
}

/// The option that sets a configuration field.
fn option_of(field: &str) -> &str {
    match field {
        "arrival_rate" => "rate",
        "chunk_tokens" => "chunk",
        "prefix_hit_rate" => "hit",
        f => f,
    }
}

/// Runs `roofline lab`: the text for standard output, or a one-line error.
pub fn run(
    args: &LabArgs,
    scenario: &Scenario,
    extras: &[(String, String)],
) -> Result<String, String> {
    let c = config(args, extras)?;
    let r = simulate(scenario, &c).map_err(|e| e.to_string())?;
    if args.json {
        return Ok(results_json(scenario, &c, &r));
    }
    Ok(format!(
        "{}\n{}\n\n{}",
        ran_on(scenario, &c),
        capacity_line(&r, &c.block_size.to_string()),
        results_text(&r)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> LabArgs {
        LabArgs {
            file: "-".into(),
            requests: None,
            rate: None,
            seed: None,
            chunk: None,
            hit: None,
            json: false,
        }
    }

    #[test]
    fn defaults_are_the_pages_and_the_link_gives_seed_and_chunk() {
        assert_eq!(config(&args(), &[]), Ok(SimConfig::default()));
        let extras = vec![
            ("seed".to_string(), "7".to_string()),
            ("chunk".to_string(), "512".to_string()),
        ];
        let c = config(&args(), &extras).unwrap();
        assert_eq!((c.seed, c.chunk_tokens), (7, 512));
        let a = LabArgs {
            seed: Some(9),
            requests: Some(100),
            ..args()
        };
        let c = config(&a, &extras).unwrap();
        assert_eq!((c.seed, c.requests, c.chunk_tokens), (9, 100, 512));
        // The hit rate in percent, from the link or the option.
        let extras = vec![("hit".to_string(), "40".to_string())];
        assert_eq!(config(&args(), &extras).unwrap().prefix_hit_rate, 0.4);
        let a = LabArgs {
            hit: Some(25.0),
            ..args()
        };
        assert_eq!(config(&a, &extras).unwrap().prefix_hit_rate, 0.25);
    }

    #[test]
    fn bad_options_name_themselves() {
        let a = LabArgs {
            rate: Some(0.0),
            ..args()
        };
        assert!(config(&a, &[]).unwrap_err().starts_with("--rate: "));
        let b = LabArgs {
            chunk: Some(0),
            ..args()
        };
        assert!(config(&b, &[]).unwrap_err().starts_with("--chunk: "));
        let c = LabArgs {
            requests: Some(0),
            ..args()
        };
        assert!(config(&c, &[]).unwrap_err().starts_with("--requests: "));
        let d = LabArgs {
            hit: Some(150.0),
            ..args()
        };
        assert!(config(&d, &[]).unwrap_err().starts_with("--hit: "));
    }
}
