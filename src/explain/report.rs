//! "Copy as Markdown": the results card and the "why" panel of one scenario as a Markdown
//! report for docs and issues. Pure text, the same numbers and sentences the page shows.

use super::{claims, estimate_note, explain};
use crate::metrics::{Metric, RESULTS_CARD};
use crate::model::Evaluation;
use crate::scenario::Scenario;

/// Escapes a table cell: `|` would end the cell, a line break the row.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A metric's value as the results card shows it, with its detail where it has one.
fn shown(m: &Metric, e: &Evaluation) -> String {
    let text = m.show(&m.of(e));
    match m.detail {
        Some(detail) => format!("{text} {}", detail(e)),
        None => text,
    }
}

/// The report: a heading naming the setup, the link to open it, the results card as a table
/// (the pure roofline bound beside each estimate that has one, when `pure` is given), the
/// estimate's efficiencies, the "why" formulas and the claims that apply.
pub fn markdown_report(
    s: &Scenario,
    e: &Evaluation,
    pure: Option<&Evaluation>,
    link: &str,
) -> String {
    let w = &s.workload;
    let mut out = format!(
        "## Roofline: {} on {} × {}\n\n",
        cell(&s.model.name),
        s.chips,
        cell(&s.hardware.name)
    );
    out.push_str(&format!(
        "Batch {}, {} input / {} output tokens per request. [Open this setup in Roofline]({})\n\n",
        w.batch_size,
        w.input_tokens,
        w.output_tokens,
        link.replace(' ', "%20").replace(')', "%29")
    ));
    out.push_str("| Result | Estimate | Pure roofline bound |\n|---|---|---|\n");
    for row in RESULTS_CARD {
        let m = row.metric;
        let bound = match pure {
            Some(p) if row.with_bound => m.show(&m.of(p)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(m.label),
            cell(&shown(m, e)),
            cell(&bound)
        ));
    }
    out.push_str(&format!("\n{}\n\n### Why\n", estimate_note(&s.efficiency)));
    for why in explain(s, e) {
        out.push_str(&format!("\n**{}**\n\n", why.title));
        for line in &why.lines {
            out.push_str(&format!("    {line}\n"));
        }
    }
    let claims = claims(s, e);
    if !claims.is_empty() {
        out.push_str("\n### What applies here\n\n");
        for c in claims {
            let n = if c.number > 0 {
                format!(" (claim {})", c.number)
            } else {
                String::new()
            };
            out.push_str(&format!("- **{}**{n}: {}\n", c.title, c.sentence));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::DECODE_STEP_SECONDS;
    use crate::model::evaluate;
    use crate::scenario::Efficiency;

    fn report(s: &Scenario) -> String {
        let e = evaluate(s).expect("evaluates");
        let mut p = s.clone();
        p.efficiency = Efficiency::PURE;
        let pure = evaluate(&p).ok();
        markdown_report(s, &e, pure.as_ref(), "https://x.test/?v=1&batch=64")
    }

    #[test]
    fn has_every_card_row_the_link_and_every_why() {
        let s = Scenario::default();
        let e = evaluate(&s).unwrap();
        let md = report(&s);
        assert!(md.starts_with("## Roofline: "), "{md}");
        assert!(md.contains("(https://x.test/?v=1&batch=64)"));
        for row in RESULTS_CARD {
            assert!(
                md.contains(&format!("| {} | ", cell(row.metric.label))),
                "{}",
                row.metric.key
            );
        }
        // The step time exactly as the card shows it, and the bound beside it.
        let step = DECODE_STEP_SECONDS.show(&DECODE_STEP_SECONDS.of(&e));
        assert!(md.contains(&format!("| Decode step | {step} | ")), "{md}");
        for why in explain(&s, &e) {
            assert!(md.contains(&format!("**{}**", why.title)), "{}", why.title);
            for line in &why.lines {
                assert!(md.contains(line.as_str()), "{line}");
            }
        }
        assert!(md.contains(&estimate_note(&s.efficiency)));
    }

    #[test]
    fn the_pure_bound_column_is_empty_when_the_estimate_is_the_bound() {
        let s = Scenario {
            efficiency: Efficiency::PURE,
            ..Scenario::default()
        };
        let e = evaluate(&s).unwrap();
        let md = markdown_report(&s, &e, None, "l");
        let step = DECODE_STEP_SECONDS.show(&DECODE_STEP_SECONDS.of(&e));
        assert!(
            md.contains(&format!("| Decode step | {step} |  |\n")),
            "{md}"
        );
        assert!(md.contains("Pure roofline bound: 100% of peak"));
    }

    #[test]
    fn table_cells_cannot_break_the_table() {
        let mut s = Scenario::default();
        s.model.name = "a|b\nc".into();
        let md = report(&s);
        assert!(md.starts_with("## Roofline: a\\|b c on "), "{md}");
        assert_eq!(cell("x|y"), "x\\|y");
        assert!(report(&Scenario::default())
            .lines()
            .filter(|l| l.starts_with('|'))
            .all(|l| l.replace("\\|", "").matches('|').count() == 4));
    }
}
