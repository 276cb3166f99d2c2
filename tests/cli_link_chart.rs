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
