//! Every chart drawn natively into SVG: titles, axis labels, legends and markers present,
//! inputs reflected, and no NaN anywhere for the reference cases and edge cases.
//!
//! `cargo test --test charts -- --ignored write_docs` writes every chart to docs/charts/.

use roofline::chart::{self, ChartKind, ChartStyle};
use roofline::scenario::Scenario;
use std::fs;
use std::path::Path;

fn cases() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let v: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
            let s = Scenario::from_json(&v["scenario"].to_string()).unwrap();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), s)
        })
        .collect()
}

fn edge_cases() -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    let mut s = Scenario::default();
    s.workload.batch_size = 1;
    out.push(("batch 1".into(), s));
    let s = Scenario {
        chips: 1,
        ..Scenario::default()
    };
    out.push(("1 chip (weights do not fit)".into(), s));
    let mut s = Scenario::default();
    s.workload.context_length = Some(10_000_000);
    out.push(("huge context".into(), s));
    let mut s = Scenario::default();
    s.workload.batch_size = 50_000_000;
    out.push(("huge batch".into(), s));
    let mut s = Scenario::default();
    s.hardware.price_per_hour = 0.0;
    out.push(("free hardware".into(), s));
    let s = Scenario {
        efficiency: roofline::scenario::Efficiency::PURE,
        chips: 1024,
        ..Scenario::default()
    };
    out.push(("1024 chips, pure".into(), s));
    let mut s = Scenario::default();
    s.model.layers = 1;
    s.model.hidden_size = 1;
    s.model.intermediate_size = 1;
    s.model.attention_heads = 1;
    s.model.kv_heads = 1;
    s.model.head_dim = 1;
    s.model.vocab_size = 1;
    s.model.total_params = None;
    s.model.active_params = None;
    out.push(("tiny model".into(), s));
    out
}

fn svg(kind: ChartKind, s: &Scenario) -> String {
    chart::svg(kind, s, 800, 450, &ChartStyle::default())
        .unwrap_or_else(|e| panic!("{}: {e}", kind.id()))
}

/// Text content of the SVG's <text> elements, XML entities decoded.
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(gt) = rest.find('>') else { break };
        let Some(end) = rest.find("</text>") else {
            break;
        };
        out.push(
            rest[gt + 1..end]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
        );
        rest = &rest[end..];
    }
    out
}

fn has_text(svg: &str, needle: &str) -> bool {
    texts(svg).iter().any(|t| t.contains(needle))
}

#[test]
fn every_chart_has_title_axes_and_legend() {
    let s = Scenario::default();
    for kind in ChartKind::ALL {
        let out = svg(kind, &s);
        let data = chart::chart_data(kind, &s, chart::DEFAULT_MAX_CONTEXT_TOKENS).unwrap();
        assert!(has_text(&out, kind.title()), "{}: title missing", kind.id());
        assert!(
            has_text(&out, &data.x.label),
            "{}: x label missing",
            kind.id()
        );
        assert!(
            has_text(&out, &data.y.label),
            "{}: y label missing",
            kind.id()
        );
        if let Some(y2) = &data.y2 {
            assert!(
                has_text(&out, &y2.label),
                "{}: right label missing",
                kind.id()
            );
        }
        let listed: Vec<_> = data.series.iter().filter(|s| s.legend).collect();
        if listed.len() > 1 {
            for s in listed {
                assert!(
                    has_text(&out, &s.name),
                    "{}: legend lacks {}",
                    kind.id(),
                    s.name
                );
            }
        }
        assert!(out.contains("font-family=\"sans-serif\""), "{}", kind.id());
        assert!(!out.contains("NaN"), "{}", kind.id());
    }
}

#[test]
fn markers_carry_the_insight() {
    let s = Scenario::default();
    let roof = svg(ChartKind::Roofline, &s);
    assert!(has_text(&roof, "ridge 295 FLOP/B"), "{:?}", texts(&roof));
    assert!(has_text(&roof, "decode:"));
    assert!(has_text(&roof, "prefill:"));
    let cost = svg(ChartKind::CostBatch, &s);
    assert!(
        has_text(&cost, "rule of thumb B* ≈ 295"),
        "{:?}",
        texts(&cost)
    );
    assert!(has_text(&cost, "memory full at B ="));
    assert!(has_text(&cost, "memory-bound"));
    // At the default 1.5k context the KV reads grow with the batch about as fast as the
    // math, and the step stays memory-bound; at a short context the math overtakes the
    // reads and the exact B* is marked.
    let mut short = s.clone();
    short.workload.input_tokens = 128;
    short.workload.output_tokens = 128;
    let cost_short = svg(ChartKind::CostBatch, &short);
    assert!(
        has_text(&cost_short, "exact B* ="),
        "{:?}",
        texts(&cost_short)
    );
    assert!(
        has_text(&cost_short, "compute-bound"),
        "{:?}",
        texts(&cost_short)
    );
    let ctx = svg(ChartKind::CostContext, &s);
    assert!(
        has_text(&ctx, "KV reads > weight reads"),
        "{:?}",
        texts(&ctx)
    );
    assert!(has_text(&ctx, "Gemini 2.5 Pro"));
    assert!(has_text(&ctx, "as of"));
    assert!(has_text(&ctx, "largest batch that fits"));
    let frontier = svg(ChartKind::Frontier, &s);
    assert!(has_text(&frontier, "× price"), "{:?}", texts(&frontier));
    assert!(has_text(&frontier, "now: B=64"));
    let scale = svg(ChartKind::ScaleOut, &s);
    assert!(has_text(&scale, "8 chips:"), "{:?}", texts(&scale));
    let mem = svg(ChartKind::BreakdownMemory, &s);
    assert!(has_text(&mem, "max batch"));
    let tiles = svg(ChartKind::Tiles, &s);
    assert!(has_text(&tiles, "q 1024"), "{:?}", texts(&tiles));
}

#[test]
fn svg_follows_the_batch_size() {
    let a = Scenario::default();
    let mut b = Scenario::default();
    b.workload.batch_size = 256;
    for kind in ChartKind::ALL {
        let (sa, sb) = (svg(kind, &a), svg(kind, &b));
        assert_ne!(sa, sb, "{} ignores the batch size", kind.id());
    }
}

#[test]
fn no_nan_for_reference_and_edge_cases() {
    let mut all = cases();
    assert!(all.len() >= 7);
    all.extend(edge_cases());
    let styles = [ChartStyle::light(), ChartStyle::dark().with_scale(2.0)];
    for (name, s) in &all {
        for kind in ChartKind::ALL {
            for (style, (w, h)) in styles.iter().zip([(800, 450), (720, 900)]) {
                let out = chart::svg(kind, s, w, h, style)
                    .unwrap_or_else(|e| panic!("{name} {}: {e}", kind.id()));
                assert!(!out.contains("NaN"), "{name} {}: NaN", kind.id());
                assert!(!out.contains("inf"), "{name} {}: inf", kind.id());
                assert!(has_text(&out, kind.title()), "{name} {}", kind.id());
            }
            let csv = chart::csv(kind, s).unwrap();
            assert!(csv.lines().count() >= 2, "{name} {}", kind.id());
        }
    }
}

#[test]
fn phone_width_and_degenerate_sizes_draw() {
    let s = Scenario::default();
    for kind in ChartKind::ALL {
        for (w, h) in [(360, 300), (1, 1), (40, 20)] {
            let out = chart::svg(kind, &s, w, h, &ChartStyle::default()).unwrap();
            assert!(!out.contains("NaN"), "{} at {w}×{h}", kind.id());
        }
    }
}

#[test]
fn invalid_scenario_is_an_error_not_a_panic() {
    let mut s = Scenario::default();
    s.workload.batch_size = 0;
    for kind in ChartKind::ALL {
        match chart::svg(kind, &s, 800, 450, &ChartStyle::default()) {
            Err(chart::ChartError::Scenario(e)) => assert_eq!(e.field, "workload.batch_size"),
            other => panic!("{}: {other:?}", kind.id()),
        }
    }
}

/// Writes every chart to docs/charts/ (light 800×450, dark 800×450 at 2×, phone 360×420).
#[test]
#[ignore]
fn write_docs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/charts");
    fs::create_dir_all(&dir).unwrap();
    let s = Scenario::default();
    for kind in ChartKind::ALL {
        let id = kind.id();
        let light = chart::svg(kind, &s, 800, 450, &ChartStyle::light()).unwrap();
        fs::write(dir.join(format!("{id}.svg")), light).unwrap();
        let dark = chart::svg(kind, &s, 1600, 900, &ChartStyle::dark().with_scale(2.0)).unwrap();
        fs::write(dir.join(format!("{id}-dark@2x.svg")), dark).unwrap();
        let phone = chart::svg(kind, &s, 360, 420, &ChartStyle::light()).unwrap();
        fs::write(dir.join(format!("{id}-phone.svg")), phone).unwrap();
        fs::write(dir.join(format!("{id}.csv")), chart::csv(kind, &s).unwrap()).unwrap();
    }
    // Every chart for every reference case, for review (not committed: see .gitignore).
    let cases_dir = dir.join("cases");
    fs::create_dir_all(&cases_dir).unwrap();
    for (name, s) in cases() {
        for kind in ChartKind::ALL {
            let out = chart::svg(kind, &s, 800, 450, &ChartStyle::light()).unwrap();
            fs::write(cases_dir.join(format!("case{name}-{}.svg", kind.id())), out).unwrap();
        }
    }
    for (i, (_, s)) in edge_cases().iter().enumerate() {
        for kind in ChartKind::ALL {
            let out = chart::svg(kind, s, 800, 450, &ChartStyle::light()).unwrap();
            fs::write(cases_dir.join(format!("edge{i}-{}.svg", kind.id())), out).unwrap();
        }
    }
}
