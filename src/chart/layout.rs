//! Pure layout for the renderer: estimated text sizes, wrapping, where labels go so they
//! overlap neither each other nor the data, and when a chart counts as compact. Pixels are
//! the backend's (CSS pixels × scale); nothing here draws.

/// Below this width in CSS pixels a chart is compact: smaller fonts, shorter labels.
pub(crate) const COMPACT_BELOW_CSS_PX: f64 = 560.0;

/// Whether a chart `width_px` backend pixels wide at `scale` backend pixels per CSS pixel
/// is compact (narrower than [`COMPACT_BELOW_CSS_PX`] CSS pixels).
pub(crate) fn is_compact(width_px: u32, scale: f64) -> bool {
    (width_px as f64 / scale) < COMPACT_BELOW_CSS_PX
}

/// A box in pixels: (left, top, right, bottom), top < bottom.
pub(crate) type PixBox = (i32, i32, i32, i32);

/// Width and height in pixels of `text` at font size `size` px, from per-character widths
/// of a typical sans-serif (DejaVu Sans, slightly generous for Helvetica/Arial). No backend
/// measuring: on a canvas plotters would measure each string through the DOM (a layout per
/// call), too slow for redrawing every chart in one frame, and natively it only guesses
/// from byte counts.
pub(crate) fn text_size(text: &str, size: f64) -> (i32, i32) {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | 'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '/' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' | '%' => 0.9,
            '0'..='9' | '$' | '*' | '+' | '=' | '<' | '>' | '≈' | '×' | '→' => 0.64,
            c if c.is_uppercase() => 0.7,
            _ => 0.57,
        })
        .sum();
    ((em * size).round() as i32, size.round() as i32)
}

/// Splits `text` into lines no wider than `max_w` pixels at font size `size` (by
/// [`text_size`]); a word wider than `max_w` gets a line of its own.
pub(crate) fn wrap(text: &str, size: f64, max_w: i32) -> Vec<String> {
    let width = |s: &str| text_size(s, size).0;
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width(&cand) > max_w && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Obstacles per run in [`Placer`]'s index.
const CHUNK: usize = 32;

/// Placed label boxes, to keep labels from overlapping each other and the data.
pub(crate) struct Placer {
    /// Labels placed so far.
    boxes: Vec<PixBox>,
    /// Drawn data (line samples, dots): labels avoid them, less strongly than each other.
    obstacles: Vec<PixBox>,
    /// The box around each run of [`CHUNK`] consecutive obstacles (samples along a line lie
    /// close together): a candidate outside a run's box overlaps none of its obstacles.
    chunks: Vec<PixBox>,
    /// The plot: labels stay inside it.
    bounds: PixBox,
}

impl Placer {
    /// An empty placer for labels inside `bounds`.
    pub(crate) fn new(bounds: PixBox) -> Self {
        Placer {
            boxes: Vec::new(),
            obstacles: Vec::new(),
            chunks: Vec::new(),
            bounds,
        }
    }

    /// The plot's box.
    pub(crate) fn bounds(&self) -> PixBox {
        self.bounds
    }

    /// Records drawn data that labels should keep off.
    pub(crate) fn avoid(&mut self, obstacles: impl IntoIterator<Item = PixBox>) {
        for o in obstacles {
            if self.obstacles.len().is_multiple_of(CHUNK) {
                self.chunks.push(o);
            } else if let Some(c) = self.chunks.last_mut() {
                *c = (c.0.min(o.0), c.1.min(o.1), c.2.max(o.2), c.3.max(o.3));
            }
            self.obstacles.push(o);
        }
    }

    /// How badly box `b` is placed: overlap with labels (weighted 4), with data, and
    /// (weighted 1000 per pixel) how far it sticks out of the plot. Runs of obstacles whose
    /// box does not overlap `b` are skipped: each of their overlaps is 0, so the total is the
    /// plain sum's.
    fn overlap(&self, b: PixBox) -> i64 {
        let area = |o: &PixBox| {
            let w = (b.2.min(o.2) - b.0.max(o.0)).max(0) as i64;
            let h = (b.3.min(o.3) - b.1.max(o.1)).max(0) as i64;
            w * h
        };
        let mut data = 0;
        for (k, c) in self.chunks.iter().enumerate() {
            if c.0 >= b.2 || b.0 >= c.2 || c.1 >= b.3 || b.1 >= c.3 {
                continue;
            }
            let run = &self.obstacles[k * CHUNK..((k + 1) * CHUNK).min(self.obstacles.len())];
            data += run.iter().map(area).sum::<i64>();
        }
        let total = 4 * self.boxes.iter().map(area).sum::<i64>() + data;
        let (l, t, r, bt) = self.bounds;
        let outside =
            ((l - b.0).max(0) + (b.2 - r).max(0) + (t - b.1).max(0) + (b.3 - bt).max(0)) as i64;
        total + outside * 1000
    }

    /// [`Self::overlap`] over every obstacle (the plain sum; tests compare the two).
    #[cfg(test)]
    fn overlap_all(&self, b: PixBox) -> i64 {
        let area = |o: &PixBox| {
            let w = (b.2.min(o.2) - b.0.max(o.0)).max(0) as i64;
            let h = (b.3.min(o.3) - b.1.max(o.1)).max(0) as i64;
            w * h
        };
        let total = 4 * self.boxes.iter().map(area).sum::<i64>()
            + self.obstacles.iter().map(area).sum::<i64>();
        let (l, t, r, bt) = self.bounds;
        let outside =
            ((l - b.0).max(0) + (b.2 - r).max(0) + (t - b.1).max(0) + (b.3 - bt).max(0)) as i64;
        total + outside * 1000
    }

    /// The least-overlapping candidate, only if it overlaps no other label; records it.
    pub(crate) fn place_clear(&mut self, candidates: &[PixBox]) -> Option<PixBox> {
        let labels_only = Placer {
            boxes: self.boxes.clone(),
            obstacles: Vec::new(),
            chunks: Vec::new(),
            bounds: self.bounds,
        };
        let clear: Vec<_> = candidates
            .iter()
            .copied()
            .filter(|b| labels_only.overlap(*b) == 0)
            .collect();
        self.place(&clear)
    }

    /// The first candidate box with no overlap, else the least-overlapping; records it.
    pub(crate) fn place(&mut self, candidates: &[PixBox]) -> Option<PixBox> {
        // The first with overlap 0 is the best (no overlap is below 0): stop there.
        let mut best: Option<(i64, PixBox)> = None;
        for &b in candidates {
            let o = self.overlap(b);
            if best.is_none_or(|(bo, _)| o < bo) {
                best = Some((o, b));
                if o == 0 {
                    break;
                }
            }
        }
        let best = best?.1;
        #[cfg(test)]
        {
            // Every chart test checks the fast choice against the plain one.
            let plain = candidates
                .iter()
                .copied()
                .enumerate()
                .min_by_key(|(i, b)| (self.overlap_all(*b), *i))
                .map(|(_, b)| b);
            assert_eq!(
                plain,
                Some(best),
                "label placement differs from the plain sum"
            );
        }
        self.boxes.push(best);
        Some(best)
    }
}

/// Obstacles along a drawn polyline `pix`: a square of half-size `half` every 4 pixels or
/// less; a lone point gets a square of half-size `dot`.
pub(crate) fn path_obstacles(pix: &[(i32, i32)], half: i32, dot: i32) -> Vec<PixBox> {
    let mut out = Vec::new();
    for w2 in pix.windows(2) {
        let (a, b) = (w2[0], w2[1]);
        let len = (((b.0 - a.0) as f64).powi(2) + ((b.1 - a.1) as f64).powi(2)).sqrt();
        let steps = ((len / 4.0).ceil() as i32).clamp(1, 2000);
        for k in 0..=steps {
            let f = k as f64 / steps as f64;
            let x = a.0 + ((b.0 - a.0) as f64 * f).round() as i32;
            let y = a.1 + ((b.1 - a.1) as f64 * f).round() as i32;
            out.push((x - half, y - half, x + half, y + half));
        }
    }
    if let [p] = pix[..] {
        out.push((p.0 - dot, p.1 - dot, p.0 + dot, p.1 + dot));
    }
    out
}

/// Where a vertical line's label may go, best first: in one of four rows of height `row_h`
/// from `top`, right of the line at `lx`, else left, `gap` away; `size` is (width, height).
pub(crate) fn vline_candidates(
    lx: i32,
    top: i32,
    (bw, bh): (i32, i32),
    row_h: i32,
    gap: i32,
) -> Vec<PixBox> {
    let mut cands = Vec::new();
    for row in 0..4 {
        let t = top + row * row_h;
        cands.push((lx + gap, t, lx + gap + bw, t + bh));
        cands.push((lx - gap - bw, t, lx - gap, t + bh));
    }
    cands
}

/// Where a band's label may go, best first: bottom-left inside the band `la..lb` above
/// `bottom`, bottom-right, then one row up on the left; `gap` from the edges.
pub(crate) fn region_candidates(
    la: i32,
    lb: i32,
    bottom: i32,
    (bw, bh): (i32, i32),
    gap: i32,
) -> [PixBox; 3] {
    [
        (la + gap, bottom - bh, la + gap + bw, bottom),
        (lb - gap - bw, bottom - bh, lb - gap, bottom),
        (la + gap, bottom - 2 * bh, la + gap + bw, bottom - bh),
    ]
}

/// Where a reference level's label may go: centred on the line at height `cy`, at six
/// places from `pa + edge` to `pb - end` (the label's width and `end` subtracted).
pub(crate) fn inline_candidates(
    pa: i32,
    pb: i32,
    cy: i32,
    (bw, bh): (i32, i32),
    (edge, end): (i32, i32),
) -> Vec<PixBox> {
    (0..6)
        .map(|k| {
            let free = (pb - pa - bw - end).max(0);
            let left = pa + edge + free * k / 5;
            (left, cy - bh / 2, left + bw, cy + bh - bh / 2)
        })
        .collect()
}

/// Where a point's label may go, best first: the four diagonals `g` from (cx, cy), centred
/// above and below (`lift` further), then a row further out on three diagonals.
pub(crate) fn point_candidates(
    (cx, cy): (i32, i32),
    (bw, bh): (i32, i32),
    g: i32,
    lift: i32,
) -> [PixBox; 9] {
    [
        (cx + g, cy - g - bh, cx + g + bw, cy - g),
        (cx + g, cy + g, cx + g + bw, cy + g + bh),
        (cx - g - bw, cy - g - bh, cx - g, cy - g),
        (cx - g - bw, cy + g, cx - g, cy + g + bh),
        (cx - bw / 2, cy - g - bh - lift, cx + bw / 2, cy - g - lift),
        (cx - bw / 2, cy + g + lift, cx + bw / 2, cy + g + bh + lift),
        (cx + g, cy - g - 2 * bh, cx + g + bw, cy - g - bh),
        (cx + g, cy + g + bh, cx + g + bw, cy + g + 2 * bh),
        (cx - g - bw, cy - g - 2 * bh, cx - g, cy - g - bh),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(a: PixBox, b: PixBox) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn compact_below_560_css_pixels() {
        assert!(is_compact(559, 1.0));
        assert!(!is_compact(560, 1.0));
        assert!(is_compact(1000, 2.0));
        assert!(!is_compact(1120, 2.0));
    }

    #[test]
    fn text_size_grows_with_characters_and_font_size() {
        let (w, h) = text_size("memory-bound", 12.0);
        assert_eq!(h, 12);
        assert!(w > 0);
        assert_eq!(text_size("", 12.0).0, 0);
        assert!(text_size("WWW", 12.0).0 > text_size("iii", 12.0).0);
        let (w12, w24) = (text_size("ab", 12.0).0, text_size("ab", 24.0).0);
        assert!((w24 - 2 * w12).abs() <= 1, "{w12} {w24}");
    }

    #[test]
    fn wrap_keeps_lines_within_width_and_words_whole() {
        let text = "green rings: published fast-tier price multipliers applied to the cost";
        let lines = wrap(text, 11.0, 150);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_size(l, 11.0).0 <= 150 || !l.contains(' '), "{l}");
        }
        assert_eq!(lines.join(" "), text);
        // A word wider than the line stands alone; nothing is lost or empty.
        let lines = wrap("a supercalifragilistic b", 11.0, 30);
        assert_eq!(lines, vec!["a", "supercalifragilistic", "b"]);
        assert!(wrap("   ", 11.0, 30).is_empty());
    }

    #[test]
    fn placer_avoids_placed_labels() {
        let mut p = Placer::new((0, 0, 400, 300));
        let first = p.place(&[(10, 10, 60, 30), (100, 10, 150, 30)]).unwrap();
        assert_eq!(first, (10, 10, 60, 30));
        let second = p.place(&[(20, 15, 70, 35), (100, 10, 150, 30)]).unwrap();
        assert!(!overlaps(first, second));
        assert_eq!(second, (100, 10, 150, 30));
    }

    #[test]
    fn placer_prefers_labels_clear_of_data_and_inside_the_plot() {
        let mut p = Placer::new((0, 0, 400, 300));
        p.avoid(path_obstacles(&[(0, 20), (400, 20)], 2, 6));
        let b = p
            .place(&[(-30, 100, 20, 120), (10, 10, 60, 30), (10, 40, 60, 60)])
            .unwrap();
        assert_eq!(b, (10, 40, 60, 60));
        // Only crowded places: the least bad one is still used.
        let mut p = Placer::new((0, 0, 100, 100));
        p.place(&[(0, 0, 100, 100)]);
        assert!(p.place(&[(10, 10, 20, 20)]).is_some());
        assert!(p.place(&[]).is_none());
    }

    #[test]
    fn place_clear_drops_a_label_rather_than_overlap_another() {
        let mut p = Placer::new((0, 0, 400, 300));
        p.place(&[(0, 0, 100, 20)]);
        assert_eq!(p.place_clear(&[(50, 10, 150, 30)]), None);
        // Data underneath does not stop it.
        p.avoid([(200, 0, 300, 40)]);
        assert_eq!(
            p.place_clear(&[(50, 10, 150, 30), (210, 10, 290, 30)]),
            Some((210, 10, 290, 30))
        );
    }

    /// The indexed overlap (runs of obstacles skipped where their box is clear) gives the
    /// plain sum for every box, obstacles scattered or close, wide or narrow.
    #[test]
    fn indexed_overlap_equals_the_plain_sum() {
        let mut seed = 7u64;
        let mut next = |n: i32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n as u64) as i32
        };
        for round in 0..50 {
            let mut p = Placer::new((0, 0, 800, 400));
            for k in 0..6 {
                // Large batches and single boxes (runs cut across calls).
                let count = if k % 2 == 0 {
                    200
                } else {
                    1 + next(4) as usize
                };
                let obs: Vec<PixBox> = (0..count)
                    .map(|_| {
                        let (x, y) = (next(900) - 50, next(500) - 50);
                        let (w, h) = (next(if round % 3 == 0 { 300 } else { 12 }), next(30));
                        (x, y, x + w, y + h)
                    })
                    .collect();
                p.avoid(obs);
                let cands: Vec<PixBox> = (0..9)
                    .map(|_| {
                        let (x, y) = (next(900) - 50, next(500) - 50);
                        (x, y, x + 10 + next(120), y + 8 + next(20))
                    })
                    .collect();
                for &b in &cands {
                    assert_eq!(p.overlap(b), p.overlap_all(b), "{b:?}");
                }
                // `place` asserts its choice equals the plain sum's (under cfg(test)).
                p.place(&cands);
            }
        }
    }

    /// Every chart, for every model preset on two chips, at the page's sizes and pixel
    /// ratios: `place` (which checks its choice against the plain sum's under cfg(test))
    /// places the charts' real labels as the plain sum does.
    #[test]
    fn placement_on_every_chart_matches_the_plain_sum() {
        use crate::catalogue::presets::model_presets;
        use crate::chart::{svg, ChartKind, ChartStyle};
        use crate::scenario::Scenario;
        for preset in model_presets().iter().step_by(3) {
            let s = Scenario {
                model: preset.spec.clone(),
                ..Scenario::default()
            };
            for kind in ChartKind::ALL {
                for (w, h, scale) in [(866, 460, 1.0), (1732, 920, 2.0), (420, 260, 1.0)] {
                    let style = ChartStyle::light().with_scale(scale);
                    // An error (e.g. a model that does not fit) draws nothing to compare.
                    let _ = svg(kind, &s, w, h, &style);
                }
            }
        }
    }

    #[test]
    fn path_obstacles_sample_every_four_pixels() {
        let obs = path_obstacles(&[(0, 0), (40, 0)], 2, 6);
        assert_eq!(obs.len(), 11);
        assert!(obs.windows(2).all(|w| w[1].0 - w[0].0 <= 4));
        assert_eq!(path_obstacles(&[(5, 5)], 2, 6), vec![(-1, -1, 11, 11)]);
        assert!(path_obstacles(&[], 2, 6).is_empty());
    }

    #[test]
    fn candidates_of_one_label_do_not_cover_its_anchor() {
        let (cx, cy) = (200, 150);
        for b in point_candidates((cx, cy), (60, 14), 7, 4) {
            assert!(!overlaps(b, (cx - 5, cy - 5, cx + 5, cy + 5)), "{b:?}");
        }
        for b in vline_candidates(100, 10, (50, 14), 18, 3) {
            assert!(b.2 <= 97 || b.0 >= 103, "{b:?}");
        }
        let inline = inline_candidates(0, 300, 50, (40, 14), (4, 8));
        assert_eq!(inline[0].0, 4);
        assert!(inline.iter().all(|b| b.2 <= 300 && b.1 < 50 && b.3 > 50));
        let [a, b, c] = region_candidates(0, 200, 300, (40, 14), 3);
        assert!(a.3 == 300 && b.2 == 197 && c.3 == a.1);
    }
}
