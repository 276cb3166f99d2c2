// The first edits after load (a tool, not a test): opens the release build in dist/ (or
// DIST), waits WAIT ms (300, as e2e/bench.mjs) after the app is up, types 60 values into the
// batch field as bench.mjs does, and prints each edit's ms to every on-screen chart redrawn,
// then their median and p95. SW=block opens the page with service workers blocked, to see
// what the worker's first install costs the page (docs/benchmarks.md).
// Usage: [DIST=dir] [SW=allow|block] [WAIT=300] node e2e/first-edits.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, ready, REDRAW_PROBE, chartsOnScreen, showFirstCharts } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.DIST || path.join(here, '..', 'dist'));
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const { server, origin, url } = await serve(dist);
const { browser } = await launch();
const { page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, serviceWorkers: process.env.SW || 'allow' });
await page.goto(url);
await ready(page);
await showFirstCharts(page, Number(process.env.WAIT || 300));
await page.evaluate(REDRAW_PROBE, await chartsOnScreen(page));
const t = [];
for (let i = 0; i < 60; i++) t.push(await page.evaluate((v) => window.__edit('#f-workload-batch_size', v), 16 + (i * 37) % 900));
console.log(t.map((x) => x.toFixed(1)).join(' '));
console.log(`edit → redrawn median ${pct(t, 50).toFixed(2)} ms, p95 ${pct(t, 95).toFixed(2)} ms (60 typed edits, service workers ${process.env.SW || 'allow'})`);
await browser.close();
server.close();
