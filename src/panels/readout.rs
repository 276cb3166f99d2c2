//! The readout under the pointer on a chart: the nearest point's own text, else the axes'
//! values at the pointer.

use crate::chart::ChartInfo;

/// Pixels (CSS) within which the nearest point wins over the axes' values.
pub const SNAP_CSS_PX: f64 = 24.0;

/// The readout at device pixel (px, py) of a chart drawn at `dpr` device pixels per CSS
/// pixel; `None` outside the plot.
pub fn readout(info: &ChartInfo, px: f64, py: f64, dpr: f64) -> Option<String> {
    if let Some(r) = info.nearest(px, py, SNAP_CSS_PX * dpr) {
        return Some(r.text);
    }
    let (x, y, y2) = info.data_at(px, py)?;
    let mut t = format!(
        "{} = {}, {} = {}",
        info.x.label,
        info.x.format(x),
        info.y.label,
        info.y.format(y)
    );
    if let (Some(a), Some(v)) = (info.y2.as_ref(), y2) {
        t.push_str(&format!(", {} = {}", a.label, a.format(v)));
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app_state::initial_scenario;
    use crate::chart::{self, ChartKind, ChartStyle};

    #[test]
    fn inside_the_plot_there_is_a_readout_and_outside_none() {
        let s = initial_scenario();
        let style = ChartStyle::light();
        let mut info = None;
        chart::svg_with(800, 480, |area| {
            info = Some(chart::draw(ChartKind::CostBatch, area, &s, &style)?);
            Ok(())
        })
        .unwrap();
        let info = info.unwrap();
        let p = &info.plot;
        let (cx, cy) = ((p.left + p.right) / 2.0, (p.top + p.bottom) / 2.0);
        let text = readout(&info, cx, cy, 1.0).unwrap();
        assert!(!text.is_empty());
        assert_eq!(readout(&info, -10.0, -10.0, 1.0), None);
    }
}
