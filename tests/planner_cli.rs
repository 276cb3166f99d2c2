//! `roofline plan`, run as a process: the ranked table, JSON that agrees with the library,
//! the out-of-reach answer, and one-line errors with nothing on standard output.

use roofline::planner::{plan_presets, Targets};
use roofline::scenario::Scenario;
mod common;
use common::roofline;
use std::process::Output;

const SCENARIO: &str = r#"{"workload": {"input_tokens": 2048, "output_tokens": 256}}"#;

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn table_ranks_setups_and_prints_launch_commands() {
    let o = roofline(
        &[
            "plan",
            "-",
            "--min-user-tps",
            "25",
            "--max-ttft",
            "800ms",
            "--chips",
            "h100-sxm,h200-sxm",
            "--top",
            "4",
        ],
        Some(SCENARIO),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.starts_with("Plan for Llama 3.1 70B (meta-llama/Llama-3.1-70B): at least 25.0 tok/s per user, first token within 800 ms, 2048 tokens in, 256 out\n"), "{out}");
    assert!(
        out.contains("Searched ") && out.contains(" setups ("),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(rows.len(), 4, "{out}");
    for r in &rows {
        assert!(r.contains("h100-sxm") || r.contains("h200-sxm"), "{r}");
    }
    // The library's winner, with the same targets, is row 1 and its command is printed.
    let s = Scenario::from_json(SCENARIO).unwrap();
    let p = plan_presets(
        &s,
        &Targets {
            min_user_tokens_per_second: 25.0,
            max_ttft_seconds: 0.8,
            input_tokens: 2048,
            output_tokens: 256,
            chips: Some(vec!["h100-sxm".into(), "h200-sxm".into()]),
            budget: None,
        },
    )
    .unwrap();
    let w = &p.ranked[0].setup;
    assert!(
        rows[0].contains(&w.chip_id) && rows[0].contains(&w.layout()),
        "{} vs {}",
        rows[0],
        w.label()
    );
    let vllm = format!(
        "  vLLM:   vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size {}",
        w.tensor
    );
    assert!(out.contains(&vllm), "{out}");
    assert!(
        out.contains(&format!("--max-num-seqs {} --max-model-len 2304", w.batch)),
        "{out}"
    );
    assert!(
        out.contains(
            "  SGLang: python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B"
        ),
        "{out}"
    );
    assert!(out.contains("change between versions"), "{out}");
}

#[test]
fn json_agrees_with_the_library() {
    let o = roofline(
        &[
            "plan",
            "-",
            "--min-user-tps",
            "40",
            "--max-ttft",
            "0.5",
            "--json",
            "--budget",
            "5",
        ],
        Some(SCENARIO),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let ranked = v["plan"]["ranked"].as_array().unwrap();
    assert!(!ranked.is_empty() && ranked.len() <= 10);
    let mut prev = 0.0;
    for c in ranked {
        let cost = c["cost_per_million_output_tokens"].as_f64().unwrap();
        assert!(cost >= prev && cost <= 5.0);
        assert!(c["user_tokens_per_second"].as_f64().unwrap() >= 40.0);
        assert!(c["ttft_seconds"].as_f64().unwrap() <= 0.5);
        prev = cost;
    }
    assert!(v["search_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(
        v["plan"]["targets"]["budget"]["kind"],
        "per_million_output_tokens"
    );
    let s = Scenario::from_json(SCENARIO).unwrap();
    let p = plan_presets(
        &s,
        &Targets {
            min_user_tokens_per_second: 40.0,
            max_ttft_seconds: 0.5,
            input_tokens: 2048,
            output_tokens: 256,
            chips: None,
            budget: Some(roofline::planner::Budget::PerMillionOutputTokens(5.0)),
        },
    )
    .unwrap();
    assert_eq!(
        ranked[0]["setup"]["chip_id"],
        p.ranked[0].setup.chip_id.as_str()
    );
    assert_eq!(ranked[0]["setup"]["batch"], p.ranked[0].setup.batch);
    // The same number up to the last bit or two (the CLI and the library may sum in
    // another order).
    let (cli, lib) = (
        ranked[0]["cost_per_million_output_tokens"]
            .as_f64()
            .unwrap(),
        p.ranked[0].cost_per_million_output_tokens,
    );
    assert!((cli - lib).abs() <= 1e-12 * lib.abs(), "{cli} vs {lib}");
    assert!(v["launch"]["vllm"]
        .as_str()
        .unwrap()
        .starts_with("vllm serve meta-llama/Llama-3.1-70B"));
}

#[test]
fn unreachable_target_is_an_answer_naming_it() {
    let o = roofline(
        &["plan", "-", "--min-user-tps", "5000", "--max-ttft", "1"],
        Some(SCENARIO),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("Out of reach: 5,000 tok/s per user. No setup goes above"),
        "{out}"
    );
    assert!(out.contains("\nnear "), "{out}");
    let o = roofline(
        &[
            "plan",
            "-",
            "--min-user-tps",
            "5000",
            "--max-ttft",
            "1",
            "--json",
        ],
        Some(SCENARIO),
    );
    let v: serde_json::Value = serde_json::from_str(&text(&o).0).unwrap();
    assert_eq!(v["plan"]["out_of_reach"]["targets"][0], "user_speed");
    assert!(v["plan"]["ranked"].as_array().unwrap().is_empty());
    assert!(
        v["plan"]["out_of_reach"]["closest"]["user_tokens_per_second"]
            .as_f64()
            .unwrap()
            < 5000.0
    );
}

#[test]
fn errors_are_one_line_with_nothing_on_stdout() {
    for (args, code, words) in [
        (
            vec!["plan", "-", "--max-ttft", "1"],
            2,
            "needs --min-user-tps",
        ),
        (
            vec!["plan", "-", "--min-user-tps", "fast", "--max-ttft", "1"],
            2,
            "not a number",
        ),
        (
            vec![
                "plan",
                "-",
                "--min-user-tps",
                "20",
                "--max-ttft",
                "1",
                "--chips",
                "h999",
            ],
            2,
            "unknown chip \"h999\"",
        ),
        (
            vec![
                "plan",
                "-",
                "--min-user-tps",
                "20",
                "--max-ttft",
                "1",
                "--bogus",
            ],
            2,
            "unexpected \"--bogus\"",
        ),
        (
            vec!["plan", "-", "--min-user-tps", "0", "--max-ttft", "1"],
            1,
            "targets.min_user_tokens_per_second",
        ),
        (
            vec![
                "plan",
                "/nonexistent/x.json",
                "--min-user-tps",
                "20",
                "--max-ttft",
                "1",
            ],
            1,
            "cannot read",
        ),
    ] {
        let o = roofline(&args, Some(SCENARIO));
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("roofline: ") && err.contains(words),
            "{args:?}: {err}"
        );
    }
    // A bad scenario names its field.
    let o = roofline(
        &["plan", "-", "--min-user-tps", "20", "--max-ttft", "1"],
        Some(r#"{"model": {"layers": 0}}"#),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.is_empty() && err.contains("model.layers"), "{err}");
}
