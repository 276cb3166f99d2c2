// Where an edit's time goes (a tool, not a test): opens the release build in dist/ (or DIST)
// as e2e/bench.mjs does, types EDITS values into the batch field, and prints
//  1. the main thread's trace (Chromium's Tracing domain) summed per edit by event kind:
//     script (FunctionCall, EventDispatch, …), style, layout, paint, canvas, other;
//     and the main thread's tasks by what posted them (e.g. Chrome's own
//     SelectControlSelectionChanged after a select's value is written);
//  2. a CPU profile (Profiler domain) of the same edits: self time per function, top 40.
// For WebAssembly function names, profile a build that kept them:
//   ROOFLINE_WASM_NAMES=1 trunk build --release --dist /tmp/dist-g   (scripts/split_wasm.mjs)
//   DIST=/tmp/dist-g node e2e/profile-edit.mjs
// TRACE_OUT=file writes the main thread's trace events, PROFILE_OUT=file the CPU profile
// (.cpuprofile JSON); INVAL=1 adds Chromium's invalidation tracking (which node changed, why).
// Usage: node e2e/profile-edit.mjs [edits]
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, ready, FRAME_PROBE, measureFrames, showFirstCharts } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.DIST || path.join(here, '..', 'dist'));
const EDITS = Number(process.argv[2] || 40);

const { server, origin, url } = await serve(dist);
const { browser } = await launch();
const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
await page.goto(url);
await ready(page);
await showFirstCharts(page, 500);
await page.evaluate(FRAME_PROBE);
const edits = async () => {
  const t = await measureFrames(page, '#f-workload-batch_size', EDITS, (i) => 20 + (i * 41) % 900);
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
};
const cdp = await context.newCDPSession(page);

// 1. Trace.
const events = [];
cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute', 'toplevel', ...(process.env.INVAL ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] }, transferMode: 'ReportEvents' });
const median1 = await edits();
await cdp.send('Tracing.end');
await done;
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const tid = main?.tid;
const pid = main?.pid;
const top = events.filter((e) => e.ph === 'X' && e.tid === tid && e.pid === pid).sort((a, b) => a.ts - b.ts);
if (process.env.TRACE_OUT) fs.writeFileSync(process.env.TRACE_OUT, JSON.stringify(events.filter((e) => e.tid === tid && e.pid === pid)));
// Only outermost events (children are inside their parents' time); then one level down.
const sums = new Map();
const nested = new Map();
let end = -1;
let parent = null;
for (const e of top) {
  if (e.ts >= end) {
    sums.set(e.name, (sums.get(e.name) || 0) + (e.dur || 0));
    end = e.ts + (e.dur || 0);
    parent = e;
  } else if (parent && e.ts + (e.dur || 0) <= end) {
    const k = `${parent.name} > ${e.name}`;
    nested.set(k, (nested.get(k) || 0) + (e.dur || 0));
  }
}
const perEdit = (us) => (us / 1000 / EDITS).toFixed(3);
console.log(`edit → next frame median ${median1.toFixed(2)} ms while tracing (${EDITS} edits)`);
console.log('\nMain thread, outermost events (ms per edit):');
for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${perEdit(v).padStart(8)}  ${k}`);
// Tasks by the function that posted them (ThreadControllerImpl::RunTask's src_func).
const posted = new Map();
for (const e of top) {
  if (e.name !== 'ThreadControllerImpl::RunTask' || !e.args?.src_func) continue;
  posted.set(e.args.src_func, (posted.get(e.args.src_func) || 0) + (e.dur || 0));
}
console.log('\nTasks by what posted them (ms per edit):');
for (const [k, v] of [...posted].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${perEdit(v).padStart(8)}  ${k}`);
console.log('\nInside them (ms per edit, includes nesting):');
for (const [k, v] of [...nested].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${perEdit(v).padStart(8)}  ${k}`);

// 2. CPU profile.
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
const median2 = await edits();
const { profile } = await cdp.send('Profiler.stop');
if (process.env.PROFILE_OUT) fs.writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anonymous'})`;
  self.set(name, (self.get(name) || 0) + (dt[i + 1] || 0));
}
// Inclusive time per function (each sample counts once per distinct function on its stack).
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parentOf.set(c, n.id);
const incl = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set();
  for (let id = profile.samples[i]; id !== undefined; id = parentOf.get(id)) {
    const f = byId.get(id).callFrame.functionName;
    if (f && !seen.has(f)) { seen.add(f); incl.set(f, (incl.get(f) || 0) + (dt[i + 1] || 0)); }
  }
}
console.log(`\nedit → next frame median ${median2.toFixed(2)} ms while profiling`);
console.log('\nCPU self time (ms per edit):');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${perEdit(v).padStart(8)}  ${k.slice(0, 140)}`);
console.log('\nCPU inclusive time (ms per edit):');
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 60))) console.log(`  ${perEdit(v).padStart(8)}  ${k.slice(0, 140)}`);
// Who calls the functions matching CALLERS (a regular expression): three frames up, per edit.
if (process.env.CALLERS) {
  const re = new RegExp(process.env.CALLERS);
  const callers = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    let id = profile.samples[i];
    while (id !== undefined && !re.test(byId.get(id).callFrame.functionName)) id = parentOf.get(id);
    if (id === undefined) continue;
    const chain = [];
    for (let p = parentOf.get(id); p !== undefined && chain.length < 4; p = parentOf.get(p)) chain.push(byId.get(p).callFrame.functionName.slice(0, 70));
    const k = `${byId.get(id).callFrame.functionName.slice(0, 50)} < ${chain.join(' < ')}`;
    callers.set(k, (callers.get(k) || 0) + (dt[i + 1] || 0));
  }
  console.log(`\nCallers of /${process.env.CALLERS}/ (ms per edit):`);
  for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${perEdit(v).padStart(8)}  ${k}`);
}
await context.close();
await browser.close();
server.close();
