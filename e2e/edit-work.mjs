// The script work of one edit, without the frame (a tool, not a test): for each build given,
// opens the page as bench.mjs does (charts on screen), then inside one task per edit types a
// value into the batch field and waits for the reactive effects it queued (the charts are
// redrawn in microtasks) by chaining 20 microtask hops, and takes the time. Builds are taken
// in turn, ROUNDS times, EDITS edits each; prints median / p95 ms per build.
// Usage: ROUNDS=4 EDITS=100 node e2e/edit-work.mjs DIST_A DIST_B
import path from 'node:path';
import { serve, launch, openPage, ready, showFirstCharts } from './harness.mjs';

const dists = process.argv.slice(2);
const ROUNDS = Number(process.env.ROUNDS || 4);
const EDITS = Number(process.env.EDITS || 100);
const { browser } = await launch();
const times = dists.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, d] of dists.entries()) {
    const { server, url, origin } = await serve(path.resolve(d));
    const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    await page.goto(url);
    await ready(page);
    await showFirstCharts(page, 500);
    const t = await page.evaluate(async (n) => {
      const el = document.querySelector('#f-workload-batch_size');
      const out = [];
      for (let k = 0; k < n + 10; k++) {
        await new Promise((res) => setTimeout(res, 20));
        const t0 = performance.now();
        el.value = String(16 + (k * 37) % 900);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        for (let h = 0; h < 20; h++) await Promise.resolve();
        if (k >= 10) out.push(performance.now() - t0);
      }
      return out;
    }, EDITS);
    times[i].push(...t);
    await context.close();
    server.close();
  }
}
await browser.close();
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
for (const [i, d] of dists.entries()) console.log(`${path.basename(d).padEnd(12)} script work per edit median ${q(times[i], 0.5).toFixed(2)} p95 ${q(times[i], 0.95).toFixed(2)} ms (n=${times[i].length})`);
