// Main-thread CPU time per edit (a tool, not a test): the trace's thread time (tdur) of every
// task from an edit's input event to the next-frame probe's message (FRAME_PROBE), so time spent
// waiting for a busy CPU does not count; builds opened in turn, the order rotating.
// Usage: ROUNDS=3 EDITS=20 node e2e/cpu-ab.mjs DIST_A DIST_B [DIST_C …]
import { serve, launch, openPage, ready, FRAME_PROBE, showFirstCharts } from './harness.mjs';
import path from 'node:path';
const dists = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS || 2), N = Number(process.env.EDITS || 20);
const { browser } = await launch();
const servers = await Promise.all(dists.map((d) => serve(d)));
const res = dists.map(() => ({ cpu: [], wall: [], bmf: [], script: [] }));
for (let r = 0; r < ROUNDS; r++) for (let k = 0; k < dists.length; k++) {
  const i = (k + r) % dists.length; const s = servers[i];
  const { context, page } = await openPage(browser, s.origin, { viewport: { width: 1280, height: 900 } });
  await page.goto(s.url); await ready(page);
  await showFirstCharts(page, 500);
  await page.evaluate(FRAME_PROBE);
  await page.evaluate(() => { window.__marks = []; const f = window.__frame; window.__frame = async (a, b) => { performance.mark('edit-start'); const t = await f(a, b); performance.mark('edit-end'); return t; }; });
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((res) => cdp.once('Tracing.tracingComplete', res));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'toplevel', 'cc', 'blink'], enableSampling: false }, transferMode: 'ReportEvents' });
  for (let j = 0; j < N; j++) { res[i].wall.push(await page.evaluate((v) => window.__frame('#f-workload-batch_size', v), 20 + (j * 41) % 900)); await page.waitForTimeout(40); }
  await cdp.send('Tracing.end'); await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const ev = events.filter((e) => e.tid === main.tid && e.pid === main.pid);
  const marks = ev.filter((e) => e.name === 'edit-start' || e.name === 'edit-end').sort((a, b) => a.ts - b.ts);
  const tasks = ev.filter((e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')).sort((a, b) => a.ts - b.ts);
  const tops = []; let end = -1; for (const t of tasks) if (t.ts >= end) { tops.push(t); end = t.ts + t.dur; }
  for (let m = 0; m + 1 < marks.length; m++) {
    if (marks[m].name !== 'edit-start' || marks[m + 1].name !== 'edit-end') continue;
    const a = marks[m].ts, b = marks[m + 1].ts;
    const inWin = tops.filter((t) => t.ts + t.dur > a && t.ts < b);
    res[i].cpu.push(inWin.reduce((x, t) => x + (t.tdur ?? t.dur), 0) / 1000);
    const bmf = ev.filter((e) => e.ph === 'X' && e.name === 'ProxyMain::BeginMainFrame' && e.ts > a && e.ts < b);
    res[i].bmf.push(bmf.reduce((x, t) => x + (t.tdur ?? t.dur), 0) / 1000);
  }
  await context.close();
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]; };
for (let i = 0; i < dists.length; i++) console.log(`${path.basename(dists[i]).padEnd(18)} main-thread CPU per edit median ${med(res[i].cpu).toFixed(2)} p95 ${p95(res[i].cpu).toFixed(2)} | of which frame (BeginMainFrame) ${med(res[i].bmf).toFixed(2)} | wall median ${med(res[i].wall).toFixed(2)} (n=${res[i].cpu.length})`);
await browser.close(); servers.forEach((s) => s.server.close());
