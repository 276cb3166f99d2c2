//! Axis arithmetic: ranges that never collapse or go NaN, tick positions, tick labels.
//!
//! Pure functions on plain numbers; the renderer draws in *transformed* coordinates
//! (log10 of the value on a log axis, the value itself on a linear one), so one plotters
//! coordinate type serves every chart.

/// How an axis maps values to positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// Base-10 logarithmic; only positive values can be shown.
    Log,
}

/// How tick labels and readouts print a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain number with SI suffix (k, M, G, T, P) from 10^4 up.
    Number,
    /// US dollars: `$0.25`, `$12`.
    Usd,
    /// A percentage (the value is already ×100): `95%`.
    Percent,
}

impl Scale {
    /// Value → drawing coordinate (log10 on a log axis); `None` if not drawable.
    pub fn forward(self, v: f64) -> Option<f64> {
        match self {
            Scale::Linear if v.is_finite() => Some(v),
            Scale::Log if v.is_finite() && v > 0.0 => Some(v.log10()),
            _ => None,
        }
    }

    /// Drawing coordinate → value.
    pub fn inverse(self, t: f64) -> f64 {
        match self {
            Scale::Linear => t,
            Scale::Log => 10f64.powf(t),
        }
    }
}

/// A range `(lo, hi)` with lo < hi, both finite (and positive on a log axis), covering
/// every drawable value, widened to round numbers. Degenerate input gets a sensible range:
/// no values → 1..10 (log) or 0..1 (linear); one value v → v/2..2v (log) or v±10%.
pub fn fit_range(
    values: impl IntoIterator<Item = f64>,
    scale: Scale,
    include_zero: bool,
) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values {
        if scale.forward(v).is_some() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    match scale {
        Scale::Log => {
            if !(lo.is_finite() && hi.is_finite()) {
                return (1.0, 10.0);
            }
            if hi / lo < 1.0 + 1e-9 {
                lo /= 2.0;
                hi *= 2.0;
            }
            let (lo, hi) = (nice_log_floor(lo), nice_log_ceil(hi));
            if hi > lo && lo > 0.0 && hi.is_finite() {
                (lo, hi)
            } else {
                (1.0, 10.0)
            }
        }
        Scale::Linear => {
            if !(lo.is_finite() && hi.is_finite()) {
                return (0.0, 1.0);
            }
            if include_zero {
                lo = lo.min(0.0);
                hi = hi.max(0.0);
            }
            if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1e-300) {
                let pad = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
                let was = lo;
                lo -= pad;
                hi += pad;
                if include_zero && was >= 0.0 {
                    lo = lo.max(0.0);
                }
            }
            let step = nice_step((hi - lo) / 5.0);
            let nlo = (lo / step).floor() * step;
            let nhi = (hi / step).ceil() * step;
            if nhi > nlo && nlo.is_finite() && nhi.is_finite() {
                (nlo, nhi)
            } else {
                (lo, hi)
            }
        }
    }
}

/// The largest 1, 2 or 5 × 10^k at or below `v` (v > 0).
fn nice_log_floor(v: f64) -> f64 {
    let e = v.log10().floor();
    let base = 10f64.powf(e);
    let m = v / base;
    let f = if m >= 5.0 - 1e-9 {
        5.0
    } else if m >= 2.0 - 1e-9 {
        2.0
    } else {
        1.0
    };
    f * base
}

/// The smallest 1, 2 or 5 × 10^k at or above `v` (v > 0).
fn nice_log_ceil(v: f64) -> f64 {
    let e = v.log10().floor();
    let base = 10f64.powf(e);
    let m = v / base;
    let f = if m <= 1.0 + 1e-9 {
        1.0
    } else if m <= 2.0 + 1e-9 {
        2.0
    } else if m <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    f * base
}

/// 1, 2 or 5 × 10^k nearest above `raw` (raw > 0), the spacing of linear ticks.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let base = 10f64.powf(raw.log10().floor());
    let m = raw / base;
    let f = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    f * base
}

/// Labelled ticks and unlabelled minor grid positions within `lo..=hi`, in values (not
/// transformed), at most about `max_ticks` labelled ones.
pub fn ticks(lo: f64, hi: f64, scale: Scale, max_ticks: usize) -> (Vec<f64>, Vec<f64>) {
    let max_ticks = max_ticks.max(2);
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    match scale {
        Scale::Log => {
            if !(lo > 0.0 && hi > lo && hi.is_finite()) {
                return (Vec::new(), Vec::new());
            }
            let e0 = lo.log10().floor() as i32;
            let e1 = hi.log10().ceil() as i32;
            let decades = (e1 - e0).max(1) as usize;
            let mut major = Vec::new();
            let mut minor = Vec::new();
            let every = decades.div_ceil(max_ticks).max(1) as i32;
            let one_two_five = 3 * decades <= max_ticks;
            for e in e0..=e1 {
                let base = 10f64.powi(e);
                for m in 1..10 {
                    let v = m as f64 * base;
                    if !inside(v) {
                        continue;
                    }
                    let labelled = if one_two_five {
                        m == 1 || m == 2 || m == 5
                    } else {
                        m == 1 && (e - e0) % every == 0
                    };
                    if labelled {
                        major.push(v);
                    } else if m == 1 || decades <= 8 {
                        minor.push(v);
                    }
                }
            }
            if major.len() < 2 {
                // A narrow range inside one decade: label its ends.
                major = vec![lo, hi];
            }
            major.sort_by(f64::total_cmp);
            (major, minor)
        }
        Scale::Linear => {
            if !(hi > lo && lo.is_finite() && hi.is_finite()) {
                return (Vec::new(), Vec::new());
            }
            let step = nice_step((hi - lo) / (max_ticks as f64 - 1.0).max(1.0));
            let start = (lo / step).ceil();
            let mut major = Vec::new();
            let mut k = start;
            while major.len() < 100 {
                let v = k * step;
                if v > hi + step * 1e-9 {
                    break;
                }
                // Snap -0 and float dust to clean values.
                major.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
                k += 1.0;
            }
            (major, Vec::new())
        }
    }
}

/// A number in at most 3 significant digits, SI-suffixed from 10^4 up (`12k`, `3.4T`).
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    const SUFFIX: [(f64, &str); 6] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
    ];
    if a >= 1e4 {
        for (scale, suffix) in SUFFIX {
            if a >= scale {
                return format!("{}{suffix}", sig3(v / scale));
            }
        }
    }
    if a < 1e-3 {
        return format!("{v:.1e}");
    }
    sig3(v)
}

/// `v` with three significant digits, trailing zeros dropped.
fn sig3(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        2i32.saturating_sub(a.log10().floor() as i32).clamp(0, 8) as usize
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value as `format` prints it.
pub fn format_value(v: f64, format: Format) -> String {
    match format {
        Format::Number => format_number(v),
        Format::Usd => {
            if !v.is_finite() {
                "–".into()
            } else if v < 0.0 {
                format!("-${}", format_number(-v))
            } else {
                format!("${}", format_number(v))
            }
        }
        Format::Percent => {
            if v.is_finite() {
                format!("{}%", sig3(v))
            } else {
                "–".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(r: (f64, f64), scale: Scale) -> bool {
        r.0.is_finite() && r.1.is_finite() && r.0 < r.1 && (scale == Scale::Linear || r.0 > 0.0)
    }

    #[test]
    fn degenerate_ranges_are_sensible() {
        for scale in [Scale::Log, Scale::Linear] {
            assert!(ok(fit_range([], scale, false), scale));
            assert!(ok(fit_range([5.0], scale, false), scale));
            assert!(ok(fit_range([5.0, 5.0, 5.0], scale, true), scale));
            assert!(ok(fit_range([0.0, -3.0, f64::NAN], scale, false), scale));
            assert!(ok(fit_range([f64::INFINITY, 2.0], scale, false), scale));
            assert!(ok(fit_range([0.0], scale, true), scale));
            assert!(ok(fit_range([1e-300, 1e300], scale, false), scale));
        }
        assert_eq!(fit_range([0.0, 0.0], Scale::Linear, true), (0.0, 1.0));
        // Zero and negatives are dropped on a log axis.
        let r = fit_range([0.0, -1.0, 3.0, 40.0], Scale::Log, false);
        assert_eq!(r, (2.0, 50.0));
    }

    #[test]
    fn ranges_cover_and_round() {
        let (lo, hi) = fit_range([1.3, 870.0], Scale::Log, false);
        assert_eq!((lo, hi), (1.0, 1000.0));
        let (lo, hi) = fit_range([0.2, 7.3], Scale::Linear, true);
        assert!(lo == 0.0 && (7.3..=10.0).contains(&hi), "{lo} {hi}");
    }

    #[test]
    fn ticks_inside_and_bounded() {
        let (major, minor) = ticks(1.0, 1e6, Scale::Log, 7);
        assert_eq!(major, vec![1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6]);
        assert!(minor.contains(&20.0));
        let (major, _) = ticks(1.0, 1e20, Scale::Log, 5);
        assert!(major.len() <= 6 && major.len() >= 2, "{major:?}");
        let (major, _) = ticks(2.0, 5.0, Scale::Log, 6);
        assert!(major.len() >= 2);
        let (major, _) = ticks(0.0, 100.0, Scale::Linear, 6);
        assert_eq!(major, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert!(ticks(1.0, 1.0, Scale::Linear, 5).0.is_empty());
    }

    #[test]
    fn formats() {
        assert_eq!(format_number(295.2), "295");
        assert_eq!(format_number(1234.0), "1234");
        assert_eq!(format_number(131072.0), "131k");
        assert_eq!(format_number(9.894e14), "989T");
        assert_eq!(format_number(0.05), "0.05");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_value(0.25, Format::Usd), "$0.25");
        assert_eq!(format_value(97.5, Format::Percent), "97.5%");
        assert_eq!(format_number(f64::NAN), "–");
    }
}
