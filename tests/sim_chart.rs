//! The serving lab's charts, drawn natively into SVG: titles, one series per scheduler
//! (two on the memory chart), finite numbers only, both themes and high-DPI scale.

use roofline::chart::lab::{lab_chart_data, lab_svg, LabChart};
use roofline::chart::ChartStyle;
use roofline::sim::{run, Scheduler, SimConfig, SimReport};

fn report() -> SimReport {
    let s = roofline::scenario::Scenario {
        chips: 4,
        ..Default::default()
    };
    let c = SimConfig {
        requests: 800,
        arrival_rate: 40.0,
        ..SimConfig::default()
    };
    run(&s, &c).unwrap()
}

fn no_nan(svg: &str) {
    assert!(
        !svg.contains("NaN") && !svg.contains("inf"),
        "non-finite number in SVG"
    );
}

#[test]
fn every_lab_chart_draws_with_title_series_and_no_nan() {
    let r = report();
    for which in LabChart::ALL {
        for style in [ChartStyle::light(), ChartStyle::dark().with_scale(2.0)] {
            let svg = lab_svg(which, &r, 900, 520, &style).unwrap();
            no_nan(&svg);
            assert!(svg.contains(which.title()), "{:?} title", which);
            for name in [
                "Static batching",
                "Continuous, contiguous KV",
                "Continuous, paged KV",
                "Chunked prefill, paged KV",
                "Disaggregated prefill/decode",
            ] {
                assert!(svg.contains(name), "{:?} legend lacks {name}", which);
            }
        }
        let d = lab_chart_data(which, &r);
        let expected = if which == LabChart::Memory { 10 } else { 5 };
        assert_eq!(d.series.len(), expected, "{:?}", which);
        for s in &d.series {
            assert!(!s.points.is_empty(), "{:?} {}", which, s.name);
            assert!(s.points.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
        }
    }
}

#[test]
fn memory_chart_marks_capacity_and_stays_under_it() {
    let r = report();
    let svg = lab_svg(LabChart::Memory, &r, 900, 520, &ChartStyle::light()).unwrap();
    assert!(svg.contains("KV capacity"));
    let d = lab_chart_data(LabChart::Memory, &r);
    for (pair, x) in d.series.chunks(2).zip(&r.schedulers) {
        let cap_gb = x.kv_capacity_bytes / 1e9;
        for (u, w) in pair[0].points.iter().zip(&pair[1].points) {
            assert!(u.1 + w.1 <= cap_gb * (1.0 + 1e-9));
        }
    }
}

#[test]
fn latency_chart_has_six_percentiles_per_scheduler() {
    let r = report();
    let d = lab_chart_data(LabChart::Latency, &r);
    assert_eq!(d.x.categories.len(), 6);
    for (s, x) in d.series.iter().zip(&r.schedulers) {
        assert_eq!(s.points.len(), 6);
        assert_eq!(s.points[0].1, x.ttft.p50);
        assert_eq!(s.points[5].1, x.tpot.p99);
    }
    let svg = lab_svg(LabChart::Latency, &r, 900, 520, &ChartStyle::light()).unwrap();
    no_nan(&svg);
    assert!(svg.contains("TTFT p50") && svg.contains("TPOT p99"));
}

#[test]
fn a_one_request_run_draws_too() {
    let s = roofline::scenario::Scenario::default();
    let c = SimConfig {
        requests: 1,
        ..SimConfig::default()
    };
    let r = run(&s, &c).unwrap();
    for which in LabChart::ALL {
        let svg = lab_svg(which, &r, 600, 400, &ChartStyle::light()).unwrap();
        no_nan(&svg);
    }
}

#[test]
fn static_batching_tail_is_cut_off_with_a_note() {
    let r = report();
    let st = r.get(Scheduler::Static).unwrap().makespan_seconds;
    let cont = r
        .schedulers
        .iter()
        .filter(|x| x.scheduler != Scheduler::Static)
        .map(|x| x.makespan_seconds)
        .fold(0.0, f64::max);
    assert!(st > 2.0 * cont, "static {st} vs continuous {cont}");
    for which in [LabChart::Waiting, LabChart::Memory] {
        let d = lab_chart_data(which, &r);
        let end = d
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .fold(0.0, f64::max);
        assert!(
            end <= cont * 1.01,
            "{which:?}: x reaches {end}, continuous ends {cont}"
        );
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("Static batching runs on to")),
            "{which:?}: {:?}",
            d.notes
        );
    }
}

#[test]
fn narrow_latency_chart_uses_short_labels() {
    let r = report();
    let svg = lab_svg(LabChart::Latency, &r, 380, 320, &ChartStyle::light()).unwrap();
    no_nan(&svg);
    assert!(svg.contains("TTFT 50") && !svg.contains("TTFT p50"));
    let wide = lab_svg(LabChart::Latency, &r, 900, 520, &ChartStyle::light()).unwrap();
    assert!(wide.contains("TTFT p50"));
}
