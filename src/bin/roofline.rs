//! `roofline`: the command-line tool, a thin shell over `roofline::model`.
//!
//! ```text
//! roofline eval FILE|-|LINK                              metrics as one flat JSON object
//! roofline sweep --over batch_size|context_length|chips [--values 1,2,4] FILE|-   CSV
//! roofline presets                                       hardware and model presets
//! roofline import-hf CONFIG.json|-                       a scenario `model` from a HF config
//! roofline tiles [--tokens N] FILE|-                     GEMM tile and wave efficiency, CSV
//! roofline calibrate                                     estimate vs published measurements
//! roofline validate [--json]                              every measurement, estimate, link
//! roofline link FILE|-|LINK                              the share link (query) of a scenario
//! roofline chart NAME FILE|-|LINK [-o OUT.svg] [--width W] [--height H] [--dark] [--csv] [--cmp IDS]
//!                                                        a chart as SVG (or its data as CSV)
//! roofline plan FILE|-|LINK --min-user-tps X --max-ttft Y [...]   the cheapest setups
//! roofline lab FILE|-|LINK [--requests N] [--rate R] [--seed S] [--json]   the serving lab
//! roofline completions bash|zsh|fish|elvish|powershell   a shell completion script
//! roofline COMMAND --help, roofline --version
//! ```
//!
//! A bad input exits 1 with one line on standard error naming the field and the problem, and
//! prints nothing on standard output; a bad command line exits 2, also with one line
//! ([`cli::Exit`]). Nothing panics.
//!
//! The command line is parsed by `clap`, a native-only dependency: built for wasm32 (as
//! `cargo clippy --target wasm32-unknown-unknown --bins` does) this binary is an empty stub.

/// On wasm32 there is no command line: the web app is the `roofline-web` binary.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
#[path = "roofline/usage.rs"]
mod usage;

#[cfg(not(target_arch = "wasm32"))]
#[path = "roofline/points.rs"]
mod points;

#[cfg(not(target_arch = "wasm32"))]
#[path = "roofline/presets.rs"]
mod presets;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use super::points::calibrate_points;
    use super::presets::presets_text;
    use super::usage;
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    use clap::error::ErrorKind;
    use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
    use clap_complete::Shell;
    use roofline::catalogue::hf::model_from_hf_config;
    use roofline::chart::{self, ChartKind, ChartStyle};
    use roofline::format;
    use roofline::metrics;
    use roofline::model::calibration;
    use roofline::model::sweep::{self, Axis, CSV_HEADER};
    use roofline::model::tiles;
    use roofline::model::{evaluate, Evaluation, MetricValue};
    use roofline::planner::cli::PlanArgs;
    use roofline::scenario::link::LINK_VERSION;
    use roofline::scenario::{Scenario, ScenarioError};
    use roofline::sim::cli::LabArgs;
    use std::ffi::OsString;
    use std::io::{Read, Write};
    use std::process::ExitCode;
    use std::sync::LazyLock;

    /// How `roofline` ends: each variant's discriminant is its exit status.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[repr(u8)]
    pub enum Exit {
        /// Done; the output is on standard output.
        Success = 0,
        /// The input (a scenario, a file, a link) is wrong, or reading or writing failed.
        Failed = 1,
        /// The command line is wrong.
        Usage = 2,
    }

    impl From<Exit> for ExitCode {
        fn from(e: Exit) -> Self {
            ExitCode::from(e as u8)
        }
    }

    /// A failure: how the program ends and the one line for standard error.
    pub(crate) struct Failure {
        exit: Exit,
        line: String,
    }

    impl Failure {
        pub(crate) fn input(problem: impl Into<String>) -> Self {
            Failure {
                exit: Exit::Failed,
                line: problem.into(),
            }
        }
    }

    impl From<ScenarioError> for Failure {
        fn from(e: ScenarioError) -> Self {
            Failure::input(e.to_string())
        }
    }

    /// `roofline --version`: the crate's version and the share-link format it reads and writes.
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} (share-link format v{LINK_VERSION})",
            env!("CARGO_PKG_VERSION")
        )
    });

    const EXIT_STATUS: &str = "FILE is a scenario JSON file, - for standard input, or a share link (https://…/?v=1&… or ?v=1&…).\n\nExit status: 0 done; 1 bad input (one line on standard error naming the field), or a failed read or write; 2 bad command line.";

    /// The calculator of LLM inference economics on the command line.
    #[derive(Debug, Parser)]
    #[command(
        name = "roofline",
        version = VERSION.as_str(),
        about = "The physics and economics of serving an LLM: roofline, batching, KV cache, MoE, cost per token.",
        after_help = EXIT_STATUS,
        args_override_self = true
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    /// The scenario argument of most commands.
    #[derive(Clone, Debug, Args)]
    struct Input {
        /// The scenario: a JSON file, - for standard input, or a share link
        #[arg(value_name = "FILE")]
        file: String,
    }

    /// The commands.
    #[derive(Debug, Subcommand)]
    enum Command {
        /// A scenario's metrics as one flat JSON object
        Eval(Input),
        /// One input swept over values: the metrics at each, as CSV
        Sweep(SweepArgs),
        /// The hardware and model presets
        Presets,
        /// A scenario `model` from a Hugging Face config.json (or - for standard input)
        ImportHf {
            /// The config.json, or - for standard input
            #[arg(value_name = "CONFIG.json")]
            config: String,
        },
        /// Each GEMM's tile and wave efficiency on the scenario's chip, as CSV
        Tiles {
            /// Tokens in the pass [default: the decode batch]
            #[arg(long, value_name = "N", value_parser = format::parse_whole)]
            tokens: Option<u64>,
            #[command(flatten)]
            input: Input,
        },
        /// The estimates against published measurements, as a Markdown table; or, with
        /// --points, the efficiencies fitted to your own measured points
        Calibrate {
            /// A CSV of your measurements: batch,context,tps_user,tpot_s,ttft_s,throughput
            /// (header row; any subset of the measured columns; empty cells allowed)
            #[arg(long, value_name = "FILE")]
            points: Option<String>,
            /// The setup the points were measured on (JSON file, - or share link) [default:
            /// the default scenario]
            #[arg(long, value_name = "SCENARIO")]
            scenario: Option<String>,
            /// Print the fit as JSON
            #[arg(long)]
            json: bool,
        },
        /// Every public measurement beside the default estimate and the pure bound
        Validate {
            /// Print the rows as JSON (with each row's share link)
            #[arg(long)]
            json: bool,
            /// Also write the estimate-against-measurement chart to this SVG file
            #[arg(long, value_name = "FILE")]
            svg: Option<String>,
        },
        /// The share link (query string) of a scenario
        Link(Input),
        /// A chart as SVG (the page's drawing code), or its data as CSV
        Chart(ChartArgs),
        /// The cheapest setups that serve the scenario's model at a required speed
        Plan(PlanArgs),
        /// The serving lab: every scheduler on one request stream, the page's results table
        Lab(LabArgs),
        /// A shell completion script, for standard output
        Completions {
            /// The shell
            #[arg(value_name = "SHELL")]
            shell: Shell,
        },
    }

    /// The options of `roofline sweep`.
    #[derive(Clone, Debug, Args)]
    struct SweepArgs {
        /// The input to vary
        #[arg(long, value_name = "AXIS", value_parser = axis_parser())]
        over: Axis,
        /// The values, comma-separated [default: a range that suits the scenario]
        #[arg(long, value_name = "V,V,..", value_parser = whole_list)]
        values: Option<WholeList>,
        #[command(flatten)]
        input: Input,
    }

    /// Whole numbers given as one comma-separated argument.
    #[derive(Clone, Debug)]
    struct WholeList(Vec<u64>);

    /// The options of `roofline chart`.
    #[derive(Clone, Debug, Args)]
    struct ChartArgs {
        /// Which chart
        #[arg(value_name = "CHART", value_parser = chart_parser())]
        chart: ChartKind,
        #[command(flatten)]
        input: Input,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "OUT.svg")]
        output: Option<String>,
        /// Width, pixels (16 to 10000)
        #[arg(long, value_name = "W", default_value_t = 960, value_parser = pixels)]
        width: u32,
        /// Height, pixels (16 to 10000)
        #[arg(long, value_name = "H", default_value_t = 560, value_parser = pixels)]
        height: u32,
        /// The dark theme's colours
        #[arg(long)]
        dark: bool,
        /// The chart's data as CSV instead of the SVG
        #[arg(long)]
        csv: bool,
        /// compare-context: model preset ids drawn beside the current model, comma separated
        /// (a link's `cmp=` is read when this is not given)
        #[arg(long, value_name = "IDS")]
        cmp: Option<String>,
    }

    /// `--over`: one of the sweep axes.
    fn axis_parser() -> impl TypedValueParser<Value = Axis> {
        let axes = [Axis::BatchSize, Axis::ContextLength, Axis::Chips];
        PossibleValuesParser::new(axes.map(Axis::name))
            .try_map(|s: String| Axis::parse(&s).ok_or(format!("unknown axis {s:?}")))
    }

    /// `chart CHART`: one of the charts' ids.
    fn chart_parser() -> impl TypedValueParser<Value = ChartKind> {
        PossibleValuesParser::new(ChartKind::ALL.map(ChartKind::id))
            .try_map(|s: String| ChartKind::from_id(&s).ok_or(format!("unknown chart {s:?}")))
    }

    /// `--values 1,2,4`.
    fn whole_list(v: &str) -> Result<WholeList, String> {
        v.split(',')
            .map(|x| x.trim().parse::<u64>())
            .collect::<Result<Vec<u64>, _>>()
            .map(WholeList)
            .map_err(|_| format!("{v:?} is not a list of whole numbers"))
    }

    /// `--width`, `--height`: whole pixels from 16 to 10000.
    fn pixels(v: &str) -> Result<u32, String> {
        v.parse::<u32>()
            .ok()
            .filter(|n| (16..=10_000).contains(n))
            .ok_or_else(|| format!("must be a whole number of pixels from 16 to 10000, got {v:?}"))
    }

    /// The command line, as parsed by `clap` from [`Cli`].
    fn command() -> clap::Command {
        Cli::command()
    }

    /// Runs `roofline` and ends it: the output on standard output, or one line on standard error.
    pub fn main() -> ExitCode {
        let args: Vec<OsString> = std::env::args_os().collect();
        match run(&args) {
            Ok(out) => {
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (e.g. `| head`) is not an error worth a panic.
                match stdout
                    .write_all(out.as_bytes())
                    .and_then(|_| stdout.flush())
                {
                    Ok(()) => Exit::Success.into(),
                    Err(_) => Exit::Failed.into(),
                }
            }
            Err(f) => {
                // One line, whatever the message held.
                let line = f.line.replace(['\n', '\r'], " ");
                let _ = writeln!(std::io::stderr(), "roofline: {line}");
                f.exit.into()
            }
        }
    }

    /// Parses the command line (program name first) and runs the command: everything it prints
    /// on standard output.
    fn run(args: &[OsString]) -> Result<String, Failure> {
        let mut cmd = command();
        let parsed = cmd
            .try_get_matches_from_mut(args)
            .and_then(|m| Cli::from_arg_matches(&m));
        let cli = match parsed {
            Ok(cli) => cli,
            // `--help`, `help` and `--version` print to standard output and succeed.
            Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
                return Ok(e.to_string())
            }
            Err(e) => {
                return Err(Failure {
                    exit: Exit::Usage,
                    line: usage::one_line(&mut cmd, &e, args),
                })
            }
        };
        match cli.command {
            Command::Eval(input) => {
                let s = read_scenario(&input.file)?;
                let e = evaluate(&s)?;
                Ok(eval_json(&s, &e))
            }
            Command::Sweep(a) => sweep_cmd(&a),
            Command::Presets => Ok(presets_text()),
            Command::ImportHf { config } => {
                let text = read_input(&config)?;
                let name = model_name_from_path(&config);
                let model = model_from_hf_config(&text, &name)
                    .map_err(|e| Failure::input(format!("{config}: {e}")))?;
                let json = serde_json::to_string_pretty(&model)
                    .map_err(|e| Failure::input(format!("model: cannot write JSON: {e}")))?;
                Ok(json + "\n")
            }
            Command::Tiles { tokens, input } => tiles_cmd(tokens, &input.file),
            Command::Calibrate { points: None, .. } => Ok(calibration::markdown_table()?),
            Command::Calibrate {
                points: Some(points),
                scenario,
                json,
            } => calibrate_points(&points, scenario.as_deref(), json),
            Command::Validate { json, svg } => {
                let rows = roofline::validate::validation_rows()?;
                if let Some(path) = svg {
                    let doc = roofline::chart::validation::validation_svg(
                        &rows,
                        960,
                        640,
                        &roofline::chart::ChartStyle::light(),
                    )
                    .map_err(|e| Failure::input(e.to_string()))?;
                    std::fs::write(&path, doc)
                        .map_err(|e| Failure::input(format!("{path}: {e}")))?;
                }
                Ok(if json {
                    format!(
                        "{}\n",
                        serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
                    )
                } else {
                    roofline::validate::validation_table(&rows)
                })
            }
            Command::Link(input) => {
                let s = read_scenario(&input.file)?;
                Ok(format!("?{}\n", roofline::scenario::link::encode(&s, &[])))
            }
            Command::Chart(a) => chart_cmd(&a),
            Command::Plan(a) => {
                let s = read_scenario(&a.file)?;
                roofline::planner::cli::run(&a, &s).map_err(Failure::input)
            }
            Command::Lab(a) => {
                let (s, extras) = read_scenario_and_extras(&a.file)?;
                roofline::sim::cli::run(&a, &s, &extras).map_err(Failure::input)
            }
            Command::Completions { shell } => {
                let mut out = Vec::new();
                clap_complete::generate(shell, &mut command(), "roofline", &mut out);
                String::from_utf8(out).map_err(|e| Failure::input(format!("completions: {e}")))
            }
        }
    }

    /// `roofline chart`: the same drawing code as the page, into SVG (or the chart's data as CSV).
    fn chart_cmd(a: &ChartArgs) -> Result<String, Failure> {
        let (s, extras) = read_scenario_and_extras(&a.input.file)?;
        evaluate(&s)?;
        let cmp = a.cmp.clone().or_else(|| {
            extras
                .iter()
                .find(|(k, _)| k == "cmp")
                .map(|(_, v)| v.clone())
        });
        let (compare, unknown) = roofline::view_params::compare_ids(cmp.as_deref().unwrap_or(""));
        if !unknown.is_empty() {
            eprintln!(
                "roofline: unknown model preset {} left out of the comparison (`roofline presets` lists them)",
                unknown.join(", ")
            );
        }
        let body = if a.csv {
            chart::csv_with(a.chart, &s, &compare).map_err(|e| Failure::input(e.to_string()))?
        } else {
            let mut style = if a.dark {
                ChartStyle::dark()
            } else {
                ChartStyle::light()
            };
            style.compare_models = compare;
            chart::svg(a.chart, &s, a.width, a.height, &style)
                .map_err(|e| Failure::input(e.to_string()))?
        };
        match &a.output {
            Some(file) => {
                std::fs::write(file, body)
                    .map_err(|e| Failure::input(format!("{file}: cannot write: {e}")))?;
                Ok(String::new())
            }
            None => Ok(body),
        }
    }

    pub(crate) fn read_input(path: &str) -> Result<String, Failure> {
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

    /// As [`read_scenario`], with a link's view parameters (`seed=`, `chunk=`); a file has
    /// none.
    fn read_scenario_and_extras(path: &str) -> Result<(Scenario, Vec<(String, String)>), Failure> {
        let text = if is_link(path) {
            path.to_string()
        } else {
            read_input(path)?
        };
        if is_link(&text) {
            let extras = roofline::scenario::link::decode(text.trim()).extras;
            return Ok((scenario_from_link(&text)?, extras));
        }
        Ok((read_scenario(path)?, Vec::new()))
    }

    pub(crate) fn read_scenario(path: &str) -> Result<Scenario, Failure> {
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

    /// A metric's value as JSON: numbers as [`json_number`], text quoted, missing as null.
    fn json_value(v: &MetricValue) -> String {
        match v {
            MetricValue::Number(x) => json_number(*x),
            MetricValue::Text(t) => format!("\"{t}\""),
            MetricValue::Flag(b) => b.to_string(),
            MetricValue::Missing => "null".into(),
        }
    }

    /// One flat JSON object: every metric of the catalogue under its dotted key, SCENARIO.md's
    /// first, in their order.
    fn eval_json(s: &Scenario, e: &Evaluation) -> String {
        let body: Vec<String> = metrics::all()
            .map(|m| format!("  \"{}\": {}", m.key, json_value(&m.read(e, s.chips))))
            .collect();
        format!("{{\n{}\n}}\n", body.join(",\n"))
    }

    /// `roofline sweep`: the metrics at each value of one input, as CSV.
    fn sweep_cmd(a: &SweepArgs) -> Result<String, Failure> {
        let s = read_scenario(&a.input.file)?;
        let values = match &a.values {
            Some(v) => v.0.clone(),
            None => sweep::default_values(&s, a.over),
        };
        let points = sweep::over(&s, a.over, &values)?;
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
    fn tiles_cmd(tokens: Option<u64>, path: &str) -> Result<String, Failure> {
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
}
