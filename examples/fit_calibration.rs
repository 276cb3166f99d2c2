//! Runs the calibration fit and prints each row's decode terms (a development aid).
use roofline::model::calibration::{fit, rows, scenario_for};
use roofline::model::measurements::MEASUREMENTS;
use roofline::model::{decode_step, prefill, shape, StepInputs};
use roofline::scenario::Efficiency;

fn main() {
    if std::env::args().any(|a| a == "--restarts") {
        // 27 starts, spread over the machine's cores; each prints its own result.
        let mut starts = Vec::new();
        for c in [0.3, 0.45, 0.6] {
            for a in [0.25, 0.5, 0.75] {
                for x in [0.25, 0.45, 0.65] {
                    starts.push((c, a, x));
                }
            }
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let results: Vec<((f64, f64, f64), Efficiency, f64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = starts
                .chunks(starts.len().div_ceil(threads))
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|&(c, a, x)| {
                                let start = Efficiency {
                                    compute: c,
                                    attention_compute: Some(a),
                                    expert_compute: Some(x),
                                    ..Efficiency::REALISTIC
                                };
                                let (e, err) =
                                    roofline::model::calibration::fit_from(start).unwrap();
                                println!("start c {c} a {a} x {x}: {err:.4}");
                                ((c, a, x), e, err)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let best = results.iter().min_by(|p, q| p.2.total_cmp(&q.2)).unwrap();
        println!(
            "best: start {:?} {:?} objective {:.4}",
            best.0, best.1, best.2
        );
        return;
    }
    let eff = if std::env::args().any(|a| a == "--fit") {
        let (e, err) = fit().unwrap();
        println!("fit: {e:?}\nobjective {err:.4}");
        e
    } else {
        Efficiency::REALISTIC
    };
    for r in rows(&eff).unwrap() {
        let m = &r.measurement;
        let s = scenario_for(m, &eff).unwrap();
        let sh = shape(&s);
        let peak = s.peak_flops().unwrap();
        let b = s.workload.batch_size as f64;
        let d = decode_step(
            &s,
            &sh,
            peak,
            StepInputs {
                batch: b,
                context: s.decode_context(),
                chips: s.chips as f64,
            },
        );
        let p = prefill(&s, &sh, peak, b * s.workload.input_tokens as f64, b);
        let t = &d.terms;
        println!(
            "{:34} moe={} B={:5} ratio {:.2} | step {:.1} ms: wread {:.1} kvread {:.1} gemm {:.1} pad {:.1} imb {:.2}({:.3}) dq {:.1} attn {:.1} comm {:.1} lat {:.1} | prefill/req-batch {:.1} s vs decode {:.1} s",
            m.id, m.is_moe(), r.batch, r.ratio(), d.step_seconds * 1e3, t.weight_read_seconds * 1e3, t.kv_read_seconds * 1e3,
            t.gemm_seconds * 1e3, t.padding_seconds * 1e3, t.imbalance_seconds * 1e3, t.imbalance_factor, t.dequant_seconds * 1e3,
            t.attention_compute_seconds * 1e3, d.comm_seconds * 1e3, d.latency_seconds * 1e3, p.seconds, d.step_seconds * s.workload.output_tokens as f64
        );
    }
    let _ = MEASUREMENTS;
}
