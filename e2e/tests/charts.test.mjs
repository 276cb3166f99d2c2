// Charts in the browser: every chart drawn (no blank canvas), sharp at the pixel ratio,
// pixels change when an input changes, hover readouts, and PNG/SVG/CSV export.
import { openPage, ready, canvasStats, assert } from '../harness.mjs';

const IDS = ['roofline', 'cost-batch', 'cost-context', 'frontier', 'scale-out', 'breakdown-time', 'breakdown-memory', 'breakdown-energy', 'tiles', 'speculative', 'prefix-cache', 'compare-context'];

export const tests = {
  async 'every chart is drawn, at devicePixelRatio, and changes with the input'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { deviceScaleFactor: 2, viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const before = {};
    for (const id of IDS) {
      const sel = `canvas[data-chart="${id}"]`;
      // Charts draw when they come on screen.
      await page.locator(sel).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${sel}[data-drawn]`);
      const s = await canvasStats(page, sel);
      const css = await page.$eval(sel, (c) => c.clientWidth);
      assert(s.ink > 0.02, `${id} looks blank (${s.ink})`);
      assert(Math.abs(s.width - 2 * css) <= 2, `${id}: canvas ${s.width}px for ${css} CSS px at ratio 2`);
      before[id] = s.hash;
    }
    const drawn = await page.$$eval('canvas[data-chart]', (cs) => cs.map((c) => Number(c.dataset.drawn)));
    await page.getByLabel('Batch size', { exact: true }).fill('200');
    for (const [i, id] of IDS.entries()) {
      const sel = `canvas[data-chart="${id}"]`;
      await page.locator(sel).scrollIntoViewIfNeeded();
      await page.waitForFunction(([q, n]) => Number(document.querySelector(q).dataset.drawn) > n, [sel, drawn[i]]);
      const s = await canvasStats(page, sel);
      assert(s.hash !== before[id], `${id} did not change when the batch size changed`);
    }
    // Off-screen charts wait: an edit redraws only what is on screen.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    const offscreen = await page.$eval('canvas[data-chart="tiles"]', (c) => Number(c.dataset.drawn));
    await page.getByLabel('Batch size', { exact: true }).fill('300');
    await page.waitForTimeout(200);
    assert((await page.$eval('canvas[data-chart="tiles"]', (c) => Number(c.dataset.drawn))) === offscreen, 'an off-screen chart redrew');
    await page.locator('canvas[data-chart="tiles"]').scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => Number(document.querySelector('canvas[data-chart="tiles"]').dataset.drawn) > n, offscreen);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'hovering a chart reads out the values under the pointer'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    for (const id of ['cost-batch', 'roofline', 'frontier', 'compare-context']) {
      const canvas = await page.$(`canvas[data-chart="${id}"]`);
      await canvas.scrollIntoViewIfNeeded();
      await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`);
      const box = await canvas.boundingBox();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55);
      await page.waitForFunction((i) => document.querySelector(`[data-readout="${i}"]`).textContent.includes('='), id);
      const text = await page.textContent(`[data-readout="${id}"]`);
      assert(/=/.test(text) && !/NaN/.test(text), `${id}: ${text}`);
      await page.mouse.move(0, 0);
    }
    await context.close();
  },

  async 'each chart exports PNG, SVG and CSV'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin, { acceptDownloads: true });
    await page.goto(url);
    await ready(page);
    // cost-batch is in the main module; tiles and frontier are loaded on demand
    // (src/ui/lazy_charts.rs), and so is the SVG export's code.
    for (const [id, axis] of [['cost-batch', 'batch size'], ['tiles', 'efficiency'], ['frontier', 'tokens/s']]) {
      for (const [kind, check] of [
        ['PNG', (b) => b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a'],
        ['SVG', (b) => b.toString('utf8').startsWith('<svg') && b.toString('utf8').includes(axis)],
        ['CSV', (b) => b.toString('utf8').split('\n').length > 5 && b.toString('utf8').split('\n')[0].includes(',')],
      ]) {
        const card = page.locator(`[data-chart-card="${id}"]`);
        await card.scrollIntoViewIfNeeded();
        await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`);
        const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: `as ${kind}` }).click()]);
        const file = await download.path();
        const fs = await import('node:fs');
        const body = fs.readFileSync(file);
        assert(download.suggestedFilename().startsWith(`roofline-${id}.`), download.suggestedFilename());
        assert(check(body), `${id}: ${kind} export is not a ${kind}`);
      }
    }
    await context.close();
  },
};
