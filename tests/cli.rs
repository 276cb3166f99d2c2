//! The `roofline` command line, run as a process.

mod common;
use common::roofline;

fn case(n: u32) -> serde_json::Value {
    let p = format!(
        "{}/tests/fixtures/cases/{n:02}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

const KEYS: [&str; 25] = [
    "params.total",
    "params.active",
    "params.sparsity",
    "kv_bytes_per_token",
    "decode.step_seconds",
    "decode.memory_seconds",
    "decode.compute_seconds",
    "decode.comm_seconds",
    "decode.bound",
    "decode.weight_bytes",
    "decode.kv_bytes",
    "decode.flops",
    "decode.tokens_per_second",
    "decode.tokens_per_second_per_user",
    "prefill.seconds",
    "prefill.flops",
    "prefill.bound",
    "critical_batch.rule_of_thumb",
    "critical_batch.exact",
    "capacity.weight_bytes",
    "capacity.max_batch_size",
    "capacity.fits",
    "cost.per_million_output_tokens",
    "cost.per_million_input_tokens",
    "energy.joules_per_output_token",
];

#[test]
fn eval_prints_every_key_and_matches_each_reference_case() {
    for n in 1..=7 {
        let c = case(n);
        let out = roofline(&["eval", "-"], Some(&c["scenario"].to_string()));
        assert!(
            out.status.success(),
            "case {n}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty());
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let obj = got.as_object().unwrap();
        for k in KEYS {
            assert!(obj.contains_key(k), "case {n}: no {k}");
        }
        let tol = c["relative_tolerance"].as_f64().unwrap();
        for (k, want) in c["expected"].as_object().unwrap() {
            let have = &obj[k];
            match (want.as_f64(), have.as_f64()) {
                (Some(w), Some(h)) => assert!(
                    (h - w).abs() <= tol * w.abs().max(1e-30),
                    "case {n} {k}: {h} vs {w}"
                ),
                _ => assert_eq!(have, want, "case {n} {k}"),
            }
        }
    }
}

#[test]
fn eval_reads_a_file() {
    let path = format!(
        "{}/tests/fixtures/cases/01.json",
        env!("CARGO_MANIFEST_DIR")
    );
    // A case file is not a scenario (it wraps one): an error naming the unknown field.
    let out = roofline(&["eval", &path], None);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("description") || err.contains("scenario"),
        "{err}"
    );
}

#[test]
fn bad_scenarios_fail_with_one_line_naming_the_field() {
    for (input, field) in [
        (r#"{"workload": {"batch_size": 0}}"#, "workload.batch_size"),
        (r#"{"model": {"layerz": 3}}"#, "model.layerz"),
        (
            r#"{"hardware": {"memory_bandwidth": -1}}"#,
            "hardware.memory_bandwidth",
        ),
        (r#"{"precision": {"compute": "fp4"}}"#, "precision.compute"),
        (r#"{"chips": "eight"}"#, "chips"),
        ("not json", "-"),
        ("", "-"),
    ] {
        let out = roofline(&["eval", "-"], Some(input));
        assert_eq!(out.status.code(), Some(1), "{input}");
        assert!(out.stdout.is_empty(), "{input}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{input}: {err}");
        assert!(err.contains(field), "{input}: {err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["eval"],
        vec!["sweep", "--over", "nope", "-"],
        vec!["sweep", "-"],
        vec!["sweep", "--over", "chips", "--values", "1,x", "-"],
    ] {
        let out = roofline(&args, Some("{}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
    }
}

#[test]
fn sweep_prints_csv_with_a_header() {
    let out = roofline(&["sweep", "--over", "batch_size", "-"], Some("{}"));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "x");
    assert!(header.contains(&"cost_per_million_output_tokens"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    for r in &rows {
        assert_eq!(r.split(',').count(), header.len());
    }
    let out = roofline(
        &[
            "sweep",
            "--over",
            "context_length",
            "--values",
            "1024,2048,4096",
            "-",
        ],
        Some("{}"),
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 4);
    // A zero in the values is an input error naming the field.
    let out = roofline(
        &["sweep", "--over", "chips", "--values", "0", "-"],
        Some("{}"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("chips"));
}

#[test]
fn presets_and_import() {
    let out = roofline(&["presets"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for id in ["h100-sxm", "tpu-v6e", "kimi-k2", "gemma-3-27b"] {
        assert!(text.contains(id), "{id}");
    }
    let path = format!(
        "{}/tests/fixtures/hf/mixtral-8x7b.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = roofline(&["import-hf", &path], None);
    assert!(out.status.success());
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(model["name"], "mixtral-8x7b");
    assert_eq!(model["moe"]["experts"], 8);
    // The printed model drops into a scenario as is.
    let scenario = format!(r#"{{"model": {model}}}"#);
    let out = roofline(&["eval", "-"], Some(&scenario));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = roofline(
        &["import-hf", "-"],
        Some(r#"{"model_type": "mixtral", "hidden_size": 8}"#),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("num_hidden_layers") && err.contains("num_local_experts"),
        "{err}"
    );
}

#[test]
fn eval_accepts_a_share_link() {
    let url = "https://example.org/?v=1&model=llama-3.1-70b&hw=h100-sxm&chips=8&batch=64&in=1024&out=1024";
    let by_arg = roofline(&["eval", url], None);
    assert!(
        by_arg.status.success(),
        "{}",
        String::from_utf8_lossy(&by_arg.stderr)
    );
    let by_stdin = roofline(&["eval", "-"], Some(url));
    assert_eq!(by_arg.stdout, by_stdin.stdout);
    let got: serde_json::Value = serde_json::from_slice(&by_arg.stdout).unwrap();
    assert_eq!(got["decode.bound"], "memory");
    assert_eq!(got["capacity.fits"], true);
    // A bad link value is an input error naming the link key.
    let out = roofline(&["eval", "?v=1&batch=zero"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1);
    assert!(err.contains("batch"), "{err}");
}

#[test]
fn tiles_prints_csv() {
    let out = roofline(&["tiles", "--tokens", "256", "-"], Some("{}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("gemm,m,n,k"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("attn.q_proj,256,1024,8192,")));
    assert!(lines.last().unwrap().starts_with("overall,"));
    let out = roofline(&["tiles", "--tokens", "0", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_model_without_parameter_counts_takes_them_from_its_own_shape() {
    // Llama 2 7B's shape and no total_params/active_params: 6.7B parameters, not the
    // default model's 70.6B.
    let scenario = r#"{"model": {"name": "Llama 2 7B", "layers": 32, "hidden_size": 4096,
        "intermediate_size": 11008, "attention_heads": 32, "kv_heads": 32, "head_dim": 128,
        "vocab_size": 32000}}"#;
    let out = roofline(&["eval", "-"], Some(scenario));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = got["params.total"].as_f64().unwrap();
    assert!((total / 1e9 - 6.74).abs() < 0.01, "{total}");
    assert_eq!(got["params.active"].as_f64(), Some(total));
    // A window without the layers that use it is refused, naming the missing field.
    let out = roofline(
        &["eval", "-"],
        Some(r#"{"model": {"sliding_window": 4096}}"#),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("sliding_window_layers"), "{err}");
}

#[test]
fn every_command_has_help_that_exits_0() {
    let top = roofline(&["--help"], None);
    assert_eq!(top.status.code(), Some(0));
    assert!(top.stderr.is_empty());
    let text = String::from_utf8(top.stdout).unwrap();
    let commands = [
        "eval",
        "sweep",
        "presets",
        "import-hf",
        "tiles",
        "calibrate",
        "link",
        "chart",
        "plan",
        "completions",
    ];
    for c in commands {
        assert!(
            text.contains(&format!("  {c} ")),
            "--help does not list {c}: {text}"
        );
        for help in ["--help", "-h"] {
            let out = roofline(&[c, help], None);
            assert_eq!(out.status.code(), Some(0), "{c} {help}");
            assert!(out.stderr.is_empty(), "{c} {help}");
            let usage = String::from_utf8(out.stdout).unwrap();
            assert!(usage.contains(&format!("roofline {c}")), "{c}: {usage}");
        }
        let out = roofline(&["help", c], None);
        assert_eq!(out.status.code(), Some(0), "help {c}");
    }
    for args in [vec!["-h"], vec!["help"]] {
        assert_eq!(roofline(&args, None).status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn version_names_the_crate_and_the_link_format() {
    for flag in ["--version", "-V"] {
        let out = roofline(&[flag], None);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            text.trim(),
            format!(
                "roofline {} (share-link format v{})",
                env!("CARGO_PKG_VERSION"),
                roofline::scenario::link::LINK_VERSION
            )
        );
    }
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = roofline(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["roofline", "plan", "chart", "min-user-tps", "batch_size"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let out = roofline(&["completions", "tcsh"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

#[test]
fn usage_errors_say_what_is_wrong_and_how_to_call() {
    for (args, words) in [
        (vec![], "no command"),
        (vec!["frobnicate"], "unknown command \"frobnicate\""),
        (vec!["eval"], "eval needs FILE"),
        (vec!["eval", "a", "b"], "eval: unexpected \"b\""),
        (vec!["presets", "x"], "presets: unexpected \"x\""),
        (vec!["sweep", "-"], "sweep needs --over"),
        (
            vec!["sweep", "--over", "nope", "-"],
            "--over: unknown axis \"nope\"",
        ),
        (
            vec!["sweep", "--over", "chips", "--values", "1,x", "-"],
            "--values: \"1,x\" is not a list of whole numbers",
        ),
        (
            vec!["tiles", "--tokens", "x", "-"],
            "--tokens: \"x\" is not a whole number",
        ),
        (vec!["chart", "nope", "-"], "unknown chart \"nope\""),
        (
            vec!["chart", "roofline", "-", "--width"],
            "--width needs a value",
        ),
    ] {
        let out = roofline(&args, Some("{}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("roofline: "), "{args:?}: {err}");
        assert!(err.contains(words), "{args:?}: {err}");
        assert!(err.contains("usage: roofline"), "{args:?}: {err}");
    }
}

#[test]
fn a_repeated_option_keeps_its_last_value() {
    let out = roofline(
        &[
            "sweep",
            "--over",
            "batch_size",
            "--over",
            "chips",
            "--values",
            "1,2",
            "-",
        ],
        Some("{}"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
}

#[test]
fn validate_lists_every_public_row_with_its_link() {
    let out = roofline(&["validate", "--json"], None);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 162);
    let moe = rows.iter().filter(|r| r["moe"] == true).count();
    assert_eq!(moe, 123);
    for r in rows {
        assert!(r["ratio"].as_f64().unwrap() > 0.0);
        assert!(r["link"].as_str().unwrap().starts_with("v=1&"));
    }
    let text = roofline(&["validate"], None);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Mixture-of-experts models") && text.contains("median"));
}

#[test]
fn calibrate_fits_your_points_or_says_why_not() {
    let dir = std::env::temp_dir().join(format!("roofline-points-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("points.csv");
    std::fs::write(
        &good,
        "batch,context,tpot_s,ttft_s\n1,2048,0.0125,0.06\n16,2048,0.0135,\n128,2048,0.022,\n512,2048,0.066,\n",
    )
    .unwrap();
    let out = roofline(
        &["calibrate", "--points", good.to_str().unwrap(), "--json"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["rms_log_error_after"].as_f64().unwrap() < v["rms_log_error_before"].as_f64().unwrap()
    );
    assert_eq!(v["points"].as_array().unwrap().len(), 5);
    assert!(v["link"].as_str().unwrap().contains("eff.c="));
    let one = dir.join("one.csv");
    std::fs::write(&one, "batch,tpot_s\n8,0.02\n").unwrap();
    let out = roofline(&["calibrate", "--points", one.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too few points"));
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "batch,speed\n1,2\n").unwrap();
    let out = roofline(&["calibrate", "--points", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown column"));
}
