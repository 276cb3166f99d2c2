// Each edit against the frame clock (a tool, not a test): 60 typed edits, each made at a phase
// spread over the frame after a requestAnimationFrame (so frames are ticking), printed in
// order of phase: the phase (ms since that frame), the edit's script work (w, to 20 microtask
// hops), when the next frame is due (rafTs) and when its callback runs (rafRun), and the
// time to the task after that frame (total), all from the edit. PRE=1 adds, by an injected
// script, a forced layout in a task after each edit (what src/ui/layout_ahead.rs does).
// Usage: node e2e/frame-phase.mjs [DIST]
import path from 'node:path';
import { serve, launch, openPage, ready, frameDelays, showFirstCharts } from './harness.mjs';
const s = await serve(path.resolve(process.argv[2] || 'dist'));
const { browser } = await launch();
const { context, page } = await openPage(browser, s.origin, { viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
if (process.env.PRE) await page.addInitScript(() => { document.addEventListener('input', () => { const ch = new MessageChannel(); ch.port1.onmessage = () => { void document.body.offsetHeight; }; ch.port2.postMessage(0); }, true); });
await page.goto(s.url); await ready(page);
await showFirstCharts(page);
const delays = frameDelays(60);
const rows = [];
for (let i = 0; i < 60; i++) {
  rows.push(await page.evaluate(([v, d]) => new Promise((resolve) => {
    // the last frame's time before the edit
    requestAnimationFrame((last) => setTimeout(() => {
      const el = document.querySelector('#f-workload-batch_size');
      const t0 = performance.now();
      el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true }));
      let tw = 0; let h = 0; const hop = () => { if (++h < 20) Promise.resolve().then(hop); else tw = performance.now(); }; Promise.resolve().then(hop);
      requestAnimationFrame((ts) => { const tr = performance.now(); const ch = new MessageChannel(); ch.port1.onmessage = () => resolve({ phase: t0 - last, w: tw - t0, rafTs: ts - t0, rafRun: tr - t0, total: performance.now() - t0 }); ch.port2.postMessage(0); });
    }, d));
  }), [20 + (i * 41) % 900, delays[i]]));
  await page.waitForTimeout(30);
}
for (const r of rows.sort((a, b) => a.phase - b.phase)) console.log(Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('  '));
await context.close(); await browser.close(); s.server.close();
