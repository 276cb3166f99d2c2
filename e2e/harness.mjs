// A small browser-test harness: real headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core, a static server for dist/ (optionally under a sub-path), and per-page
// checks for console errors, failed requests and requests that leave the app's origin.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.md': 'text/markdown; charset=utf-8',
};

/** Serves `root` under `base` (e.g. "/" or "/tools/roofline/") on 127.0.0.1; extra routes map path → [type, body]. */
export function serve(root, { base = '/', routes = {} } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
      const url = new URL(req.url, 'http://x');
      if (routes[url.pathname]) {
        const [type, body] = routes[url.pathname];
        res.writeHead(200, { 'content-type': type });
        return res.end(body);
      }
      if (!url.pathname.startsWith(base)) { res.writeHead(404); return res.end('not found'); }
      let rel = decodeURIComponent(url.pathname.slice(base.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, rel);
      if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404); return res.end('not found');
      }
      // A permissive CORS header, as static hosts such as GitHub Pages send: a sandboxed
      // iframe has an opaque origin, so its module script and wasm fetches are cross-origin.
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'access-control-allow-origin': '*' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}${base}` });
    });
  });
}

/** Launches Chromium; playwright gives each launch a fresh, empty user-data dir of its own. */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  return { browser };
}

/** Opens a new page that records console errors, page errors, failed requests and foreign requests. */
export async function openPage(browser, origin, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A request the browser cancels because the page navigated away (net::ERR_ABORTED, e.g. the
  // favicon of the page a test leaves) is not a failure of the app.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`foreign request: ${u}`);
  });
  return { context, page, problems };
}

/** Waits until the app has rendered its results (and taken off the first screen painted
 *  before it, src/lite/first.rs), and the results column's panels loaded on demand once the
 *  first screen is drawn (compare, saved, share, why: src/ui/lazy.rs) have arrived. */
export async function ready(page) {
  await page.waitForFunction(() => !document.getElementById('first-paint') && document.querySelector('[data-metric="decode.step_seconds"][data-value]:not([data-value=""])'), null, { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('.lazy-panel:not(.far)[data-lazy-state="loading"]'), null, { timeout: 20000 });
}

/** Scrolls the first two charts on screen beside the results (as a reader edits and watches
 *  them), then waits `settle` ms for the scroll's work to end. */
export async function showFirstCharts(page, settle = 300) {
  await page.evaluate(() => document.querySelector('canvas[data-chart="roofline"]').scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(settle);
}

/** Brings section `id`'s panel, loaded on demand (src/ui/lazy.rs), on screen and waits until
 *  it has arrived. */
export async function openPanel(page, id) {
  await page.evaluate((id) => document.getElementById(`sec-${id}`).scrollIntoView(), id);
  await page.waitForSelector(`[data-lazy="${id}"][data-lazy-state="loaded"]`);
}

export async function metric(page, key) {
  const v = await page.getAttribute(`[data-metric="${key}"]`, 'data-value');
  return v === null ? null : (Number.isNaN(Number(v)) ? v : Number(v));
}

export async function shownText(page, key) {
  return (await page.textContent(`[data-metric="${key}"] dd`))?.trim();
}

/** The scenario's JSON as the share panel shows it. It is written only while its panel
 *  ("Scenario as JSON") is open, so this opens the panel as a person would, then reads it. */
export async function scenarioJson(page) {
  const details = page.locator('details:has([data-scenario-json])');
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await page.waitForFunction(() => document.querySelector('[data-scenario-json]').textContent.trim().startsWith('{'));
  return page.$eval('[data-scenario-json]', (e) => e.textContent);
}

/** A hash of a canvas's pixels, and the fraction of pixels that are not background. */
export async function canvasStats(page, selector) {
  return page.$eval(selector, (c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let h = 2166136261 >>> 0, ink = 0;
    const bg = [data[0], data[1], data[2]];
    for (let i = 0; i < data.length; i += 4) {
      h = Math.imul(h ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16), 16777619) >>> 0;
      if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 30) ink++;
    }
    return { hash: h, ink: ink / (c.width * c.height), width: c.width, height: c.height };
  });
}

/** An init script: records when the first chart is drawn, in window.__firstChart
 *  (performance.now(): time since navigation start). */
export const FIRST_CHART = () => {
  const obs = new MutationObserver(() => {
    if (window.__firstChart === undefined && document.querySelector('canvas[data-drawn]')) {
      window.__firstChart = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
};

/** Marks an error as "this test cannot run here" (run.mjs counts it as skipped). */
export const SKIP = Symbol('skip');
export function skip(reason) { const e = new Error(reason); e[SKIP] = true; throw e; }

export function assert(cond, msg) { if (!cond) throw new Error(msg); }
export function close(a, b, rel, what) {
  if (!(Math.abs(a - b) <= rel * Math.abs(b))) throw new Error(`${what}: ${a} is not within ${rel} of ${b}`);
}

// The charts on screen (their data-chart ids), once each has been drawn. Used with
// REDRAW_PROBE by e2e/bench.mjs and e2e/edit-ab.mjs.
export async function chartsOnScreen(page) {
  const ids = await page.evaluate(() => [...document.querySelectorAll('canvas[data-chart]')].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight;
  }).map((c) => c.dataset.chart));
  await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`canvas[data-chart="${id}"][data-drawn]`)), ids);
  return ids;
}

// Installs window.__edit(selector, value) on the page, for the charts `ids` on screen:
// sets the field, dispatches an input event, and resolves with the ms until every one of
// those charts has redrawn (its data-drawn counter moved). Used by e2e/bench.mjs and
// e2e/edit-ab.mjs.
export const REDRAW_PROBE = (ids) => {
  window.__edit = (selector, value) => new Promise((resolve) => {
    const canvases = ids.map((id) => document.querySelector(`canvas[data-chart="${id}"]`));
    const before = canvases.map((c) => Number(c.dataset.drawn));
    const el = document.querySelector(selector);
    let t0;
    const done = () => canvases.every((c, i) => Number(c.dataset.drawn) > before[i]);
    const obs = new MutationObserver(() => {
      if (done()) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    canvases.forEach((c) => obs.observe(c, { attributes: true, attributeFilter: ['data-drawn'] }));
    t0 = performance.now();
    el.value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    if (done()) { obs.disconnect(); resolve(performance.now() - t0); }
  });
};

// Installs window.__frame(selector, value, delay): after `delay` ms, sets the field,
// dispatches an input event, and resolves with the ms until the next painted frame (a
// requestAnimationFrame callback after the change, then a task after that frame: its rendering
// work is done). Used by e2e/bench.mjs, e2e/frame-floor.mjs and e2e/profile-edit.mjs.
//
// A person's keystroke lands anywhere in the browser's 60 Hz frame, so callers draw `delay`
// uniformly over one frame (frameDelays). Without it, a loop of evaluate-then-wait locks onto
// one phase of the frame clock, and the figure measures that phase: the same blank page gave
// 16.5 ms or 0.9 ms medians from one batch of edits to the next (docs/benchmarks.md).
export const FRAME_PROBE = () => {
  window.__frame = (selector, value, delay = 0) => new Promise((resolve) => {
    setTimeout(() => {
      const el = document.querySelector(selector);
      const t0 = performance.now();
      el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      requestAnimationFrame(() => {
        // The frame's own work (its animation-frame callbacks to the task after it), apart
        // from the wait for the frame: kept in window.__frameOwn.
        const tr = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          const t1 = performance.now();
          (window.__frameOwn ||= []).push(t1 - tr);
          resolve(t1 - t0);
        };
        ch.port2.postMessage(0);
      });
    }, delay);
  });
};

/** `n` delays in ms, uniform over one 60 Hz frame, from a fixed seed (a run is repeatable). */
export function frameDelays(n, seed = 20261202) {
  let x = seed >>> 0;
  const next = () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
  return Array.from({ length: n }, () => next() * 1000 / 60);
}

/** A blank page with one input whose handler writes its value into a paragraph (after
 *  busy-waiting `?busy=` ms): the floor of the next-frame probe, what no page goes below. */
export const BLANK_FRAME_PAGE = `<!doctype html><html><body><input id="x"><p id="out">0</p>
<script>
const busy = Number(new URLSearchParams(location.search).get('busy') || 0);
document.getElementById('x').addEventListener('input', (e) => {
  const t = performance.now(); while (performance.now() - t < busy) {}
  document.getElementById('out').textContent = e.target.value;
});
</script></body></html>`;

/** Runs the next-frame probe `edits` times on `selector` (values from `value(i)`), at phases
 *  drawn by frameDelays, `gap` ms apart (30 unless given); returns the ms of each. The page
 *  must have FRAME_PROBE. */
export async function measureFrames(page, selector, edits, value, gap = 30) {
  const delays = frameDelays(edits);
  const t = [];
  for (let i = 0; i < edits; i++) {
    t.push(await page.evaluate(([s, v, d]) => window.__frame(s, v, d), [selector, value(i), delays[i]]));
    await page.waitForTimeout(gap);
  }
  return t;
}
