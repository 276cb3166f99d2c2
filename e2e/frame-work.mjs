// The frame's own work after an edit (a tool, not a test): for each build given, in turn,
// ROUNDS rounds on fresh pages, EDITS typed edits of the batch field at phases spread over
// the frame clock (measureFrames, as bench.mjs). Per edit it takes the time from the frame's
// requestAnimationFrame callback to the task after that frame (FRAME_PROBE's __frameOwn):
// the browser's rendering of the edit (style, layout, paint, commit), apart from the wait
// for the frame. Prints median / p95 per build, and the next-frame figure.
// Usage: ROUNDS=6 EDITS=40 node e2e/frame-work.mjs DIST_A DIST_B
import path from 'node:path';
import { serve, launch, openPage, ready, FRAME_PROBE, measureFrames, showFirstCharts } from './harness.mjs';

const dists = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS || 6);
const EDITS = Number(process.env.EDITS || 40);
const { browser } = await launch();
const res = dists.map(() => ({ frame: [], total: [] }));
for (let r = 0; r < ROUNDS; r++) {
  for (let j = 0; j < dists.length; j++) {
    const i = (j + r) % dists.length;
    const { server, url, origin } = await serve(path.resolve(dists[i]));
    const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    await page.goto(url);
    await ready(page);
    await showFirstCharts(page);
    await page.evaluate(FRAME_PROBE);
    res[i].total.push(...await measureFrames(page, '#f-workload-batch_size', EDITS, (k) => 20 + (k * 41) % 900));
    res[i].frame.push(...await page.evaluate(() => window.__frameOwn));
    await context.close();
    server.close();
  }
}
await browser.close();
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
for (const [i, d] of dists.entries()) {
  const { frame, total } = res[i];
  console.log(`${path.basename(d).padEnd(12)} frame's own work median ${q(frame, 0.5).toFixed(2)} p95 ${q(frame, 0.95).toFixed(2)} ms | edit → next frame median ${q(total, 0.5).toFixed(2)} p95 ${q(total, 0.95).toFixed(2)} ms (n=${frame.length})`);
}
