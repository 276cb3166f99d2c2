//! `roofline plan`: the planner on the command line (native only: its options are parsed by
//! `clap`, which the web page does not carry).
//!
//! ```text
//! roofline plan FILE|-|LINK --min-user-tps X --max-ttft Y [--input-tokens N]
//!     [--output-tokens N] [--chips id,id] [--budget USD_PER_M_OUT | --budget-per-hour USD]
//!     [--top N] [--json]
//! ```
//!
//! FILE is a scenario: its model and efficiency settings are planned for; its workload's
//! input and output lengths are the defaults of `--input-tokens` and `--output-tokens`.
//! `--max-ttft` takes seconds, or a number with `ms` or `s`.
#![cfg(not(target_arch = "wasm32"))]

use super::launch::{commands, hf_repo};
use super::{plan_presets, preset_chips, Budget, Candidate, Plan, Targets};
use crate::format;
use crate::scenario::Scenario;

/// The options of `roofline plan`.
#[derive(Clone, Debug, clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct PlanArgs {
    /// The scenario: a JSON file, - for standard input, or a share link
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Tokens per second each user sees, at least
    #[arg(long = "min-user-tps", value_name = "X", value_parser = number)]
    pub min_user_tps: f64,
    /// Time to first token, at most: seconds, or a number with ms or s (800ms)
    #[arg(long, value_name = "SECONDS", value_parser = duration)]
    pub max_ttft: f64,
    /// Prompt length, tokens [default: the scenario's]
    #[arg(long, value_name = "N", value_parser = whole)]
    pub input_tokens: Option<u64>,
    /// Output length, tokens [default: the scenario's]
    #[arg(long, value_name = "N", value_parser = whole)]
    pub output_tokens: Option<u64>,
    /// Only these chips (hardware preset ids, comma-separated)
    #[arg(long, value_name = "ID,ID", value_parser = chip_list)]
    pub chips: Option<ChipList>,
    /// At most this many USD per million output tokens
    #[arg(long, value_name = "USD_PER_M_OUTPUT", value_parser = number, overrides_with = "budget_per_hour")]
    pub budget: Option<f64>,
    /// At most this many USD per hour for all chips
    #[arg(long, value_name = "USD", value_parser = number, overrides_with = "budget")]
    pub budget_per_hour: Option<f64>,
    /// How many setups to list
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = whole_count)]
    pub top: usize,
    /// Print JSON instead of the table
    #[arg(long)]
    pub json: bool,
    /// Also compare with disaggregated prefill and decode pools (the cheaper wins; launch
    /// commands for both pools)
    #[arg(long)]
    pub disaggregated: bool,
}

/// Hardware preset ids, each one known.
#[derive(Clone, Debug, PartialEq)]
pub struct ChipList(pub Vec<String>);

/// Runs `roofline plan` on `scenario`: the text for standard output, or a one-line error
/// (the input is wrong: the command line was already checked when `args` was parsed).
pub fn run(args: &PlanArgs, scenario: &Scenario) -> Result<String, String> {
    let budget = match (args.budget, args.budget_per_hour) {
        (Some(usd), _) => Some(Budget::PerMillionOutputTokens(usd)),
        (None, Some(usd)) => Some(Budget::PerHour(usd)),
        (None, None) => None,
    };
    let targets = Targets {
        min_user_tokens_per_second: args.min_user_tps,
        max_ttft_seconds: args.max_ttft,
        input_tokens: args.input_tokens.unwrap_or(scenario.workload.input_tokens),
        output_tokens: args
            .output_tokens
            .unwrap_or(scenario.workload.output_tokens),
        chips: args.chips.clone().map(|c| c.0),
        budget,
    };
    let t0 = std::time::Instant::now();
    let plan = plan_presets(scenario, &targets).map_err(|e| e.to_string())?;
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let repo = hf_repo(&scenario.model);
    let cmp = args.disaggregated.then(|| {
        super::disagg::compare(
            scenario,
            &targets,
            &preset_chips(),
            &super::SearchSpace::default(),
            &plan,
            &repo,
        )
    });
    if args.json {
        let mut v: serde_json::Value =
            serde_json::from_str(&json_text(&plan, &repo, ms, args.top)?)
                .map_err(|e| format!("cannot write JSON: {e}"))?;
        if let Some(c) = &cmp {
            v["disaggregation"] = serde_json::to_value(c).map_err(|e| e.to_string())?;
        }
        let text =
            serde_json::to_string_pretty(&v).map_err(|e| format!("cannot write JSON: {e}"))?;
        Ok(text + "\n")
    } else {
        let mut out = table(&plan, &repo, ms, args.top);
        if let Some(c) = &cmp {
            out.push_str(&comparison_text(c));
        }
        Ok(out)
    }
}

/// The comparison of co-located and disaggregated setups, for the table output.
fn comparison_text(c: &super::disagg::Comparison) -> String {
    let mut out = String::from("\nCo-located against disaggregated prefill and decode\n");
    out.push_str(&c.why);
    out.push('\n');
    if let Some(l) = &c.launch {
        out.push_str("\nSGLang (prefill, decode, router):\n");
        for cmd in &l.sglang {
            out.push_str(&format!("  {cmd}\n"));
        }
        out.push_str("vLLM (prefill, decode):\n");
        for cmd in &l.vllm {
            out.push_str(&format!("  {cmd}\n"));
        }
        for n in &l.notes {
            out.push_str(&format!("Note: {n}\n"));
        }
    }
    out
}

/// A number as people type it ("1,024", "2.5").
fn number(s: &str) -> Result<f64, String> {
    format::parse_number(s).map_err(|e| format!("{s:?} {e}"))
}

/// A whole number of tokens.
fn whole(s: &str) -> Result<u64, String> {
    format::parse_whole(s)
}

/// A whole number of rows.
fn whole_count(s: &str) -> Result<usize, String> {
    format::parse_whole(s).map(|n| n as usize)
}

/// Seconds, or a number ending in `ms` or `s`.
fn duration(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let (num, scale) = if let Some(x) = t.strip_suffix("ms") {
        (x, 1e-3)
    } else if let Some(x) = t.strip_suffix('s') {
        (x, 1.0)
    } else {
        (t, 1.0)
    };
    number(num).map(|v| v * scale)
}

/// Comma-separated hardware preset ids, each one known.
fn chip_list(s: &str) -> Result<ChipList, String> {
    let list: Vec<String> = s
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let known = preset_chips();
    if let Some(bad) = list.iter().find(|id| !known.iter().any(|c| &c.id == *id)) {
        let ids: Vec<&str> = known.iter().map(|c| c.id.as_str()).collect();
        return Err(format!("unknown chip {bad:?} (known: {})", ids.join(", ")));
    }
    if list.is_empty() {
        return Err("give at least one chip id".into());
    }
    Ok(ChipList(list))
}

fn json_text(plan: &Plan, repo: &str, ms: f64, top: usize) -> Result<String, String> {
    let chosen = plan
        .ranked
        .first()
        .or_else(|| plan.out_of_reach.as_ref().and_then(|o| o.closest.as_ref()));
    let mut shown = plan.clone();
    shown.ranked.truncate(top);
    let value = serde_json::json!({
        "model": plan.model,
        "hf_repo": repo,
        "search_ms": ms,
        "plan": shown,
        "launch": chosen.map(|c| commands(&c.setup, repo)),
    });
    serde_json::to_string_pretty(&value).map_err(|e| format!("cannot write JSON: {e}"))
}

fn row(rank: &str, c: &Candidate) -> String {
    let s = &c.setup;
    format!(
        "{:<5} {:>9} {:>5}  {:<15} {:<5} {:<5} {:<32} {:>6} {:>10} {:>9} {:>11} {:>8}  {}\n",
        rank,
        format::sig(c.cost_per_million_output_tokens, 3),
        s.chips,
        s.chip_id,
        s.weights.name(),
        s.kv_cache.name(),
        s.layout(),
        s.batch,
        format::sig(c.user_tokens_per_second, 3),
        format::seconds(c.ttft_seconds),
        format::sig(c.tokens_per_second, 4),
        format::sig(c.cost_per_hour, 3),
        c.binding
    )
}

fn table(plan: &Plan, repo: &str, ms: f64, top: usize) -> String {
    let t = &plan.targets;
    let mut out = format!(
        "Plan for {} ({repo}): at least {} tok/s per user, first token within {}, {} tokens in, {} out\n",
        plan.model,
        format::sig(t.min_user_tokens_per_second, 3),
        format::seconds(t.max_ttft_seconds),
        t.input_tokens,
        t.output_tokens
    );
    out.push_str(&format!(
        "Searched {} setups ({} evaluations) in {} ms\n\n",
        format::integer(plan.setups as f64),
        format::integer(plan.evaluations as f64),
        format::sig(ms, 3)
    ));
    let header = format!(
        "{:<5} {:>9} {:>5}  {:<15} {:<5} {:<5} {:<32} {:>6} {:>10} {:>9} {:>11} {:>8}  {}\n",
        "rank",
        "$/M out",
        "chips",
        "chip",
        "wts",
        "kv",
        "layout",
        "batch",
        "tok/s/user",
        "TTFT",
        "tok/s",
        "$/h",
        "binding"
    );
    let chosen = if let Some(o) = &plan.out_of_reach {
        out.push_str(&o.message);
        out.push('\n');
        if let Some(c) = &o.closest {
            out.push('\n');
            out.push_str(&header);
            out.push_str(&row("near", c));
        }
        o.closest.as_ref()
    } else {
        out.push_str(&header);
        for (i, c) in plan.ranked.iter().take(top).enumerate() {
            out.push_str(&row(&(i + 1).to_string(), c));
        }
        out.push('\n');
        for (i, c) in plan.ranked.iter().take(top.min(3)).enumerate() {
            out.push_str(&format!("#{}: {}\n", i + 1, c.why));
        }
        plan.ranked.first()
    };
    if let Some(c) = chosen {
        let l = commands(&c.setup, repo);
        out.push_str(&format!("\nLaunch {}:\n", c.setup.label()));
        if let Some(v) = &l.vllm {
            out.push_str(&format!("  vLLM:   {v}\n"));
        }
        if let Some(g) = &l.sglang {
            out.push_str(&format!("  SGLang: {g}\n"));
        }
        for n in &l.notes {
            out.push_str(&format!("  Note: {n}\n"));
        }
    }
    out
}
