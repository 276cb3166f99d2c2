// The floor of "edit → next painted frame" on this machine (a tool, not a test): a blank page
// with one input whose handler does nothing (or busy-waits BUSY ms, a comma list), measured
// exactly as e2e/bench.mjs measures the app (measureFrames: FRAME_PROBE at phases spread over
// the frame). What the app adds to it is its own cost; below the floor no page can go here.
// Usage: EDITS=60 BUSY=0,3,6 node e2e/frame-floor.mjs
import { serve, launch, openPage, FRAME_PROBE, BLANK_FRAME_PAGE, measureFrames } from './harness.mjs';

const EDITS = Number(process.env.EDITS || 60);
const BUSY = (process.env.BUSY || '0,3,6').split(',').map(Number);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))]; };
const { server, origin } = await serve('/nonexistent', { routes: { '/blank.html': ['text/html; charset=utf-8', BLANK_FRAME_PAGE] } });
const { browser } = await launch();
for (const busy of BUSY) {
  const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}/blank.html?busy=${busy}`);
  await page.evaluate(FRAME_PROBE);
  const t = await measureFrames(page, '#x', EDITS, (i) => i);
  console.log(`handler ${busy} ms: edit → next painted frame median ${pct(t, 50).toFixed(1)} ms, p95 ${pct(t, 95).toFixed(1)} ms (${EDITS} edits)`);
  await context.close();
}
await browser.close();
server.close();
