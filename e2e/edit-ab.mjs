// A/B of an edit's speed (a tool, not a test): release builds opened in turn (interleaved,
// ROUNDS rounds, a fresh page each, the order rotating), each measured as e2e/bench.mjs
// measures an edit: typed edits → on-screen charts redrawn, slider steps → redrawn, and typed
// edits → the next painted frame (measureFrames: at phases spread over the frame). Then the
// first screen's canvases of each build, drawn for the same scenarios, compared pixel by
// pixel with the first build's.
// Usage: ROUNDS=4 EDITS=30 node e2e/edit-ab.mjs DIST_A DIST_B [DIST_C …]   (ROUNDS=0: pixels only)
import path from 'node:path';
import { serve, launch, openPage, ready, FRAME_PROBE, REDRAW_PROBE, chartsOnScreen, measureFrames, showFirstCharts } from './harness.mjs';

const dists = process.argv.slice(2).map((d) => path.resolve(d));
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const EDITS = Number(process.env.EDITS || 30);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };

const servers = await Promise.all(dists.map((d) => serve(d)));
const { browser } = await launch();

async function open(s, query = '') {
  const { context, page } = await openPage(browser, s.origin, { viewport: { width: 1280, height: 900 } });
  await page.goto(s.url + query);
  await ready(page);
  await showFirstCharts(page);
  return { context, page };
}

async function measure(s) {
  const { context, page } = await open(s);
  const onScreen = await chartsOnScreen(page);
  await page.evaluate(REDRAW_PROBE, onScreen);
  await page.evaluate(FRAME_PROBE);
  const r = { typing: [], slider: [], frame: [] };
  for (let i = 0; i < EDITS; i++) r.typing.push(await page.evaluate((v) => window.__edit('#f-workload-batch_size', v), 16 + (i * 37) % 900));
  for (let i = 0; i < EDITS; i++) r.slider.push(await page.evaluate((v) => window.__edit('input[data-slider="workload.batch_size"]', v), 8 + (i % 100)));
  r.frame.push(...await measureFrames(page, '#f-workload-batch_size', EDITS, (i) => 20 + (i * 41) % 900));
  await context.close();
  return r;
}

const all = dists.map(() => ({ typing: [], slider: [], frame: [] }));
for (let round = 0; round < ROUNDS; round++) {
  // Rotate which goes first.
  const order = dists.map((_, i) => (i + round) % dists.length);
  for (const i of order) {
    const r = await measure(servers[i]);
    for (const k of Object.keys(r)) all[i][k].push(...r[k]);
  }
}
if (ROUNDS > 0) {
const f = (xs) => `${pct(xs, 50).toFixed(2)} / ${pct(xs, 95).toFixed(2)}`;
console.log(`${ROUNDS} rounds × ${EDITS} edits, median / p95 ms`);
console.log(`  ${''.padEnd(20)} ${dists.map((d) => path.basename(d).padEnd(22)).join(' ')}`);
for (const [k, name] of [['typing', 'edit → redrawn'], ['slider', 'slider → redrawn'], ['frame', 'edit → next frame']]) {
  console.log(`  ${name.padEnd(20)} ${all.map((a) => f(a[k]).padEnd(22)).join(' ')}`);
}
}

// Pixels: the first screen's canvases for a few scenarios, each build against the first.
const SCENARIOS = ['', '?v=1&batch=1', '?v=1&batch=512', '?v=1&batch=64&in=32000&out=4000'];
let worst = 0;
for (const q of SCENARIOS) {
  const shots = [];
  for (const s of servers) {
    const { context, page } = await open(s, q);
    await page.waitForTimeout(300);
    shots.push(await page.evaluate(() => [...document.querySelectorAll('canvas[data-chart][data-drawn]')].map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      // Raw RGBA as base64 (in chunks: a spread of the whole array overflows the stack).
      let bin = '';
      for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
      return { id: c.dataset.chart, w: c.width, h: c.height, b64: btoa(bin) };
    })).then((xs) => xs.map((x) => ({ ...x, px: Buffer.from(x.b64, 'base64') }))));
    await context.close();
  }
  for (let j = 1; j < shots.length; j++) for (const a of shots[0]) {
    const b = shots[j].find((x) => x.id === a.id);
    if (!b) { console.log(`  ${q || '(default)'} ${a.id}: missing in ${path.basename(dists[j])}`); worst = Infinity; continue; }
    if (a.w !== b.w || a.h !== b.h) { console.log(`  ${q || '(default)'} ${a.id}: size ${a.w}×${a.h} vs ${b.w}×${b.h}`); worst = Infinity; continue; }
    let differ = 0, maxd = 0;
    for (let i = 0; i < a.px.length; i += 4) {
      const d = Math.max(Math.abs(a.px[i] - b.px[i]), Math.abs(a.px[i + 1] - b.px[i + 1]), Math.abs(a.px[i + 2] - b.px[i + 2]));
      if (d > 0) differ++;
      if (d > maxd) maxd = d;
    }
    const share = differ / (a.w * a.h);
    worst = Math.max(worst, share);
    console.log(`  pixels ${path.basename(dists[j])} ${(q || '(default)').padEnd(16)} ${a.id.padEnd(14)} ${differ} differ (${(share * 100).toFixed(3)} %), max channel difference ${maxd}`);
  }
}
console.log(`worst share of differing pixels ${(worst * 100).toFixed(3)} %`);
await browser.close();
servers.forEach((s) => s.server.close());
