// An edit's frame (src/ui/layout_ahead.rs): the layout an edit leaves is done in a task of
// its own after the edit, while the browser waits for the next frame, not inside that frame.
import { openPage, ready, metric, assert, showFirstCharts } from '../harness.mjs';

export const tests = {
  async 'after an edit the layout runs in a task of its own, before the frame that shows the edit'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    await page.goto(url);
    await ready(page);
    await showFirstCharts(page);
    const before = await metric(page, 'decode.step_seconds');
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'blink', 'cc'] }, transferMode: 'ReportEvents' });
    const EDITS = 12;
    for (let i = 0; i < EDITS; i++) {
      // Each edit just after a frame, so that it ends well before the next one is due.
      await page.evaluate((v) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
        const el = document.querySelector('#f-workload-batch_size');
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        setTimeout(resolve, 60);
      }, 0))), 40 + 13 * i);
    }
    await cdp.send('Tracing.end');
    await done;
    const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const mine = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid).sort((a, b) => a.ts - b.ts);
    const inputs = mine.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'input');
    assert(inputs.length === EDITS, `traced ${inputs.length} input events`);
    let ahead = 0;
    for (const ev of inputs) {
      const end = ev.ts + ev.dur;
      const frame = mine.find((e) => e.name === 'ProxyMain::BeginMainFrame' && e.ts >= end);
      const layout = mine.find((e) => e.name === 'Layout' && e.ts >= end);
      if (frame && layout && layout.ts < frame.ts) ahead++;
    }
    // Most edits end long before the next frame; on a busy machine a few may not.
    assert(ahead >= EDITS / 2, `the layout ran ahead of the frame after ${ahead} of ${EDITS} edits`);
    assert((await metric(page, 'decode.step_seconds')) !== before, 'the edits did not change the step time');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
