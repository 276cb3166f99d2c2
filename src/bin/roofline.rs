//! `roofline`: the command-line tool, a thin shell over `roofline::model`.
//!
//! ```text
//! roofline eval FILE|-|LINK                              metrics as one flat JSON object
//! roofline sweep --over batch_size|context_length|chips [--values 1,2,4] FILE|-   CSV
//! roofline presets                                       hardware and model presets
//! roofline import-hf CONFIG.json|-                       a scenario `model` from a HF config
//! roofline tiles [--tokens N] FILE|-                     GEMM tile and wave efficiency, CSV
//! roofline calibrate                                     estimate vs published measurements
//! roofline link FILE|-|LINK                              the share link (query) of a scenario
//! roofline chart NAME FILE|-|LINK [-o OUT.svg] [--width W] [--height H] [--dark] [--csv]
//!                                                        a chart as SVG (or its data as CSV)
//! ```
//!
//! A bad input exits 1 with one line on standard error naming the field and the problem, and
//! prints nothing on standard output; a bad command line exits 2. Nothing panics.

use roofline::model::calibration;
use roofline::model::hf::model_from_hf_config;
use roofline::model::presets::{hardware_presets, model_presets, Mark};
use roofline::model::sweep::{self, Axis, CSV_HEADER};
use roofline::model::tiles;
use roofline::model::{evaluate, Evaluation, MetricValue};
use roofline::scenario::{Precision, Scenario, ScenarioError};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: roofline eval FILE|- | roofline sweep --over batch_size|context_length|chips [--values V,V,..] FILE|- | roofline presets | roofline import-hf CONFIG.json|- | roofline tiles [--tokens N] FILE|- | roofline calibrate | roofline link FILE|- | roofline chart NAME FILE|- [-o OUT.svg] [--width W] [--height H] [--dark] [--csv]";

/// A failure: exit status and the one line for standard error.
struct Failure {
    code: u8,
    line: String,
}

impl Failure {
    fn usage(problem: impl Into<String>) -> Self {
        Failure {
            code: 2,
            line: format!("{}; {USAGE}", problem.into()),
        }
    }

    fn input(problem: impl Into<String>) -> Self {
        Failure {
            code: 1,
            line: problem.into(),
        }
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::input(e.to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            match stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
            }
        }
        Err(f) => {
            // One line, whatever the message held.
            let line = f.line.replace(['\n', '\r'], " ");
            let _ = writeln!(std::io::stderr(), "roofline: {line}");
            ExitCode::from(f.code)
        }
    }
}

/// Runs one command and returns everything it prints on standard output.
fn run(args: &[String]) -> Result<String, Failure> {
    let Some(cmd) = args.first() else {
        return Err(Failure::usage("no command"));
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "eval" => {
            let path = one_path(rest)?;
            let s = read_scenario(path)?;
            let e = evaluate(&s)?;
            Ok(eval_json(&s, &e))
        }
        "sweep" => sweep_cmd(rest),
        "presets" => {
            if !rest.is_empty() {
                return Err(Failure::usage("presets takes no arguments"));
            }
            Ok(presets_text())
        }
        "import-hf" => {
            let path = one_path(rest)?;
            let text = read_input(path)?;
            let name = model_name_from_path(path);
            let model = model_from_hf_config(&text, &name)
                .map_err(|e| Failure::input(format!("{path}: {e}")))?;
            let json = serde_json::to_string_pretty(&model)
                .map_err(|e| Failure::input(format!("model: cannot write JSON: {e}")))?;
            Ok(json + "\n")
        }
        "tiles" => tiles_cmd(rest),
        "calibrate" => {
            if !rest.is_empty() {
                return Err(Failure::usage("calibrate takes no arguments"));
            }
            Ok(calibration::markdown_table()?)
        }
        "link" => {
            let path = one_path(rest)?;
            let s = read_scenario(path)?;
            Ok(format!("?{}\n", roofline::scenario::link::encode(&s, &[])))
        }
        "chart" => chart_cmd(rest),
        "plan" => roofline::planner::cli::run(rest).map_err(|line| Failure {
            code: if line.ends_with(roofline::planner::cli::USAGE) {
                2
            } else {
                1
            },
            line,
        }),
        "-h" | "--help" | "help" => Ok(format!("{USAGE}\n")),
        other => Err(Failure::usage(format!("unknown command {other:?}"))),
    }
}

/// `roofline chart NAME FILE [-o OUT] [--width W] [--height H] [--dark] [--csv]`: the same
/// drawing code as the page, into SVG (or the chart's data as CSV).
fn chart_cmd(rest: &[String]) -> Result<String, Failure> {
    use roofline::chart::{self, ChartKind, ChartStyle};
    let names = || {
        ChartKind::ALL
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut positional = Vec::new();
    let (mut out, mut width, mut height, mut dark, mut csv) = (None, 960u32, 560u32, false, false);
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Failure::usage(format!("{flag} needs a value")))
        };
        match a.as_str() {
            "-o" | "--output" => out = Some(value("-o")?),
            "--width" | "--height" => {
                let v = value(a)?;
                let n: u32 = v
                    .parse()
                    .ok()
                    .filter(|n| (16..=10_000).contains(n))
                    .ok_or_else(|| {
                        Failure::usage(format!(
                            "{a} must be a whole number of pixels from 16 to 10000, got {v:?}"
                        ))
                    })?;
                if a == "--width" {
                    width = n;
                } else {
                    height = n;
                }
            }
            "--dark" => dark = true,
            "--csv" => csv = true,
            _ => positional.push(a.as_str()),
        }
    }
    let [name, path] = positional[..] else {
        return Err(Failure::usage(format!(
            "chart needs NAME and FILE (charts: {})",
            names()
        )));
    };
    let kind = ChartKind::from_id(name)
        .ok_or_else(|| Failure::usage(format!("unknown chart {name:?} (charts: {})", names())))?;
    let s = read_scenario(path)?;
    evaluate(&s)?;
    let body = if csv {
        chart::csv(kind, &s).map_err(|e| Failure::input(e.to_string()))?
    } else {
        let style = if dark {
            ChartStyle::dark()
        } else {
            ChartStyle::light()
        };
        chart::svg(kind, &s, width, height, &style).map_err(|e| Failure::input(e.to_string()))?
    };
    match out {
        Some(file) => {
            std::fs::write(&file, body)
                .map_err(|e| Failure::input(format!("{file}: cannot write: {e}")))?;
            Ok(String::new())
        }
        None => Ok(body),
    }
}

fn one_path(rest: &[String]) -> Result<&str, Failure> {
    match rest {
        [p] => Ok(p.as_str()),
        [] => Err(Failure::usage("missing FILE (or - for standard input)")),
        _ => Err(Failure::usage("expected exactly one FILE")),
    }
}

fn read_input(path: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| Failure::input(format!("{path}: cannot read: {e}")))?;
    Ok(text)
}

/// A share link: a URL or a bare query string (`?v=1&…`).
fn is_link(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with('?')
}

/// Decodes a share link; any problem with it is an input error (the first one, by key).
fn scenario_from_link(link: &str) -> Result<Scenario, Failure> {
    let decoded = roofline::scenario::link::decode(link.trim());
    match decoded.problems.first() {
        Some(p) => Err(Failure::input(format!("link: {p}"))),
        None => Ok(decoded.scenario),
    }
}

/// The scenario in FILE, in standard input (`-`), or in a share link given in its place.
fn read_scenario(path: &str) -> Result<Scenario, Failure> {
    if is_link(path) {
        return scenario_from_link(path);
    }
    let text = read_input(path)?;
    if is_link(&text) {
        return scenario_from_link(&text);
    }
    Scenario::from_json(&text).map_err(|e| {
        if e.field.is_empty() {
            Failure::input(format!("{path}: not a scenario JSON object: {}", e.problem))
        } else {
            Failure::from(e)
        }
    })
}

/// A name for an imported model: the file's stem, or its folder's name for `config.json`.
fn model_name_from_path(path: &str) -> String {
    let p = std::path::Path::new(path);
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let name = match stem.as_deref() {
        Some("config") | None => p
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
        Some(s) => Some(s.to_string()),
    };
    name.filter(|n| !n.is_empty() && path != "-")
        .unwrap_or_else(|| "imported".into())
}

/// A plain JSON number: whole values below 2^53 without a fraction, non-finite as null.
fn json_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
        format!("{}", v as i64)
    } else {
        serde_json::to_string(&v).unwrap_or_else(|_| "null".into())
    }
}

/// One flat JSON object, dotted keys in SCENARIO.md's order, then a few extras.
fn eval_json(s: &Scenario, e: &Evaluation) -> String {
    let mut fields: Vec<(String, String)> = e
        .metrics()
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                MetricValue::Number(x) => json_number(x),
                MetricValue::Text(t) => format!("\"{t}\""),
                MetricValue::Flag(b) => b.to_string(),
                MetricValue::Missing => "null".into(),
            };
            (k.to_string(), v)
        })
        .collect();
    let extra = [
        ("context_tokens", Some(e.context)),
        (
            "decode.tokens_per_second_per_chip",
            Some(e.decode.tokens_per_second / s.chips as f64),
        ),
        ("decode.latency_seconds", Some(e.decode.latency_seconds)),
        ("decode.experts_touched", Some(e.decode.experts_touched)),
        ("prefill.memory_seconds", Some(e.prefill.memory_seconds)),
        ("prefill.compute_seconds", Some(e.prefill.compute_seconds)),
        (
            "capacity.kv_bytes_per_sequence",
            Some(e.capacity.kv_bytes_per_sequence),
        ),
        ("capacity.usable_bytes", Some(e.capacity.usable_bytes)),
        ("capacity.used_bytes", Some(e.capacity.used_bytes)),
        ("capacity.min_chips", e.capacity.min_chips.map(f64::from)),
        (
            "energy.data_movement_joules_per_token",
            Some(e.energy.data_movement_joules),
        ),
        (
            "energy.arithmetic_joules_per_token",
            Some(e.energy.arithmetic_joules),
        ),
        ("hbm_drain_seconds", Some(e.hbm_drain_seconds)),
        ("kv_crossover_context", e.kv_crossover_context),
    ];
    for (k, v) in extra {
        fields.push((k.into(), v.map_or("null".into(), json_number)));
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v}"))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

fn sweep_cmd(rest: &[String]) -> Result<String, Failure> {
    let mut axis = None;
    let mut values: Option<Vec<u64>> = None;
    let mut path = None;
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "--over" => {
                let v = rest
                    .get(i + 1)
                    .ok_or_else(|| Failure::usage("--over needs a value"))?;
                axis = Some(Axis::parse(v).ok_or_else(|| {
                    Failure::usage(format!(
                        "--over: unknown axis {v:?} (batch_size, context_length or chips)"
                    ))
                })?);
                i += 2;
            }
            "--values" => {
                let v = rest
                    .get(i + 1)
                    .ok_or_else(|| Failure::usage("--values needs a comma-separated list"))?;
                let parsed: Result<Vec<u64>, _> =
                    v.split(',').map(|x| x.trim().parse::<u64>()).collect();
                values = Some(parsed.map_err(|_| {
                    Failure::usage(format!("--values: {v:?} is not a list of whole numbers"))
                })?);
                i += 2;
            }
            p if path.is_none() && (p == "-" || !p.starts_with("--")) => {
                path = Some(p.to_string());
                i += 1;
            }
            other => return Err(Failure::usage(format!("sweep: unexpected {other:?}"))),
        }
    }
    let axis = axis.ok_or_else(|| Failure::usage("sweep needs --over"))?;
    let path = path.ok_or_else(|| Failure::usage("sweep needs a FILE (or -)"))?;
    let s = read_scenario(&path)?;
    let values = values.unwrap_or_else(|| sweep::default_values(&s, axis));
    let points = sweep::over(&s, axis, &values)?;
    let mut out = String::with_capacity(200 * (points.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for p in &points {
        out.push_str(&p.csv_row());
        out.push('\n');
    }
    Ok(out)
}

/// `tiles [--tokens N] FILE`: each GEMM's tile and wave efficiency on the scenario's chip for
/// a pass of N tokens (default: the decode batch), as CSV, then the FLOP-weighted total.
fn tiles_cmd(rest: &[String]) -> Result<String, Failure> {
    let (tokens, path) = match rest {
        [flag, n, path] if flag == "--tokens" => {
            let n = n
                .parse::<u64>()
                .map_err(|_| Failure::usage(format!("--tokens: {n:?} is not a whole number")))?;
            (Some(n), path.as_str())
        }
        [path] => (None, path.as_str()),
        _ => return Err(Failure::usage("tiles takes [--tokens N] FILE")),
    };
    let s = read_scenario(path)?;
    let tokens = tokens.unwrap_or(s.workload.batch_size);
    let gemms = tiles::gemm_efficiencies(&s, tokens)?;
    let mut out = String::from(
        "gemm,m,n,k,count,tile_efficiency_m,tile_efficiency_n,tile_efficiency_k,tiles,waves,wave_efficiency,efficiency,flops\n",
    );
    for g in &gemms {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            g.name,
            g.m,
            g.n,
            g.k,
            g.count,
            g.tile_efficiency_m,
            g.tile_efficiency_n,
            g.tile_efficiency_k,
            g.tiles,
            g.waves,
            g.wave_efficiency,
            g.efficiency,
            g.flops
        ));
    }
    out.push_str(&format!(
        "overall,,,,,,,,,,,{},\n",
        tiles::overall_efficiency(&gemms)
    ));
    Ok(out)
}

fn presets_text() -> String {
    let mut out =
        String::from("# Hardware (id, name, bf16 TFLOP/s, TB/s, GB, link GB/s each way, $/h, W)\n");
    for p in hardware_presets() {
        let h = &p.spec;
        let tf = h
            .peak_flops
            .get(&Precision::Bf16)
            .or_else(|| h.peak_flops.get(&Precision::Fp16))
            .map_or(0.0, |f| f / 1e12);
        let price_mark = p
            .marks
            .iter()
            .find(|m| m.field == "hardware.price_per_hour")
            .map_or("", |m| {
                if m.mark == Mark::Estimated {
                    " (est.)"
                } else {
                    ""
                }
            });
        out.push_str(&format!(
            "{:<16} {:<44} {:>7.1} {:>6.3} {:>5.0} {:>6.0} {:>5.2}{} {:>5.0}\n",
            p.id,
            p.name,
            tf,
            h.memory_bandwidth / 1e12,
            h.memory_capacity / 1e9,
            h.interconnect_bandwidth / 1e9,
            h.price_per_hour,
            price_mark,
            h.power
        ));
    }
    out.push_str("\n# Models (id, name, layers, hidden, total B, active B, max context)\n");
    for p in model_presets() {
        let m = &p.spec;
        out.push_str(&format!(
            "{:<16} {:<44} {:>4} {:>6} {:>7.1} {:>6.1} {:>7}\n",
            p.id,
            p.name,
            m.layers,
            m.hidden_size,
            m.total_params.unwrap_or(0.0) / 1e9,
            m.active_params.unwrap_or(0.0) / 1e9,
            p.max_context
        ));
    }
    out
}
