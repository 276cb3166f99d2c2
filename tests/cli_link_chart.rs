//! `roofline link` and `roofline chart`: agree with `eval`, and fail cleanly.

mod common;

fn roofline(args: &[&str]) -> (i32, String, String) {
    let out = common::roofline(args, None);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scenario_file(name: &str) -> std::path::PathBuf {
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cases")
        .join(name);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case).unwrap()).unwrap();
    let path = std::env::temp_dir().join(format!("roofline-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, v["scenario"].to_string()).unwrap();
    path
}

#[test]
fn link_evaluates_to_the_same_numbers_as_the_file() {
    for case in ["01.json", "05.json", "07.json"] {
        let file = scenario_file(case);
        let file = file.to_str().unwrap();
        let (code, link, err) = roofline(&["link", file]);
        assert_eq!(code, 0, "{err}");
        let link = link.trim();
        assert!(link.starts_with("?v=1"), "{link}");
        assert!(link.len() < 2000);
        let (_, from_file, _) = roofline(&["eval", file]);
        let url = format!("https://example.org/tools/roofline/{link}");
        let (code, from_link, err) = roofline(&["eval", &url]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            from_file, from_link,
            "{case}: eval of the link differs from eval of the file"
        );
    }
}

#[test]
fn chart_writes_an_svg_with_its_title_and_csv_data() {
    let file = scenario_file("04.json");
    let file = file.to_str().unwrap();
    let out = std::env::temp_dir().join(format!("roofline-cli-{}.svg", std::process::id()));
    let (code, stdout, err) = roofline(&[
        "chart",
        "cost-batch",
        file,
        "-o",
        out.to_str().unwrap(),
        "--width",
        "800",
        "--height",
        "450",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("width=\"800\""));
    assert!(svg.contains("batch size"), "axis label missing");
    assert!(!svg.contains("NaN"));
    let (code, csv, _) = roofline(&["chart", "roofline", file, "--csv"]);
    assert_eq!(code, 0);
    assert!(
        csv.lines().count() > 10 && csv.lines().next().unwrap().contains(','),
        "{csv}"
    );
}

#[test]
fn chart_and_link_refuse_bad_input_with_one_line() {
    let file = scenario_file("01.json");
    let file = file.to_str().unwrap();
    for args in [
        vec!["chart", "no-such-chart", file],
        vec!["chart", "roofline"],
        vec!["chart", "roofline", file, "--width", "abc"],
        vec!["link"],
    ] {
        let (code, stdout, err) = roofline(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    let bad = std::env::temp_dir().join(format!("roofline-cli-bad-{}.json", std::process::id()));
    std::fs::write(&bad, r#"{"workload": {"batch_size": 0}}"#).unwrap();
    let (code, stdout, err) = roofline(&["chart", "roofline", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(err.contains("workload.batch_size"), "{err}");
}

/// The model curves of a compare-context CSV (long form: `series,context_tokens,value`).
fn compared(csv: &str) -> Vec<String> {
    let mut names: Vec<String> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|s| !s.starts_with("api_"))
        .map(str::to_string)
        .collect();
    names.dedup();
    names
}

#[test]
fn compare_context_reads_cmp_from_the_link_or_the_flag() {
    let link = "?v=1&model=deepseek-v3&hw=h200-sxm&chips=8&wprec=fp8&cprec=fp8&cmp=qwen3-235b-a22b,no-such-model";
    let (code, csv, err) = roofline(&["chart", "compare-context", link, "--csv"]);
    assert_eq!(code, 0, "{err}");
    let names = compared(&csv);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].contains("current") && names[1].starts_with("qwen3_235b"),
        "{names:?}"
    );
    assert!(err.contains("no-such-model"), "{err}");
    // The flag wins over the link's value.
    let (code, csv, err) = roofline(&[
        "chart",
        "compare-context",
        link,
        "--csv",
        "--cmp",
        "llama-3.1-405b,gpt-oss-120b",
    ]);
    assert_eq!(code, 0, "{err}");
    let names = compared(&csv);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with("qwen3")), "{names:?}");
    let (code, svg, err) = roofline(&["chart", "compare-context", link]);
    assert_eq!(code, 0, "{err}");
    assert!(svg.starts_with("<svg") && svg.contains("Architectures on long context"));
}
