//! The serving lab panel: simulates the page's current scenario under static, contiguous
//! and paged batching on one request stream (`crate::sim`), in slices so the page stays
//! responsive, and shows a results table and three charts.
//!
//! The seed starts from a shared link's `seed` parameter when it has one (read here from the
//! address; the link module passes it through in its extras). Links the page writes do not
//! carry the lab's seed yet.

use super::AppState;
use crate::chart::lab::{draw_lab, LabChart};
use crate::chart::ChartStyle;
use crate::format as f;
use crate::format::parse_number;
use crate::sim::{LengthDist, Scheduler, SchedulerReport, Sim, SimConfig, SimReport};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Milliseconds of simulation per slice before yielding to the browser.
const SLICE_MS: f64 = 12.0;
/// Work units per `step_until` call inside a slice (then the clock is checked).
const STEP_BUDGET: u64 = 20_000;

/// One labelled text field of the lab, validated by the panel's parse.
#[component]
fn LabField(
    /// Element id and error key (`lab-rate`).
    id: &'static str,
    label: Signal<String>,
    unit: &'static str,
    text: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hidden: Option<Signal<bool>>,
) -> impl IntoView {
    let err_id = format!("{id}-err");
    let hidden = hidden.unwrap_or_else(|| Signal::derive(|| false));
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some) hidden=move || hidden.get()>
            <label for=id>{move || label.get()}</label>
            <div class="field-row">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    data-lab-field=id
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <span class="unit">{unit}</span>
            </div>
            <p class="error" id=err_id role="alert" data-error-for=id>{move || error.get()}</p>
        </div>
    }
}

/// The texts of one length distribution's inputs.
#[derive(Clone, Copy)]
struct LengthInputs {
    kind: RwSignal<String>,
    a: RwSignal<String>,
    b: RwSignal<String>,
}

impl LengthInputs {
    fn new(kind: &str, a: &str, b: &str) -> Self {
        LengthInputs {
            kind: RwSignal::new(kind.into()),
            a: RwSignal::new(a.into()),
            b: RwSignal::new(b.into()),
        }
    }
}

/// A whole number typed in a field, within `lo..=hi`.
fn whole(raw: &str, lo: f64, hi: f64) -> Result<f64, String> {
    let v = parse_number(raw)?;
    if v.fract() != 0.0 {
        return Err(format!("must be a whole number, got {v}"));
    }
    if v < lo || v > hi {
        return Err(format!(
            "must be {} to {}, got {v}",
            f::sig(lo, 6),
            f::sig(hi, 7)
        ));
    }
    Ok(v)
}

/// Parses the lab's fields; errors keyed by field id.
fn parse_config(
    rate: &str,
    requests: &str,
    input: (&str, &str, &str),
    output: (&str, &str, &str),
    sigma: &str,
    block: &str,
    seed: &str,
) -> Result<SimConfig, BTreeMap<&'static str, String>> {
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    fn take<T>(
        errors: &mut BTreeMap<&'static str, String>,
        id: &'static str,
        r: Result<T, String>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                errors.insert(id, e);
                None
            }
        }
    }
    let max_len = crate::sim::MAX_LENGTH as f64;
    let rate = take(&mut errors, "lab-rate", parse_number(rate));
    let requests = take(
        &mut errors,
        "lab-requests",
        whole(requests, 1.0, crate::sim::MAX_REQUESTS as f64),
    );
    let sigma_v = take(&mut errors, "lab-sigma", parse_number(sigma));
    let block = take(&mut errors, "lab-block", whole(block, 1.0, 65_536.0));
    let seed_v = take(
        &mut errors,
        "lab-seed",
        seed.trim()
            .replace([',', '_'], "")
            .parse::<u64>()
            .map_err(|_| format!("must be a whole number from 0 to {}", u64::MAX)),
    );
    let mut dist = |prefix: &'static str, (kind, a, b): (&str, &str, &str)| {
        let (ida, idb) = if prefix == "in" {
            ("lab-in-a", "lab-in-b")
        } else {
            ("lab-out-a", "lab-out-b")
        };
        let a = take(&mut errors, ida, whole(a, 1.0, max_len));
        let b = if kind == "fixed" {
            Some(0.0)
        } else {
            take(&mut errors, idb, whole(b, 1.0, max_len))
        };
        let (a, b) = (a? as u32, b? as u32);
        Some(match kind {
            "fixed" => LengthDist::Fixed(a),
            "uniform" => LengthDist::Uniform { min: a, max: b },
            _ => LengthDist::LogNormal {
                median: a,
                sigma: sigma_v.unwrap_or(1.0),
                max: b,
            },
        })
    };
    let input_d = dist("in", input);
    let output_d = dist("out", output);
    let (
        Some(rate),
        Some(requests),
        Some(_),
        Some(block),
        Some(seed),
        Some(input_d),
        Some(output_d),
    ) = (rate, requests, sigma_v, block, seed_v, input_d, output_d)
    else {
        return Err(errors);
    };
    let c = SimConfig {
        arrival_rate: rate,
        requests: requests as u32,
        input: input_d,
        output: output_d,
        block_size: block as u32,
        seed,
    };
    for p in c.problems() {
        let id = match p.field.as_str() {
            "arrival_rate" => "lab-rate",
            "requests" => "lab-requests",
            "block_size" => "lab-block",
            "input.sigma" | "output.sigma" => "lab-sigma",
            "input.max" => "lab-in-b",
            "output.max" => "lab-out-b",
            fld if fld.starts_with("input.") => "lab-in-a",
            _ => "lab-out-a",
        };
        errors.entry(id).or_insert(p.problem);
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(errors)
    }
}

/// The seed of a shared link (`?…&seed=7`), if the address has one.
fn link_seed() -> Option<u64> {
    let search = web_sys::window()?.location().search().ok()?;
    if search.trim_start_matches('?').is_empty() {
        return None;
    }
    let r = crate::scenario::link::decode(&search);
    r.extra("seed")?.trim().parse::<u64>().ok()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Resolves on the browser's next task (a zero timeout), letting it paint and handle input.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window()
            .map(|w| w.set_timeout_with_callback(&resolve).is_ok())
            .unwrap_or(false);
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Sizes the canvas to its CSS box × devicePixelRatio and draws lab chart `which`.
fn draw_on(
    canvas: &web_sys::HtmlCanvasElement,
    which: LabChart,
    r: &SimReport,
    style: &ChartStyle,
) -> Result<(), String> {
    let dpr = style.scale;
    let css_w = (canvas.client_width() as f64).max(280.0);
    let css_h = (css_w * 0.62).clamp(320.0, 460.0);
    let area = super::chart_view::canvas_area(canvas, css_w, css_h, dpr, true)?;
    draw_lab(which, &area, r, style).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// One lab chart on a canvas, redrawn when the report or the theme changes.
#[component]
fn LabChartCard(which: LabChart, report: RwSignal<Option<SimReport>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas_ref = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let dark = state.dark.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let base = if dark {
            ChartStyle::dark()
        } else {
            ChartStyle::light()
        };
        let style = base.with_scale(super::chart_view::device_pixel_ratio());
        let result = report.with(|r| match r {
            Some(r) => draw_on(&canvas, which, r, &style).map(|_| true),
            None => Ok(false),
        });
        match result {
            Ok(drawn) => {
                error.set(None);
                if drawn {
                    let n = canvas
                        .get_attribute("data-drawn")
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0);
                    let _ = canvas.set_attribute("data-drawn", &(n + 1).to_string());
                }
            }
            Err(e) => error.set(Some(e)),
        }
    });
    view! {
        <figure class="card chart" data-chart-card=which.id()>
            <canvas node_ref=canvas_ref data-chart=which.id() role="img" aria-label=which.title()></canvas>
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
        </figure>
    }
}

/// One row of the results table: key, label, raw value, shown value.
struct Row {
    key: &'static str,
    label: &'static str,
    raw: fn(&SchedulerReport) -> String,
    shown: fn(&SchedulerReport) -> String,
}

const ROWS: &[Row] = &[
    Row {
        key: "throughput_tokens_per_second",
        label: "Throughput",
        raw: |x| x.throughput_tokens_per_second.to_string(),
        shown: |x| f::tokens_per_second(x.throughput_tokens_per_second),
    },
    Row {
        key: "ttft_p50",
        label: "TTFT median",
        raw: |x| x.ttft.p50.to_string(),
        shown: |x| f::seconds(x.ttft.p50),
    },
    Row {
        key: "ttft_p95",
        label: "TTFT p95",
        raw: |x| x.ttft.p95.to_string(),
        shown: |x| f::seconds(x.ttft.p95),
    },
    Row {
        key: "ttft_p99",
        label: "TTFT p99",
        raw: |x| x.ttft.p99.to_string(),
        shown: |x| f::seconds(x.ttft.p99),
    },
    Row {
        key: "tpot_p50",
        label: "TPOT median",
        raw: |x| x.tpot.p50.to_string(),
        shown: |x| f::seconds(x.tpot.p50),
    },
    Row {
        key: "tpot_p95",
        label: "TPOT p95",
        raw: |x| x.tpot.p95.to_string(),
        shown: |x| f::seconds(x.tpot.p95),
    },
    Row {
        key: "tpot_p99",
        label: "TPOT p99",
        raw: |x| x.tpot.p99.to_string(),
        shown: |x| f::seconds(x.tpot.p99),
    },
    Row {
        key: "cost_per_million_output_tokens",
        label: "Cost per 1M output tokens",
        raw: |x| x.cost_per_million_output_tokens.to_string(),
        shown: |x| f::usd(x.cost_per_million_output_tokens),
    },
    Row {
        key: "mean_running",
        label: "Requests served at once (mean)",
        raw: |x| x.mean_running.to_string(),
        shown: |x| f::sig(x.mean_running, 3),
    },
    Row {
        key: "peak_running",
        label: "Requests served at once (peak)",
        raw: |x| x.peak_running.to_string(),
        shown: |x| f::integer(x.peak_running as f64),
    },
    Row {
        key: "mean_waiting",
        label: "Requests waiting (mean)",
        raw: |x| x.mean_waiting.to_string(),
        shown: |x| f::sig(x.mean_waiting, 3),
    },
    Row {
        key: "mean_kv_used_bytes",
        label: "KV holding tokens (mean)",
        raw: |x| x.mean_kv_used_bytes.to_string(),
        shown: |x| f::bytes(x.mean_kv_used_bytes),
    },
    Row {
        key: "mean_kv_wasted_bytes",
        label: "KV reserved but empty (mean)",
        raw: |x| x.mean_kv_wasted_bytes.to_string(),
        shown: |x| f::bytes(x.mean_kv_wasted_bytes),
    },
    Row {
        key: "preemptions",
        label: "Preemptions",
        raw: |x| x.preemptions.to_string(),
        shown: |x| f::integer(x.preemptions as f64),
    },
    Row {
        key: "makespan_seconds",
        label: "Last token at",
        raw: |x| x.makespan_seconds.to_string(),
        shown: |x| f::seconds(x.makespan_seconds),
    },
    Row {
        key: "output_tokens",
        label: "Output tokens",
        raw: |x| x.output_tokens.to_string(),
        shown: |x| f::integer(x.output_tokens as f64),
    },
];

fn results_table(r: &SimReport) -> impl IntoView {
    let head = Scheduler::ALL
        .iter()
        .map(|s| view! { <th scope="col">{s.name()}</th> })
        .collect_view();
    let rows = ROWS
        .iter()
        .map(|row| {
            let cells = Scheduler::ALL
                .iter()
                .map(|&s| {
                    let (raw, shown) = r
                        .get(s)
                        .map(|x| ((row.raw)(x), (row.shown)(x)))
                        .unwrap_or_default();
                    view! {
                        <td data-metric=format!("lab.{}.{}", s.id(), row.key) data-value=raw>{shown}</td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="compare" data-lab-results="">
            <thead><tr><th scope="col">"Metric"</th>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The serving lab.
#[component]
pub fn ServingLab() -> impl IntoView {
    let state = expect_context::<AppState>();
    let d = SimConfig::default();
    let rate = RwSignal::new(d.arrival_rate.to_string());
    let requests = RwSignal::new(d.requests.to_string());
    let input = LengthInputs::new("lognormal", "512", "8192");
    let output = LengthInputs::new("lognormal", "256", "4096");
    let sigma = RwSignal::new("1".to_string());
    let block = RwSignal::new(d.block_size.to_string());
    let seed = RwSignal::new(link_seed().unwrap_or(d.seed).to_string());
    // A seed other than the default travels in the page's link.
    let default_seed = d.seed;
    Effect::new(move |_| {
        let v = seed
            .get()
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|&v| v != default_seed);
        state.lab_seed.set(v);
    });

    let parsed = Memo::new(move |_| {
        let (ik, ia, ib) = (input.kind.get(), input.a.get(), input.b.get());
        let (ok, oa, ob) = (output.kind.get(), output.a.get(), output.b.get());
        parse_config(
            &rate.get(),
            &requests.get(),
            (&ik, &ia, &ib),
            (&ok, &oa, &ob),
            &sigma.get(),
            &block.get(),
            &seed.get(),
        )
    });
    let err = move |id: &'static str| {
        Signal::derive(move || parsed.with(|p| p.as_ref().err().and_then(|m| m.get(id).cloned())))
    };

    let running = RwSignal::new(false);
    let progress = RwSignal::new(0.0f64);
    let report = RwSignal::new(None::<SimReport>);
    let run_error = RwSignal::new(None::<String>);
    let elapsed_ms = RwSignal::new(None::<f64>);
    let compute_ms = RwSignal::new(None::<f64>);
    let ran_on = RwSignal::new(String::new());
    let has_report = Memo::new(move |_| report.with(Option::is_some));

    let on_run = move |_| {
        if running.get_untracked() {
            return;
        }
        let Ok(config) = parsed.get_untracked() else {
            run_error.set(Some("Fix the fields marked above first.".into()));
            return;
        };
        let scenario = state.scenario.get_untracked();
        let mut sim = match Sim::new(&scenario, &config) {
            Ok(s) => s,
            Err(e) => {
                run_error.set(Some(e.to_string()));
                return;
            }
        };
        run_error.set(None);
        running.set(true);
        progress.set(0.0);
        ran_on.set(format!(
            "{} on {} × {}, {} requests at {}/s, seed {}",
            scenario.model.name,
            scenario.chips,
            scenario.hardware.name,
            f::integer(config.requests as f64),
            f::sig(config.arrival_rate, 3),
            config.seed
        ));
        leptos::task::spawn_local(async move {
            let t0 = now_ms();
            // Time spent simulating, without the browser's turns between slices.
            let mut busy = 0.0;
            loop {
                let slice_start = now_ms();
                let mut done = false;
                while !done && now_ms() - slice_start < SLICE_MS {
                    done = sim.step_until(STEP_BUDGET);
                }
                busy += now_ms() - slice_start;
                progress.set(sim.progress());
                if done {
                    break;
                }
                next_task().await;
            }
            let finish_start = now_ms();
            let r = sim.finish();
            busy += now_ms() - finish_start;
            compute_ms.set(Some(busy));
            elapsed_ms.set(Some(now_ms() - t0));
            report.set(Some(r));
            progress.set(1.0);
            running.set(false);
        });
    };

    let lab_state = move || {
        if running.get() {
            "running"
        } else if run_error.with(Option::is_some) {
            "error"
        } else if report.with(Option::is_some) {
            "done"
        } else {
            "idle"
        }
    };
    let kind_select = |id: &'static str, label: &'static str, inputs: LengthInputs| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select
                    id=id
                    data-lab-field=id
                    prop:value=move || inputs.kind.get()
                    on:change=move |ev| inputs.kind.set(event_target_value(&ev))
                >
                    <option value="fixed">"Fixed"</option>
                    <option value="uniform">"Uniform"</option>
                    <option value="lognormal">"Long-tailed (lognormal)"</option>
                </select>
            </div>
        }
    };
    let a_label = |what: &'static str, inputs: LengthInputs| {
        Signal::derive(move || match inputs.kind.get().as_str() {
            "fixed" => format!("{what} tokens"),
            "uniform" => format!("{what} tokens, minimum"),
            _ => format!("{what} tokens, median"),
        })
    };
    let b_label = |what: &'static str| Signal::derive(move || format!("{what} tokens, maximum"));
    let b_hidden = |inputs: LengthInputs| Signal::derive(move || inputs.kind.get() == "fixed");
    let sigma_hidden =
        Signal::derive(move || input.kind.get() != "lognormal" && output.kind.get() != "lognormal");

    view! {
        <section class="card lab" aria-labelledby="lab-title" data-lab-state=lab_state>
            <h2 id="lab-title">"Serving lab: continuous batching and paged KV memory"</h2>
            <p class="hint">
                "Simulates one replica of the scenario above on a stream of requests, three ways: "
                "static batching (a padded batch, nobody joins until all finish), continuous batching "
                "with each request reserving its maximum length, and continuous batching with paged "
                "KV (blocks charged as a request grows). Each step costs what the engine says at the "
                "step's actual batch and contexts."
            </p>
            <div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:0 16px">
                <LabField id="lab-rate" label=Signal::derive(|| "Arrival rate".to_string()) unit="requests/s" text=rate error=err("lab-rate") />
                <LabField id="lab-requests" label=Signal::derive(|| "Requests to simulate".to_string()) unit="requests" text=requests error=err("lab-requests") />
                {kind_select("lab-in-kind", "Prompt length distribution", input)}
                <LabField id="lab-in-a" label=a_label("Prompt", input) unit="tokens" text=input.a error=err("lab-in-a") />
                <LabField id="lab-in-b" label=b_label("Prompt") unit="tokens" text=input.b error=err("lab-in-b") hidden=b_hidden(input) />
                {kind_select("lab-out-kind", "Output length distribution", output)}
                <LabField id="lab-out-a" label=a_label("Output", output) unit="tokens" text=output.a error=err("lab-out-a") />
                <LabField id="lab-out-b" label=b_label("Output") unit="tokens" text=output.b error=err("lab-out-b") hidden=b_hidden(output) />
                <LabField id="lab-sigma" label=Signal::derive(|| "Long tail spread σ (log space)".to_string()) unit="" text=sigma error=err("lab-sigma") hidden=sigma_hidden />
                <LabField id="lab-block" label=Signal::derive(|| "KV block size (paged)".to_string()) unit="tokens" text=block error=err("lab-block") />
                <LabField id="lab-seed" label=Signal::derive(|| "Random seed".to_string()) unit="" text=seed error=err("lab-seed") />
            </div>
            <div class="buttons">
                <button
                    type="button"
                    data-lab-run=""
                    disabled=move || running.get() || parsed.with(Result::is_err)
                    on:click=on_run
                >
                    {move || if running.get() { "Running…" } else { "Run the lab" }}
                </button>
                <progress
                    data-lab-progress=""
                    max="1"
                    prop:value=move || progress.get()
                    aria-label="Simulation progress"
                    hidden=move || !running.get() && report.with(Option::is_none)
                ></progress>
                <span
                    class="hint"
                    data-lab-elapsed=move || elapsed_ms.get().map(|v| v.to_string()).unwrap_or_default()
                    data-lab-compute=move || compute_ms.get().map(|v| v.to_string()).unwrap_or_default()
                >
                    {move || match (elapsed_ms.get(), compute_ms.get()) {
                        (Some(wall), Some(busy)) => format!(
                            "simulated in {} ms ({} ms computing, the rest handed back to the page)",
                            f::sig(wall, 3),
                            f::sig(busy, 3)
                        ),
                        _ => String::new(),
                    }}
                </span>
            </div>
            <p class="error" role="alert" data-lab-error="">{move || run_error.get()}</p>
            {move || {
                report.with(|r| {
                    r.as_ref().map(|r| {
                        let capacity = format!(
                            "KV capacity {} ({} tokens, {} blocks of {}); {} output tokens requested; digest {}",
                            f::bytes(r.kv_capacity_bytes),
                            f::integer(r.kv_capacity_tokens as f64),
                            f::integer(r.kv_capacity_blocks as f64),
                            block.get_untracked(),
                            f::integer(r.requested_output_tokens as f64),
                            r.digest_hex()
                        );
                        view! {
                            <p class="hint">{ran_on.get_untracked()}</p>
                            <p class="hint">
                                <span data-metric="lab.requested_output_tokens" data-value=r.requested_output_tokens.to_string()></span>
                                <span data-metric="lab.digest" data-value=r.digest_hex()></span>
                                {capacity}
                            </p>
                            <div class="compare-panel">{results_table(r)}</div>
                        }
                    })
                })
            }}
            {move || has_report.get().then(|| view! {
                <div class="charts">
                    {LabChart::ALL.into_iter().map(|which| view! { <LabChartCard which report /> }).collect_view()}
                </div>
            })}
        </section>
    }
}
