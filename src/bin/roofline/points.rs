//! `roofline calibrate --points FILE`: the efficiencies fitted to your own measured points.

use super::cli::{read_input, read_scenario, Failure};
use roofline::scenario::Scenario;

/// The scenario in FILE, in standard input (`-`), or in a share link given in its place.
/// `roofline calibrate --points FILE [--scenario S] [--json]`.
pub(super) fn calibrate_points(
    points: &str,
    scenario: Option<&str>,
    json: bool,
) -> Result<String, Failure> {
    use roofline::model::user_fit::{fit_user_points, parse_points_csv};
    let s = match scenario {
        Some(path) => read_scenario(path)?,
        None => Scenario::default(),
    };
    let text = read_input(points)?;
    let pts = parse_points_csv(&text).map_err(|e| Failure::input(format!("{points}: {e}")))?;
    let fit = fit_user_points(&s, &pts).map_err(|e| Failure::input(format!("{points}: {e}")))?;
    let mut fitted = s.clone();
    fitted.efficiency = fit.efficiency.clone();
    let link = roofline::scenario::link::encode(&fitted, &[]);
    if json {
        let rows: Vec<serde_json::Value> = fit
            .residuals
            .iter()
            .map(|(o, before, after)| {
                serde_json::json!({
                    "point": o.point + 1,
                    "batch": o.batch,
                    "context": o.context,
                    "measured": o.observed.name(),
                    "value": o.measured,
                    "before": before,
                    "after": after,
                })
            })
            .collect();
        let out = serde_json::json!({
            "fitted": fit.fitted,
            "efficiency": fit.efficiency,
            "rms_log_error_before": fit.rms_before,
            "rms_log_error_after": fit.rms_after,
            "points": rows,
            "link": link,
        });
        return Ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&out).unwrap_or_default()
        ));
    }
    let mut out = format!(
        "fitted {}: RMS log error {:.3} → {:.3} (typical point within ×{:.3})\n",
        fit.fitted.join(", "),
        fit.rms_before,
        fit.rms_after,
        fit.rms_after.exp()
    );
    let e = &fit.efficiency;
    out.push_str(&format!(
        "compute {:.3}, bandwidth {:.3}, overhead {:.2} ms per step, prefill {}\n",
        e.compute,
        e.bandwidth,
        e.step_overhead_seconds * 1e3,
        e.prefill_compute
            .map_or("as compute".to_string(), |p| format!("{p:.3}"))
    ));
    out.push_str("point  batch  context  measured    value        before       after\n");
    for (o, before, after) in &fit.residuals {
        out.push_str(&format!(
            "{:>5}  {:>5}  {:>7}  {:<9}  {:<11.5}  {:<11.5}  {:<11.5}\n",
            o.point + 1,
            o.batch,
            o.context.map_or("scen.".to_string(), |c| c.to_string()),
            o.observed.name(),
            o.measured,
            before,
            after
        ));
    }
    out.push_str(&format!("link with the fit: ?{link}\n"));
    Ok(out)
}
