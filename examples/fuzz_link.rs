//! Fuzzes the share-link decoder: N random or mutated links (N from the first argument,
//! default 1,000,000) through `link::decode`, counting panics and any result that is not a
//! valid scenario or has more problems than the cap. Exits non-zero if there were any.
//!
//! The release profile aborts on panic, so run it with unwinding and its own target
//! directory (so the normal release build is not rebuilt):
//!
//! ```text
//! CARGO_TARGET_DIR=target/fuzz CARGO_PROFILE_RELEASE_PANIC=unwind \
//!     cargo run --release --example fuzz_link -- 1000000 [seed]
//! ```

use roofline::catalogue::presets::{hardware_presets, model_presets};
use roofline::scenario::link::{decode, encode, EXTRA_KEYS, KEYS, MAX_PROBLEMS};
use roofline::scenario::{Parallelism, Precision, Scenario};
use std::panic;
use std::time::Instant;

/// xorshift64*: small, fast and deterministic for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "64",
    "1.5",
    "1e3",
    "1e400",
    "-0",
    "NaN",
    "inf",
    "none",
    "auto",
    "true",
    "false",
    "gqa",
    "mla",
    "tensor",
    "expert",
    "bf16",
    "fp8",
    "fp4",
    "int4",
    "%",
    "%ZZ",
    "%FF",
    "%E2%82",
    "%3Cscript%3E",
    "<script>alert(1)</script>",
    "+",
    "",
    "=",
    "18446744073709551616",
    "4294967296",
    "0.4",
    "3.35e12",
    "5e-324",
    "llama-3.1-70b",
    "deepseek-v3",
    "h100-sxm",
];

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.=&%+?#-_ <>\"'/\\";

/// A valid scenario from a random preset pair with a few random settings.
fn scenario(rng: &mut Rng) -> Scenario {
    let mut s = Scenario::default();
    if let Some(m) = model_presets().get(rng.below(model_presets().len() + 1)) {
        s.model = m.spec.clone();
    }
    if let Some(h) = hardware_presets().get(rng.below(hardware_presets().len() + 1)) {
        s.hardware = h.spec.clone();
    }
    s.chips = 1 << rng.below(7);
    s.workload.batch_size = 1 + rng.below(4096) as u64;
    s.workload.input_tokens = 1 + rng.below(100_000) as u64;
    s.precision.weights = *rng.pick(&Precision::ALL);
    if s.model.moe.is_some() && rng.below(2) == 0 {
        s.parallelism = Parallelism::Expert;
    }
    if rng.below(3) == 0 {
        s.model.name = (0..rng.below(30))
            .map(|_| char::from_u32(rng.next() as u32 % 0x3000).unwrap_or('?'))
            .collect();
    }
    s
}

fn random_text(rng: &mut Rng) -> String {
    let len = rng.below(300);
    match rng.below(3) {
        // Any bytes that form UTF-8, lossily.
        0 => {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        // URL-ish characters.
        1 => (0..len).map(|_| *rng.pick(ALPHABET) as char).collect(),
        // Known keys with odd values.
        _ => {
            let mut out = String::new();
            for _ in 0..rng.below(40) {
                let key = if rng.below(5) == 0 {
                    *rng.pick(EXTRA_KEYS)
                } else {
                    rng.pick(KEYS).key
                };
                out.push_str(key);
                if rng.below(10) != 0 {
                    out.push('=');
                }
                out.push_str(rng.pick::<&str>(VALUES));
                out.push('&');
            }
            out
        }
    }
}

fn mutate(rng: &mut Rng, link: &str) -> String {
    let mut chars: Vec<char> = link.chars().collect();
    for _ in 0..1 + rng.below(5) {
        let n = chars.len();
        let at = rng.below(n + 1);
        match rng.below(6) {
            0 => chars.insert(at, *rng.pick(ALPHABET) as char),
            1 => {
                let end = (at + rng.below(20)).min(n);
                chars.drain(at..end);
            }
            2 => chars.truncate(at),
            3 => {
                let end = (at + rng.below(40)).min(n);
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.push('&');
                chars.extend(copy);
            }
            4 => {
                // Replace a value after an '='.
                let eqs: Vec<usize> = (0..n).filter(|&i| chars[i] == '=').collect();
                if let Some(&e) = eqs.get(rng.below(eqs.len())) {
                    let end = (e + 1..n).find(|&i| chars[i] == '&').unwrap_or(n);
                    chars.splice(e + 1..end, (*rng.pick(VALUES)).chars());
                }
            }
            _ => {
                if let Some(c) = chars.get_mut(at) {
                    *c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{FFFD}');
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x5EED_1234);
    if cfg!(panic = "abort") {
        eprintln!(
            "warning: built with panic = \"abort\": a panic ends the run instead of being counted; \
             set CARGO_PROFILE_RELEASE_PANIC=unwind"
        );
    }
    panic::set_hook(Box::new(|_| {})); // counted below, not printed
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let (mut panics, mut invalid, mut bytes) = (0u64, 0u64, 0u64);
    let mut first_bad: Option<String> = None;
    for i in 0..n {
        let input = match i % 4 {
            0 => random_text(&mut rng),
            1 | 2 => {
                let s = scenario(&mut rng);
                let extras = [("chart".to_string(), "roofline".to_string())];
                mutate(&mut rng, &encode(&s, &extras))
            }
            _ => {
                // A 100 KB link now and then.
                if rng.below(1000) == 0 {
                    random_text(&mut rng).repeat(400)
                } else {
                    format!(
                        "https://example.org/tools/roofline/?{}#x",
                        random_text(&mut rng)
                    )
                }
            }
        };
        bytes += input.len() as u64;
        match panic::catch_unwind(|| decode(&input)) {
            Ok(r) => {
                if r.scenario.validate().is_err() || r.problems.len() > MAX_PROBLEMS + 1 {
                    invalid += 1;
                    first_bad.get_or_insert(input);
                }
            }
            Err(_) => {
                panics += 1;
                first_bad.get_or_insert(input);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz_link: {n} inputs ({:.1} MB) in {secs:.1} s ({:.0}/s), seed {seed}: {panics} panics, {invalid} invalid results",
        bytes as f64 / 1e6,
        n as f64 / secs.max(1e-9),
    );
    if let Some(bad) = first_bad {
        println!("first failing input: {bad:?}");
        std::process::exit(1);
    }
}
