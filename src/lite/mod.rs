//! The light embed: an embed of one chart or of the results card (`embed=chart|results`)
//! without Leptos, for the `roofline-lite` binary (src/bin/roofline-lite.rs), which the page's
//! start-up script loads instead of the full app when the link is an embed's
//! (scripts/split_wasm.mjs). It reads the link as the app does ([`Opening`]), evaluates the
//! same engine, draws the chart with the same renderer on a `<canvas>` or lays out the
//! results card from the same metric table and text (`panels::results`), with the page's
//! classes, so style/main.css styles both.
//!
//! Plain web-sys: the canvas glue (`canvas`) and the self-sizing embed's height messages
//! (`fit`) are also what the Leptos app's chart cards and embeds use. The pure parts (the
//! chart's CSS size, the link back to the full calculator) are here, tested natively.

use crate::chart::ChartKind;
use crate::scenario::link::encode_with_presets;
use crate::view_params::{compare_value, link_extras, Opening};

#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(target_arch = "wasm32")]
pub mod canvas2d;
#[cfg(target_arch = "wasm32")]
pub(crate) mod dom;
#[cfg(target_arch = "wasm32")]
pub mod first;
#[cfg(target_arch = "wasm32")]
pub mod fit;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub use page::{start_chart, start_compare_chart, start_results};

/// The light chart embeds, a module per group of charts: (its builders' function, its
/// binary, its charts). A module with fewer builders is smaller (measured 2026-12-01, gzip:
/// all twelve 148.5 KB, one 126 KB; docs/benchmarks.md), so the charts come in groups and a
/// chart's embed loads its group's module. Each binary (src/bin/roofline-lite-*.rs) calls
/// [`start_chart`] with its group's function; scripts/lite_wasm.mjs's `CHART_GROUPS` names
/// the same binaries and chart ids (a test checks).
macro_rules! chart_groups {
    ($( $group:ident $bin:literal [ $( $kind:ident => $builder:ident ),* ] )*) => {
        /// Each group: its binary and its charts.
        pub const CHART_GROUPS: &[(&str, &[ChartKind])] = &[ $( ($bin, &[ $( ChartKind::$kind ),* ]) ),* ];
        $(
            /// The builder of `kind` in this group of charts, `None` for a chart of another.
            pub fn $group(kind: ChartKind) -> Option<crate::chart::DataFn> {
                match kind {
                    $( ChartKind::$kind => Some(crate::chart::$builder), )*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        )*
        /// The group functions, in `CHART_GROUPS` order.
        #[cfg(test)]
        const GROUP_FNS: &[fn(ChartKind) -> Option<crate::chart::DataFn>] = &[ $( $group ),* ];
    };
}

chart_groups! {
    cost_charts "roofline-lite-cost" [Roofline => roofline_data, CostBatch => cost_batch_data]
    context_charts "roofline-lite-context" [CostContext => cost_context_data]
    breakdown_charts "roofline-lite-breakdown" [ScaleOut => scale_out_data, BreakdownTime => breakdown_time_data, BreakdownMemory => breakdown_memory_data, BreakdownEnergy => breakdown_energy_data]
    frontier_charts "roofline-lite-frontier" [Frontier => frontier_data]
    more_charts "roofline-lite-more" [Tiles => tiles_data, PrefixCache => prefix_cache_data]
    speculative_charts "roofline-lite-speculative" [Speculative => speculative_data]
    compare_charts "roofline-lite-compare" [CompareContext => compare_context_data]
}

/// A chart's drawn size in CSS pixels from its box `(w, h)`: at least 280 wide; filling the
/// box (at least 200 high) when `fill`, else 0.58 of the width, between 240 and 460 high.
pub fn chart_css_size(w: f64, h: f64, fill: bool) -> (f64, f64) {
    let css_w = w.max(280.0);
    let css_h = if fill {
        h.max(200.0)
    } else {
        (css_w * 0.58).clamp(240.0, 460.0)
    };
    (css_w, css_h)
}

/// The context axis's end for model preset `id`: the preset's maximum context, else the
/// chart default (tokens).
pub fn max_context(model_preset: Option<&str>) -> u64 {
    model_preset
        .and_then(crate::catalogue::presets::model_preset)
        .map(|p| p.max_context)
        .filter(|&c| c > 0)
        .unwrap_or(crate::chart::DEFAULT_MAX_CONTEXT_TOKENS)
}

/// What the first screen (`first`) shows in the inputs' place until the form arrives: for
/// each of the form's first groups, its legend and what the setup holds.
pub fn inputs_summary(setup: &crate::app_state::Setup) -> [(&'static str, String); 3] {
    use crate::catalogue::presets::{hardware_preset, model_preset};
    let s = &setup.scenario;
    let model = setup
        .model_preset
        .as_deref()
        .and_then(model_preset)
        .map_or_else(
            || "Custom model (from the link)".to_string(),
            |p| p.name.clone(),
        );
    let chip = setup
        .hardware_preset
        .as_deref()
        .and_then(hardware_preset)
        .map_or_else(
            || "Custom chip (from the link)".to_string(),
            |p| p.name.clone(),
        );
    let parallel = match s.parallelism {
        crate::scenario::Parallelism::Tensor => "tensor parallel",
        crate::scenario::Parallelism::Expert => "expert parallel",
    };
    let chips = if s.chips == 1 { "chip" } else { "chips" };
    [
        ("Model", model),
        (
            "Hardware",
            format!("{chip}: {} {chips}, {parallel}", s.chips),
        ),
        (
            "Workload",
            format!(
                "Batch {}, {} tokens in, {} out",
                s.workload.batch_size, s.workload.input_tokens, s.workload.output_tokens
            ),
        ),
    ]
}

/// The query of the full calculator's link for an opened embed (the embed's "Open in
/// Roofline" link): the setup and the lab's parameters as the app writes them, the compared
/// models `compare`, and no embed parameters.
pub fn full_query(o: &Opening, compare: &[String]) -> String {
    let form = crate::forms::lab_form::LabForm::default()
        .with_seed(o.view.seed)
        .with_chunk(o.view.chunk)
        .with_hit(o.view.hit);
    let mut extras = link_extras(
        &[],
        form.seed_for_link(),
        form.chunk_for_link(),
        form.hit_for_link(),
    );
    if let Some(cmp) = compare_value(compare) {
        extras.push(("cmp".into(), cmp));
    }
    encode_with_presets(
        &o.setup.scenario,
        o.setup.model_preset.as_deref(),
        o.setup.hardware_preset.as_deref(),
        &extras,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_is_in_one_group_with_its_own_builder() {
        let s = crate::scenario::Scenario::default();
        for kind in ChartKind::ALL {
            let groups: Vec<usize> = (0..CHART_GROUPS.len())
                .filter(|&g| CHART_GROUPS[g].1.contains(&kind))
                .collect();
            assert_eq!(groups.len(), 1, "{kind} is in groups {groups:?}");
            for (g, f) in GROUP_FNS.iter().enumerate() {
                assert_eq!(f(kind).is_some(), g == groups[0], "{kind} in group {g}");
            }
            let ours = GROUP_FNS[groups[0]](kind).unwrap()(&s, 131_072, &[]);
            assert_eq!(
                ours,
                crate::chart::data_fn(kind)(&s, 131_072, &[]),
                "{kind}"
            );
        }
    }

    #[test]
    fn the_start_up_script_knows_the_same_groups() {
        let script = include_str!("../../scripts/lite_wasm.mjs");
        for (bin, kinds) in CHART_GROUPS {
            let ids: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.id())).collect();
            let line = format!("'{bin}': [{}]", ids.join(", "));
            assert!(
                script.contains(&line),
                "scripts/lite_wasm.mjs has no {line}"
            );
        }
        assert_eq!(script.matches("': ['").count(), CHART_GROUPS.len());
    }
    use crate::view_params::Embed;

    #[test]
    fn the_first_screen_names_the_setup_the_link_opens() {
        let o = Opening::from_query("?v=1&model=mixtral-8x7b&hw=a100-sxm-80gb&chips=2&batch=16");
        let [m, h, w] = inputs_summary(&o.setup);
        assert_eq!(m.0, "Model");
        assert!(m.1.contains("Mixtral"), "{m:?}");
        assert!(h.1.contains("A100") && h.1.contains("2 chips"), "{h:?}");
        assert!(w.1.starts_with("Batch 16,"), "{w:?}");
        let mut custom = crate::app_state::Setup {
            model_preset: None,
            ..Default::default()
        };
        custom.scenario.chips = 1;
        let [m, h, _] = inputs_summary(&custom);
        assert!(m.1.starts_with("Custom model"), "{m:?}");
        assert!(h.1.contains(": 1 chip,"), "{h:?}");
    }

    #[test]
    fn chart_sizes_fill_or_keep_their_ratio_within_limits() {
        assert_eq!(chart_css_size(800.0, 480.0, true), (800.0, 480.0));
        assert_eq!(chart_css_size(100.0, 50.0, true), (280.0, 200.0));
        assert_eq!(chart_css_size(500.0, 0.0, false), (500.0, 290.0));
        assert_eq!(chart_css_size(100.0, 0.0, false), (280.0, 240.0));
        assert_eq!(chart_css_size(2000.0, 0.0, false), (2000.0, 460.0));
    }

    #[test]
    fn the_context_axis_ends_at_the_models_maximum() {
        assert_eq!(max_context(None), crate::chart::DEFAULT_MAX_CONTEXT_TOKENS);
        assert_eq!(
            max_context(Some("no-such-model")),
            crate::chart::DEFAULT_MAX_CONTEXT_TOKENS
        );
        let p = &crate::catalogue::presets::model_presets()[0];
        assert_eq!(
            max_context(Some(&p.id)),
            if p.max_context > 0 {
                p.max_context
            } else {
                crate::chart::DEFAULT_MAX_CONTEXT_TOKENS
            }
        );
    }

    #[test]
    fn the_link_back_is_the_embeds_setup_without_embed_parameters() {
        let o = Opening::from_query(
            "?v=1&model=mixtral-8x7b&hw=a100-sxm-80gb&chips=2&batch=16&seed=7&embed=chart&chart=roofline&theme=dark",
        );
        assert_eq!(
            o.view.embed,
            Some(Embed::Chart(crate::chart::ChartKind::Roofline))
        );
        let q = full_query(&o, &[]);
        assert!(
            !q.contains("embed=") && !q.contains("chart=") && !q.contains("theme="),
            "{q}"
        );
        assert!(
            q.contains("model=mixtral-8x7b") && q.contains("seed=7"),
            "{q}"
        );
        let back = Opening::from_query(&format!("?{q}"));
        assert_eq!(back.setup, o.setup);
        assert_eq!(back.view.embed, None);
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let q = full_query(&o, &["deepseek-v3".to_string()]);
        assert_eq!(
            Opening::from_query(&format!("?{q}")).view.compare,
            vec!["deepseek-v3"]
        );
    }
}
