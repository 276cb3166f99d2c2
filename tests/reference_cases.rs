//! Every reference case of `shared/reference/cases/` (copied into tests/fixtures/cases),
//! reproduced within its stated relative tolerance.

use roofline::model::{evaluate, MetricValue};
use roofline::scenario::Scenario;
use std::fs;

fn check_case(path: &std::path::Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let case: serde_json::Value = serde_json::from_str(&text).unwrap();
    let scenario = Scenario::from_json(&case["scenario"].to_string())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let tol = case["relative_tolerance"].as_f64().unwrap();
    let eval = evaluate(&scenario).unwrap();
    let metrics = eval.metrics();
    let mut failures = Vec::new();
    for (key, expected) in case["expected"].as_object().unwrap() {
        let Some((_, got)) = metrics.iter().find(|(k, _)| k == key) else {
            failures.push(format!("{key}: not computed"));
            continue;
        };
        let ok = match (got, expected) {
            (MetricValue::Number(g), e) if e.is_number() => {
                let e = e.as_f64().unwrap();
                (g - e).abs() <= tol * e.abs().max(1e-30)
            }
            (MetricValue::Text(g), e) => e.as_str() == Some(g),
            (MetricValue::Flag(g), e) => e.as_bool() == Some(*g),
            (MetricValue::Missing, e) => e.is_null(),
            _ => false,
        };
        if !ok {
            failures.push(format!("{key}: expected {expected}, got {got:?}"));
        }
    }
    failures
}

#[test]
fn every_reference_case_matches() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 7, "reference cases missing");
    let mut all = Vec::new();
    for p in &paths {
        for f in check_case(p) {
            all.push(format!("{}: {f}", p.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(
        all.is_empty(),
        "{} mismatches:\n{}",
        all.len(),
        all.join("\n")
    );
}
