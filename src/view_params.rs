//! The link's view parameters (`embed=`, `chart=`, `theme=`, `seed=`): what an opened link
//! asks the page to show, the setup it opens on, and the links the page writes back
//! (address bar, share link, embed snippet).

use crate::app_state::Setup;
use crate::chart::ChartKind;
use crate::format::truncate;
use crate::scenario::link::{decode, LinkProblem, LinkResult};

/// The link's view parameters the page understands.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// `embed=chart` or `embed=results`.
    pub embed: Option<Embed>,
    /// `theme=light|dark`; none follows the system.
    pub theme: Option<String>,
    /// `seed=…`: the serving lab's random seed, when it is a whole number.
    pub seed: Option<u64>,
    /// `chunk=…`: the serving lab's tokens per chunked-prefill step, when a whole number.
    pub chunk: Option<u32>,
    /// `hit=…`: the serving lab's prefix-cache hit rate, percent (0 to 100).
    pub hit: Option<f64>,
    /// `section=…`: the page section to open at (one of [`SECTIONS`]' ids).
    pub section: Option<&'static str>,
    /// `cmp=…`: model preset ids the architecture comparison chart draws beside the current
    /// model (known ids only, in link order).
    pub compare: Vec<String>,
}

/// Reads a `cmp` value: comma-separated model preset ids (case-insensitive, duplicates and
/// blanks dropped) as (known preset ids, unknown ids as written).
pub fn compare_ids(value: &str) -> (Vec<String>, Vec<String>) {
    let mut known: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        let lower = id.to_ascii_lowercase();
        match crate::catalogue::presets::model_preset(&lower) {
            Some(p) if !known.contains(&p.id) => known.push(p.id.clone()),
            Some(_) => {}
            None => unknown.push(truncate(id, 40)),
        }
    }
    (known, unknown)
}

/// The `cmp` value of `ids` (empty: no `cmp` at all).
pub fn compare_value(ids: &[String]) -> Option<String> {
    (!ids.is_empty()).then(|| ids.join(","))
}

/// `ids` with `id` added (at the end) or removed (the comparison's model picker).
pub fn toggled(ids: &[String], id: &str, on: bool) -> Vec<String> {
    let mut out: Vec<String> = ids.iter().filter(|x| *x != id).cloned().collect();
    if on {
        out.push(id.to_string());
    }
    out
}

/// The page's sections in the navigation, in page order: (link id, element id, label).
pub const SECTIONS: &[(&str, &str, &str)] = &[
    ("results", "sec-results", "Results"),
    ("charts", "sec-charts", "Charts"),
    ("compare", "sec-compare", "Compare"),
    ("lab", "sec-lab", "Serving lab"),
    ("planner", "sec-planner", "Planner"),
    ("validation", "sec-validation", "Validation"),
    ("calibrate", "sec-calibrate", "Calibrate"),
    ("saved", "sec-saved", "Saved setups"),
    ("share", "sec-share", "Share"),
];

/// The section of link id `id` (case-insensitive), if there is one.
pub fn section(id: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let id = id.trim();
    SECTIONS.iter().find(|s| s.0.eq_ignore_ascii_case(id))
}

impl View {
    /// Whether the page is dark: the link's theme, else the system's preference.
    pub fn dark(&self, system_prefers_dark: bool) -> bool {
        match self.theme.as_deref() {
            Some("dark") => true,
            Some(_) => false,
            None => system_prefers_dark,
        }
    }
}

/// What an embedded page shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Embed {
    /// One chart, filling the frame.
    Chart(ChartKind),
    /// The results card alone.
    Results,
}

impl Embed {
    /// The `data-embed` value: the chart's id or `results`.
    pub fn id(self) -> &'static str {
        match self {
            Embed::Chart(k) => k.id(),
            Embed::Results => "results",
        }
    }
}

/// Reads the opened link: the scenario, the problems found, and the view parameters.
/// Unknown view values become problems too (after the link's own).
pub fn read_link(query: &str) -> (LinkResult, View, Vec<LinkProblem>) {
    let result = decode(query);
    let mut problems = Vec::new();
    let mut view = View {
        seed: result
            .extra("seed")
            .and_then(|s| s.trim().parse::<u64>().ok()),
        chunk: result
            .extra("chunk")
            .and_then(|s| s.trim().parse::<u32>().ok())
            .filter(|&c| c >= 1),
        hit: result
            .extra("hit")
            .and_then(|s| crate::format::parse_f64(s.trim()))
            .filter(|h| (0.0..=100.0).contains(h)),
        ..View::default()
    };
    match result.extra("embed") {
        None => {}
        Some("results") => view.embed = Some(Embed::Results),
        Some("chart") | Some("") => {
            let id = result.extra("chart").unwrap_or("cost-batch");
            match ChartKind::from_id(id) {
                Some(k) => view.embed = Some(Embed::Chart(k)),
                None => {
                    problems.push(LinkProblem {
                        key: "chart".into(),
                        problem: format!(
                            "unknown chart {:?}; showing cost-batch (charts: {})",
                            truncate(id, 40),
                            ChartKind::ALL
                                .iter()
                                .map(|k| k.id())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    view.embed = Some(Embed::Chart(ChartKind::CostBatch));
                }
            }
        }
        Some(other) => problems.push(LinkProblem {
            key: "embed".into(),
            problem: format!(
                "unknown value {:?}; expected chart or results",
                truncate(other, 40)
            ),
        }),
    }
    if let Some(id) = result.extra("section") {
        match section(id) {
            Some(s) => view.section = Some(s.0),
            None => problems.push(LinkProblem {
                key: "section".into(),
                problem: format!(
                    "unknown section {:?}; opening at the top (sections: {})",
                    truncate(id, 40),
                    SECTIONS.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }
    if let Some(v) = result.extra("cmp") {
        let (known, unknown) = compare_ids(v);
        if !unknown.is_empty() {
            problems.push(LinkProblem {
                key: "cmp".into(),
                problem: format!(
                    "unknown model preset {}; comparing the others (models: {})",
                    unknown
                        .iter()
                        .map(|u| format!("{u:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    crate::catalogue::presets::model_presets()
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        view.compare = known;
    }
    match result.extra("theme") {
        None | Some("system") | Some("auto") => {}
        Some(t @ ("light" | "dark")) => view.theme = Some(t.to_string()),
        Some(other) => problems.push(LinkProblem {
            key: "theme".into(),
            problem: format!(
                "unknown theme {:?}; following the system",
                truncate(other, 40)
            ),
        }),
    }
    (result, view, problems)
}

/// What the page opens on: the setup, the view, and everything wrong with the link.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    /// The scenario and preset ids (the link's, else the defaults).
    pub setup: Setup,
    /// The view parameters.
    pub view: View,
    /// The link's problems, then the view parameters' problems.
    pub problems: Vec<LinkProblem>,
}

impl Opening {
    /// Reads the page's query string (`?…`, or empty for the default page).
    pub fn from_query(query: &str) -> Opening {
        if query.trim_start_matches('?').is_empty() {
            return Opening {
                setup: Setup::default(),
                view: View::default(),
                problems: Vec::new(),
            };
        }
        let (r, view, view_problems) = read_link(query);
        let mut problems = r.problems;
        problems.extend(view_problems);
        Opening {
            setup: Setup {
                scenario: r.scenario,
                model_preset: r.model_preset,
                hardware_preset: r.hardware_preset,
                reset: 0,
            },
            view,
            problems,
        }
    }
}

/// The extras of a link the page writes: `extras`, then the lab's seed, chunk budget and
/// prefix-cache hit rate (percent) when it has them.
pub fn link_extras(
    extras: &[(String, String)],
    lab_seed: Option<u64>,
    lab_chunk: Option<u32>,
    lab_hit: Option<f64>,
) -> Vec<(String, String)> {
    link_extras_in(extras, lab_seed, lab_chunk, lab_hit, None)
}

/// [`link_extras`], then the section the navigation went to (never in an embed's link: an
/// embed shows one thing).
pub fn link_extras_in(
    extras: &[(String, String)],
    lab_seed: Option<u64>,
    lab_chunk: Option<u32>,
    lab_hit: Option<f64>,
    section: Option<&str>,
) -> Vec<(String, String)> {
    let mut out = extras.to_vec();
    if let Some(s) = section.filter(|_| !extras.iter().any(|(k, _)| k == "embed")) {
        out.push(("section".into(), s.to_string()));
    }
    if let Some(seed) = lab_seed {
        out.push(("seed".into(), seed.to_string()));
    }
    if let Some(chunk) = lab_chunk {
        out.push(("chunk".into(), chunk.to_string()));
    }
    if let Some(hit) = lab_hit {
        out.push(("hit".into(), hit.to_string()));
    }
    out
}

/// The embed snippet's choice: `results`, or a chart id.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedChoice<'a>(pub &'a str);

impl EmbedChoice<'_> {
    /// The extras its link carries, and the iframe's title.
    pub fn extras_and_title(&self) -> (Vec<(String, String)>, String) {
        if self.0 == "results" {
            (
                vec![("embed".to_string(), "results".to_string())],
                "Roofline results".to_string(),
            )
        } else {
            let title = ChartKind::from_id(self.0)
                .map(|k| k.title())
                .unwrap_or("chart");
            (
                vec![
                    ("embed".to_string(), "chart".to_string()),
                    ("chart".to_string(), self.0.to_string()),
                ],
                format!("Roofline: {title}"),
            )
        }
    }

    /// The `<iframe>` snippet for the page at `src`, titled `title`.
    pub fn snippet(&self, src: &str, title: &str) -> String {
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"800\" height=\"{}\" style=\"border:0;max-width:100%\" loading=\"lazy\" sandbox=\"allow-scripts allow-popups\"></iframe>",
            html_attr(src),
            html_attr(title),
            if self.0 == "results" { 520 } else { 480 }
        )
    }
}

/// Escapes text for an HTML attribute value in the snippet.
pub fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_query_opens_the_defaults() {
        let o = Opening::from_query("?");
        assert_eq!(o.setup, Setup::default());
        assert_eq!(o.view, View::default());
        assert!(o.problems.is_empty());
        assert_eq!(Opening::from_query(""), o);
    }

    #[test]
    fn toggling_a_compared_model_adds_it_at_the_end_or_removes_it() {
        let ids = vec!["a".to_string(), "b".to_string()];
        assert_eq!(toggled(&ids, "c", true), vec!["a", "b", "c"]);
        assert_eq!(toggled(&ids, "a", true), vec!["b", "a"]);
        assert_eq!(toggled(&ids, "a", false), vec!["b"]);
        assert_eq!(toggled(&ids, "z", false), ids);
        assert!(toggled(&[], "a", false).is_empty());
    }

    #[test]
    fn compared_models_are_read_and_unknown_ones_named() {
        let (_, v, p) = read_link("?v=1&cmp=deepseek-v3,Qwen3-235B-A22B,,deepseek-v3");
        assert_eq!(v.compare, vec!["deepseek-v3", "qwen3-235b-a22b"]);
        assert!(p.is_empty(), "{p:?}");
        let (_, v, p) = read_link("?v=1&cmp=deepseek-v3,no-such-model");
        assert_eq!(v.compare, vec!["deepseek-v3"]);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, "cmp");
        assert!(
            p[0].problem.contains("\"no-such-model\"") && p[0].problem.contains("deepseek-v3"),
            "{p:?}"
        );
        assert_eq!(compare_value(&v.compare).as_deref(), Some("deepseek-v3"));
        assert_eq!(compare_value(&[]), None);
        // The value survives a written link.
        let extras = vec![("cmp".to_string(), "deepseek-v3,kimi-k2".to_string())];
        let link = crate::scenario::link::encode_with_presets(
            &crate::scenario::Scenario::default(),
            None,
            None,
            &extras,
        );
        let (_, v, _) = read_link(&link);
        assert_eq!(v.compare, vec!["deepseek-v3", "kimi-k2"]);
    }

    #[test]
    fn embed_chart_and_theme() {
        let (_, v, p) = read_link("?v=1&embed=chart&chart=roofline&theme=dark&seed=7");
        assert_eq!(v.embed, Some(Embed::Chart(ChartKind::Roofline)));
        assert_eq!(v.theme.as_deref(), Some("dark"));
        assert_eq!(v.seed, Some(7));
        assert!(v.dark(false));
        assert!(p.is_empty(), "{p:?}");
        let (_, v, _) = read_link("?v=1&embed=results&theme=light");
        assert_eq!(v.embed, Some(Embed::Results));
        assert_eq!(Embed::Results.id(), "results");
        assert!(!v.dark(true));
        let (_, v, _) = read_link("?v=1&embed=&theme=auto");
        assert_eq!(v.embed, Some(Embed::Chart(ChartKind::CostBatch)));
        assert!(v.dark(true) && !v.dark(false));
    }

    #[test]
    fn unknown_view_values_are_problems_after_the_links_own() {
        let o = Opening::from_query("?v=1&batch=abc&embed=chart&chart=nope&theme=pink");
        let keys: Vec<&str> = o.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.last(), Some(&"theme"));
        assert!(
            keys.contains(&"chart") && keys.contains(&"batch"),
            "{keys:?}"
        );
        assert!(keys.iter().position(|k| *k == "batch") < keys.iter().position(|k| *k == "chart"));
        assert_eq!(o.view.embed, Some(Embed::Chart(ChartKind::CostBatch)));
        assert_eq!(o.view.theme, None);
        let (_, _, p) = read_link("?embed=poster");
        assert_eq!(p[0].key, "embed");
        assert!(p[0].problem.contains("expected chart or results"));
        assert_eq!(read_link("?seed=x").1.seed, None);
    }

    #[test]
    fn written_links_keep_the_lab_seed() {
        let extras = vec![("embed".to_string(), "results".to_string())];
        assert_eq!(link_extras(&extras, None, None, None), extras);
        assert_eq!(
            link_extras(&[], Some(9), None, None),
            vec![("seed".to_string(), "9".to_string())]
        );
        assert_eq!(
            link_extras(&[], None, Some(512), None),
            vec![("chunk".to_string(), "512".to_string())]
        );
        assert_eq!(read_link("?chunk=512").1.chunk, Some(512));
        assert_eq!(read_link("?chunk=0").1.chunk, None);
        assert_eq!(
            link_extras(&[], None, None, Some(37.5)),
            vec![("hit".to_string(), "37.5".to_string())]
        );
        assert_eq!(read_link("?hit=37.5").1.hit, Some(37.5));
        assert_eq!(read_link("?hit=100").1.hit, Some(100.0));
        assert_eq!(read_link("?hit=101").1.hit, None);
        assert_eq!(read_link("?hit=-1").1.hit, None);
        assert_eq!(read_link("?hit=x").1.hit, None);
    }

    #[test]
    fn the_section_travels_in_the_link() {
        let (_, v, p) = read_link("?v=1&section=lab");
        assert_eq!(v.section, Some("lab"));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(read_link("?section=Planner").1.section, Some("planner"));
        let (_, v, p) = read_link("?section=nowhere");
        assert_eq!(v.section, None);
        assert_eq!(p[0].key, "section");
        assert!(p[0].problem.contains("opening at the top"), "{p:?}");
        assert_eq!(
            link_extras_in(&[], Some(3), None, None, Some("lab")),
            vec![
                ("section".to_string(), "lab".to_string()),
                ("seed".to_string(), "3".to_string())
            ]
        );
        let embed = vec![("embed".to_string(), "results".to_string())];
        assert_eq!(link_extras_in(&embed, None, None, None, Some("lab")), embed);
        let q = crate::scenario::link::encode(
            &crate::scenario::Scenario::default(),
            &[("section".into(), "share".into())],
        );
        assert_eq!(read_link(&q).1.section, Some("share"));
        assert!(SECTIONS.iter().all(|s| section(s.0).is_some()));
    }

    #[test]
    fn embed_snippets() {
        let (extras, title) = EmbedChoice("results").extras_and_title();
        assert_eq!(extras, vec![("embed".to_string(), "results".to_string())]);
        assert_eq!(title, "Roofline results");
        let c = EmbedChoice("roofline");
        let (extras, title) = c.extras_and_title();
        assert_eq!(extras[1], ("chart".to_string(), "roofline".to_string()));
        assert_eq!(title, format!("Roofline: {}", ChartKind::Roofline.title()));
        let s = c.snippet("https://x/?a=1&b=\"2\"", "T <1>");
        assert!(s.contains("src=\"https://x/?a=1&amp;b=&quot;2&quot;\""));
        assert!(s.contains("title=\"T &lt;1&gt;\"") && s.contains("height=\"480\""));
        assert!(EmbedChoice("results")
            .snippet("u", "t")
            .contains("height=\"520\""));
    }
}
