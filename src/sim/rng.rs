//! A seeded random generator and the few math functions sampling needs, written with
//! IEEE-754 basic operations only (`+ − × ÷`, `sqrt`, `round`, bit moves), so the same seed
//! gives bit-identical streams natively and in WebAssembly. (`f64::ln`/`exp` call the
//! platform's libm, which may differ in the last bit between glibc and wasm's libm.)

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit state, one add and a mix per draw.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator started from `seed` (every seed, 0 included, is fine).
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), a multiple of 2⁻⁵³ (exact).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform whole number in [lo, hi] (lo ≤ hi), by multiply-shift (bias < 2⁻³²).
    pub fn range_u32(&mut self, lo: u32, hi: u32) -> u32 {
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let span = (hi - lo) as u64 + 1;
        lo + (((self.next_u64() >> 32) * span) >> 32) as u32
    }

    /// Exponential with the given rate (mean 1 ÷ rate): −ln(1 − U) ÷ rate.
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -ln(1.0 - self.next_f64()) / rate
    }

    /// Standard normal, by Marsaglia's polar method (ln and sqrt only).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.next_f64() - 1.0;
            let v = 2.0 * self.next_f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }
}

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LN2: f64 = std::f64::consts::LN_2;

/// Natural logarithm of a positive finite x (NaN otherwise), within a few ulps, from basic
/// operations only: x = m·2^e with m in [√½, √2), ln m = 2·atanh((m − 1) ÷ (m + 1)).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut x, mut e) = (x, 0i64);
    if x < f64::MIN_POSITIVE {
        x *= 18_014_398_509_481_984.0; // 2^54
        e -= 54;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let f = (m - 1.0) / (m + 1.0);
    let f2 = f * f;
    // 2f·(1 + f²/3 + f⁴/5 + … + f²⁴/25); |f| ≤ 0.1716 so the next term is below 1e-20.
    let mut sum = 1.0 / 25.0;
    let mut k = 23.0;
    while k >= 1.0 {
        sum = 1.0 / k + f2 * sum;
        k -= 2.0;
    }
    let e = e as f64;
    e * LN2_HI + (e * LN2_LO + 2.0 * f * sum)
}

/// e^x within a few ulps from basic operations: x = k·ln 2 + r, |r| ≤ ln2 ÷ 2, Taylor series
/// of e^r, scaled by 2^k. Overflows to +∞ above ~709.78, underflows to 0 below −745.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.78 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    let k = (x / LN2).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Σ r^n / n! for n ≤ 17: |r| ≤ 0.347, so the tail is below 1e-24.
    let mut term_sum = 1.0;
    let mut n = 17.0;
    while n >= 1.0 {
        term_sum = 1.0 + r * term_sum / n;
        n -= 1.0;
    }
    scale_by_power_of_two(term_sum, k as i64)
}

/// v · 2^k for |k| up to ~1100, in at most two exact power-of-two multiplications.
fn scale_by_power_of_two(v: f64, k: i64) -> f64 {
    let pow = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    if k > 1023 {
        v * pow(1023) * pow(k - 1023)
    } else if k < -1022 {
        v * pow(-1022) * pow((k + 1022).max(-1022))
    } else {
        v * pow(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // First outputs of SplitMix64 seeded with 1234567 (the reference implementation's
        // published test vector).
        let mut r = Rng::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn ln_and_exp_match_the_platform_closely() {
        let mut r = Rng::new(7);
        for _ in 0..20_000 {
            let x = exp(r.next_f64() * 80.0 - 40.0);
            let want = x.ln();
            assert!(
                (ln(x) - want).abs() <= 4.0 * f64::EPSILON * want.abs().max(1.0),
                "{x}"
            );
            let y = r.next_f64() * 1400.0 - 700.0;
            let want = y.exp();
            assert!((exp(y) - want).abs() <= 4.0 * f64::EPSILON * want, "{y}");
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert!(ln(0.0).is_nan() && ln(-1.0).is_nan());
        assert!((ln(1e-310) - 1e-310f64.ln()).abs() < 1e-12);
        assert!((exp(-740.0) - (-740.0f64).exp()).abs() <= 1e-320);
    }

    #[test]
    fn samples_have_the_right_moments() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let (mut se, mut sn, mut sn2) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            se += r.exponential(4.0);
            let z = r.normal();
            sn += z;
            sn2 += z * z;
        }
        let n = n as f64;
        assert!((se / n - 0.25).abs() < 0.003, "{}", se / n);
        assert!((sn / n).abs() < 0.01);
        assert!((sn2 / n - 1.0).abs() < 0.01);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let v = r.range_u32(3, 7);
            assert!((3..=7).contains(&v));
            seen[(v - 3) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
