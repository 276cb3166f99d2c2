//! Numbers for people: SI values shown in human units with sensible significant figures,
//! and typed text parsed back. Pure; used by the page and the command line.

/// The text shown for a missing or non-finite number, everywhere (results, compare, charts).
pub const MISSING: &str = "—";

/// Rounds to `sig` significant figures and prints without exponent for everyday magnitudes.
pub fn sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..=15).contains(&mag) {
        return format!("{:.*e}", sig.saturating_sub(1), x);
    }
    let decimals = (sig as i32 - 1 - mag).max(0) as usize;
    let s = format!("{:.*}", decimals, x);
    group_thousands(&s)
}

/// Inserts thin separators into the integer part: 12345.6 → "12,345.6".
fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if int.len() <= 3 {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{frac}")
}

/// Seconds as µs, ms or s: 0.00704 → "7.04 ms".
pub fn seconds(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    let a = x.abs();
    if a < 1e-3 {
        format!("{} µs", sig(x * 1e6, 3))
    } else if a < 1.0 {
        format!("{} ms", sig(x * 1e3, 3))
    } else {
        format!("{} s", sig(x, 3))
    }
}

/// Bytes in decimal units: 1.412e11 → "141 GB".
pub fn bytes(x: f64) -> String {
    scaled(
        x,
        &[(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")],
        "B",
    )
}

/// Bytes per second: 3.35e12 → "3.35 TB/s".
pub fn bandwidth(x: f64) -> String {
    scaled(x, &[(1e12, "TB/s"), (1e9, "GB/s"), (1e6, "MB/s")], "B/s")
}

/// FLOPs: 9.16e12 → "9.16 TFLOP".
pub fn flops(x: f64) -> String {
    scaled(
        x,
        &[
            (1e18, "EFLOP"),
            (1e15, "PFLOP"),
            (1e12, "TFLOP"),
            (1e9, "GFLOP"),
            (1e6, "MFLOP"),
        ],
        "FLOP",
    )
}

/// FLOP/s: 7.9e15 → "7.9 PFLOP/s".
pub fn flops_rate(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    format!("{}/s", flops(x))
}

/// A parameter count: 70.6e9 → "70.6B".
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    let a = x.abs();
    if a >= 1e12 {
        format!("{}T", sig(x / 1e12, 3))
    } else if a >= 1e9 {
        format!("{}B", sig(x / 1e9, 3))
    } else if a >= 1e6 {
        format!("{}M", sig(x / 1e6, 3))
    } else {
        sig(x, 3)
    }
}

/// A whole number with separators: 12345 → "12,345".
pub fn integer(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    group_thousands(&format!("{}", x.round() as i64))
}

/// US dollars: 0.7216 → "$0.722"; 1234.5 → "$1,235".
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    if x.abs() >= 1000.0 {
        format!(
            "${}",
            sig(x.round(), 4.max(x.abs().log10().floor() as usize + 1))
        )
    } else {
        format!("${}", sig(x, 3))
    }
}

/// Joules: 0.0123 → "12.3 mJ".
pub fn joules(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    let a = x.abs();
    if a < 1e-3 {
        format!("{} µJ", sig(x * 1e6, 3))
    } else if a < 1.0 {
        format!("{} mJ", sig(x * 1e3, 3))
    } else {
        format!("{} J", sig(x, 3))
    }
}

/// Tokens per second: 9084.9 → "9,085 tok/s".
pub fn tokens_per_second(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    format!("{} tok/s", sig(x, if x.abs() >= 1000.0 { 4 } else { 3 }))
}

fn scaled(x: f64, units: &[(f64, &str)], base: &str) -> String {
    if !x.is_finite() {
        return MISSING.into();
    }
    for &(f, u) in units {
        if x.abs() >= f {
            return format!("{} {u}", sig(x / f, 3));
        }
    }
    format!("{} {base}", sig(x, 3))
}

/// `t.parse::<f64>().ok()`: the same value for the same text (both round to nearest). On
/// wasm32 the browser's own parser reads a text that has Rust's float syntax
/// ([`float_syntax`]), so the WebAssembly carries no decimal-to-binary tables of its own
/// (core's, 11 KB raw, 10 KB gzip, in every module that reads a link).
pub fn parse_f64(t: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        if !float_syntax(t) {
            return None;
        }
        if let Some(x) = float_word(t) {
            return Some(x);
        }
        // Digits, a point, an exponent: parseFloat reads all of it, correctly rounded.
        Some(js_sys::parse_float(t))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        t.parse::<f64>().ok()
    }
}

/// Whether `t` is a float as Rust's `f64::from_str` reads it: a sign, then `inf`,
/// `infinity` or `nan` (any case), or digits with at most one point (a digit on one side at
/// least) and an exponent `e`/`E`, sign, digits. No spaces, no underscores.
pub fn float_syntax(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if float_word(t).is_some() {
        return true;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The value of `inf`, `infinity` or `nan` (any case, optionally signed); `None` otherwise.
fn float_word(t: &str) -> Option<f64> {
    let (sign, word) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if word.eq_ignore_ascii_case("inf") || word.eq_ignore_ascii_case("infinity") {
        Some(sign * f64::INFINITY)
    } else if word.eq_ignore_ascii_case("nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// Parses a number as people type it: "1,024", "64", "1e3", " 2.5 ". Errors say why.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if t.is_empty() {
        return Err("is empty: enter a number".into());
    }
    match parse_f64(&t).ok_or(()) {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err("must be a finite number".into()),
        Err(_) => Err(format!("“{}” is not a number", truncate(text.trim(), 24))),
    }
}

/// Parses a whole number as typed on a command line: " 256" → 256. The error quotes it.
pub fn parse_whole(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("{text:?} is not a whole number"))
}

/// Shortens user text for an error message.
pub fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn float_syntax_is_rusts() {
        let texts = [
            "0",
            "1",
            "-1",
            "+1",
            "1.",
            ".5",
            "-.5",
            "+.5",
            "1.5",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "1.5e3",
            ".5e3",
            "5.e3",
            "00012",
            "-0",
            "1e400",
            "1e-400",
            "123456789012345678901234567890",
            "inf",
            "-inf",
            "+inf",
            "INF",
            "Infinity",
            "-infinity",
            "nan",
            "NaN",
            "-nan",
            "+NaN",
            "",
            "+",
            "-",
            ".",
            "-.",
            "e3",
            ".e3",
            "1e",
            "1e+",
            "1e-",
            "1.5.3",
            "1..5",
            "1e3.5",
            "1e3e3",
            " 1",
            "1 ",
            "1_000",
            "1,000",
            "0x10",
            "infinit",
            "infinityy",
            "nana",
            "--1",
            "+-1",
            "1f",
            "١",
            "1e٣",
            "12abc",
            "∞",
            "in",
            "i",
            "1.5e",
            "+e",
            "ee",
            "e",
            "E5",
        ];
        for t in texts {
            assert_eq!(float_syntax(t), t.parse::<f64>().is_ok(), "{t:?}");
            assert_eq!(
                parse_f64(t).map(f64::to_bits),
                t.parse::<f64>().ok().map(f64::to_bits),
                "{t:?}"
            );
        }
        assert_eq!(float_word("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(float_word("nan").is_some_and(f64::is_nan));
        assert_eq!(float_word("1"), None);
    }

    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(seconds(0.00704464), "7.04 ms");
        assert_eq!(seconds(2.5e-5), "25.0 µs");
        assert_eq!(seconds(1.5), "1.50 s");
        assert_eq!(bytes(141.2e9), "141 GB");
        assert_eq!(usd(0.72158), "$0.722");
        assert_eq!(usd(1234.4), "$1,234");
        assert_eq!(count(70.6e9), "70.6B");
        assert_eq!(count(1.0e12), "1.00T");
        assert_eq!(tokens_per_second(9084.9), "9,085 tok/s");
        assert_eq!(tokens_per_second(3746.2), "3,746 tok/s");
        assert_eq!(integer(863.0), "863");
        assert_eq!(integer(12345.0), "12,345");
        assert_eq!(sig(f64::NAN, 3), "—");
        assert_eq!(usd(f64::INFINITY), MISSING);
        assert_eq!(bytes(f64::NAN), MISSING);
        assert_eq!(tokens_per_second(f64::NAN), MISSING);
        assert_eq!(flops_rate(f64::INFINITY), MISSING);
        assert_eq!(flops_rate(7.9e15), "7.90 PFLOP/s");
    }

    #[test]
    fn parses_typed_numbers() {
        assert_eq!(parse_number("1,024"), Ok(1024.0));
        assert_eq!(parse_number(" 1e3 "), Ok(1000.0));
        assert!(parse_number("").is_err());
        assert!(parse_number("abc").unwrap_err().contains("abc"));
        assert!(parse_number("inf").is_err());
        assert!(parse_number("NaN").is_err());
        assert_eq!(parse_whole(" 256"), Ok(256));
        assert_eq!(
            parse_whole("2.5").unwrap_err(),
            "\"2.5\" is not a whole number"
        );
    }
}
