// Time to the first chart drawn, two builds compared with their cold loads interleaved (so
// that a busy machine slows both alike): node e2e/first-chart-ab.mjs DIST_A DIST_B [LOADS].
// Prints each build's median and p95 (ms since navigation start) and the files fetched.
// QUERY=… opens that query instead of the page (e.g. QUERY='?v=1&embed=chart&chart=roofline').
import path from 'node:path';
import { serve, launch, openPage, FIRST_CHART } from './harness.mjs';

const [a, b] = process.argv.slice(2, 4).map((d) => path.resolve(d));
const loads = Number(process.argv[4] || 15);
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const servers = [await serve(a), await serve(b)];
const { browser } = await launch();
const times = [[], []];
const files = [0, 0];
for (let i = 0; i < loads; i++) {
  for (const k of (i % 2 ? [1, 0] : [0, 1])) {
    const { context, page } = await openPage(browser, servers[k].origin);
    await page.addInitScript(FIRST_CHART);
    await page.goto(servers[k].url + (process.env.QUERY || ''));
    await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 20000 });
    times[k].push(await page.evaluate(() => window.__firstChart));
    files[k] = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.startTime <= window.__firstChart).length + 1);
    await context.close();
  }
}
for (const [k, d] of [a, b].entries()) {
  console.log(`${d}: first chart median ${pct(times[k], 50).toFixed(1)} ms, p95 ${pct(times[k], 95).toFixed(1)} ms (${loads} cold loads, ${files[k]} files before it)`);
}
await browser.close();
for (const s of servers) s.server.close();
