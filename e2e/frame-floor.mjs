// The floor of "edit → next painted frame" on this machine (a tool, not a test): a blank page
// with one input whose handler does nothing (or busy-waits BUSY ms, a comma list), measured
// exactly as e2e/bench.mjs measures the app (FRAME_PROBE: a requestAnimationFrame after the
// change, then a task after that frame). What the app adds to it is its own cost; below the
// floor no page can go here.
// Usage: EDITS=60 BUSY=0,3,6 node e2e/frame-floor.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openPage, FRAME_PROBE } from './harness.mjs';

const EDITS = Number(process.env.EDITS || 60);
const BUSY = (process.env.BUSY || '0,3,6').split(',').map(Number);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-floor-'));
fs.writeFileSync(path.join(root, 'index.html'), `<!doctype html><html><body><input id="x"><p id="out">0</p>
<script>
const busy = Number(new URLSearchParams(location.search).get('busy') || 0);
document.getElementById('x').addEventListener('input', (e) => {
  const t = performance.now(); while (performance.now() - t < busy) {}
  document.getElementById('out').textContent = e.target.value;
});
</script></body></html>`);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const { server, origin, url } = await serve(root);
const { browser } = await launch();
for (const busy of BUSY) {
  const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}?busy=${busy}`);
  await page.evaluate(FRAME_PROBE);
  const t = [];
  for (let i = 0; i < EDITS; i++) {
    t.push(await page.evaluate((v) => window.__frame('#x', v), i));
    await page.waitForTimeout(30);
  }
  console.log(`handler ${busy} ms: edit → next painted frame median ${pct(t, 50).toFixed(1)} ms, p95 ${pct(t, 95).toFixed(1)} ms (${EDITS} edits)`);
  await context.close();
}
await browser.close();
server.close();
fs.rmSync(root, { recursive: true, force: true });
