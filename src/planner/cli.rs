//! `roofline plan`: the planner on the command line.
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

use super::launch::{commands, hf_repo};
use super::{plan_presets, preset_chips, Budget, Candidate, Plan, Targets};
use crate::format;
use crate::scenario::Scenario;
use std::io::Read;

/// The command line; a usage error (exit status 2) ends with it.
pub const USAGE: &str = "usage: roofline plan FILE|- --min-user-tps X --max-ttft SECONDS [--input-tokens N] [--output-tokens N] [--chips id,id] [--budget USD_PER_M_OUTPUT | --budget-per-hour USD] [--top N] [--json]";

/// The parsed command line.
struct Args<'a> {
    path: &'a str,
    min_tps: f64,
    max_ttft: f64,
    input: Option<u64>,
    output: Option<u64>,
    chips: Option<Vec<String>>,
    budget: Option<Budget>,
    top: usize,
    json: bool,
}

/// Runs `roofline plan` with the arguments after `plan`: the text for standard output, or
/// a one-line error (ending with [`USAGE`] when the command line itself is wrong).
pub fn run(args: &[String]) -> Result<String, String> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(format!("{USAGE}\n"));
    }
    let a = parse(args).map_err(|e| format!("{e}; {USAGE}"))?;
    let scenario = read_scenario(a.path)?;
    let targets = Targets {
        min_user_tokens_per_second: a.min_tps,
        max_ttft_seconds: a.max_ttft,
        input_tokens: a.input.unwrap_or(scenario.workload.input_tokens),
        output_tokens: a.output.unwrap_or(scenario.workload.output_tokens),
        chips: a.chips,
        budget: a.budget,
    };
    let t0 = std::time::Instant::now();
    let plan = plan_presets(&scenario, &targets).map_err(|e| e.to_string())?;
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let repo = hf_repo(&scenario.model);
    if a.json {
        Ok(json_text(&plan, &repo, ms, a.top)? + "\n")
    } else {
        Ok(table(&plan, &repo, ms, a.top))
    }
}

fn parse(args: &[String]) -> Result<Args<'_>, String> {
    let mut path: Option<&str> = None;
    let mut min_tps = None;
    let mut max_ttft = None;
    let mut input = None;
    let mut output = None;
    let mut chips: Option<Vec<String>> = None;
    let mut budget = None;
    let mut top = 10usize;
    let mut json = false;
    let mut i = 0;
    let value = |i: usize, flag: &str| -> Result<&str, String> {
        args.get(i + 1)
            .map(|s| s.as_str())
            .ok_or_else(|| format!("{flag} needs a value"))
    };
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--json" => {
                json = true;
                i += 1;
                continue;
            }
            "--min-user-tps" => min_tps = Some(number(value(i, a)?, a)?),
            "--max-ttft" => max_ttft = Some(duration(value(i, a)?)?),
            "--input-tokens" => input = Some(whole(value(i, a)?, a)?),
            "--output-tokens" => output = Some(whole(value(i, a)?, a)?),
            "--top" => top = whole(value(i, a)?, a)? as usize,
            "--budget" => {
                budget = Some(Budget::PerMillionOutputTokens(number(value(i, a)?, a)?));
            }
            "--budget-per-hour" => budget = Some(Budget::PerHour(number(value(i, a)?, a)?)),
            "--chips" => {
                let list: Vec<String> = value(i, a)?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                let known = preset_chips();
                if let Some(bad) = list.iter().find(|id| !known.iter().any(|c| &c.id == *id)) {
                    let ids: Vec<&str> = known.iter().map(|c| c.id.as_str()).collect();
                    return Err(format!(
                        "--chips: unknown chip {bad:?} (known: {})",
                        ids.join(", ")
                    ));
                }
                if list.is_empty() {
                    return Err("--chips: give at least one chip id".into());
                }
                chips = Some(list);
            }
            p if path.is_none() && (p == "-" || !p.starts_with("--")) => {
                path = Some(p);
                i += 1;
                continue;
            }
            other => return Err(format!("plan: unexpected {other:?}")),
        }
        i += 2;
    }
    Ok(Args {
        path: path.ok_or("plan needs a FILE (or -)")?,
        min_tps: min_tps.ok_or("plan needs --min-user-tps")?,
        max_ttft: max_ttft.ok_or("plan needs --max-ttft")?,
        input,
        output,
        chips,
        budget,
        top,
        json,
    })
}

fn number(s: &str, flag: &str) -> Result<f64, String> {
    format::parse_number(s).map_err(|e| format!("{flag}: {s:?} {e}"))
}

fn whole(s: &str, flag: &str) -> Result<u64, String> {
    s.trim()
        .parse::<u64>()
        .map_err(|_| format!("{flag}: {s:?} is not a whole number"))
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
    number(num, "--max-ttft").map(|v| v * scale)
}

fn read_scenario(path: &str) -> Result<Scenario, String> {
    let is_link = |t: &str| {
        let t = t.trim();
        t.starts_with("http://") || t.starts_with("https://") || t.starts_with('?')
    };
    let text = if is_link(path) {
        path.to_string()
    } else if path == "-" {
        let mut t = String::new();
        std::io::stdin()
            .read_to_string(&mut t)
            .map_err(|e| format!("-: cannot read: {e}"))?;
        t
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?
    };
    if is_link(&text) {
        let d = crate::scenario::link::decode(text.trim());
        return match d.problems.first() {
            Some(p) => Err(format!("link: {p}")),
            None => Ok(d.scenario),
        };
    }
    Scenario::from_json(&text).map_err(|e| {
        if e.field.is_empty() {
            format!("{path}: not a scenario JSON object: {}", e.problem)
        } else {
            e.to_string()
        }
    })
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
