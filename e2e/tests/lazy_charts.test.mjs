// Charts loaded on demand (src/ui/lazy_charts.rs): a chart below the first screen fetches its
// chunk only when its canvas comes near the screen, shows "Loading" until then, and draws;
// an embed of one chart fetches no chunk of another chart nor the full page's (none at all:
// it loads the light embed, src/lite/).
import { openPage, ready, canvasStats, assert } from '../harness.mjs';

// The chunks scripts/split_wasm.mjs writes: split-<name>-<16 hex>_bg.wasm.
const chunkOf = (u) => (decodeURIComponent(new URL(u).pathname).match(/split-([a-z0-9-]+?)-[0-9a-f]{16}_bg\.wasm$/) || [])[1];
const record = (page) => {
  const chunks = [];
  page.on('request', (r) => { const c = chunkOf(r.url()); if (c) chunks.push(c); });
  return chunks;
};

export const tests = {
  async 'a chart below the first screen is fetched only when scrolled near, then draws'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    const chunks = record(page);
    await page.goto(url);
    await ready(page);
    await page.waitForSelector('canvas[data-chart="roofline"][data-drawn]');
    await page.waitForTimeout(500);
    // The first screen's charts are in the main module; the page itself is a part of its own.
    assert(chunks.includes('page-part'), `the page part was not fetched: ${chunks}`);
    for (const id of ['roofline', 'cost-batch']) {
      assert(!(await page.$eval(`[data-chart-card="${id}"]`, (f) => f.hasAttribute('data-lazy-state'))), `${id} is marked as loaded on demand`);
    }
    // The tiles chart is far below: not fetched, its card says it is loading, nothing drawn.
    assert(!chunks.includes('tiles-chart'), `the tiles chart was fetched before it was near: ${chunks}`);
    const card = '[data-chart-card="tiles"]';
    assert((await page.getAttribute(card, 'data-lazy-state')) === 'loading', 'the tiles card is not in its loading state');
    assert(await page.isVisible(`${card} [data-chart-loading]`), 'the tiles card shows no loading text');
    assert(!(await page.$eval('canvas[data-chart="tiles"]', (c) => c.hasAttribute('data-drawn'))), 'the tiles chart drew without its code');
    // Scrolled near: fetched, then drawn (pixels on the canvas).
    await page.locator('canvas[data-chart="tiles"]').scrollIntoViewIfNeeded();
    await page.waitForSelector(`${card}[data-lazy-state="loaded"]`);
    await page.waitForSelector('canvas[data-chart="tiles"][data-drawn]');
    assert(chunks.filter((c) => c === 'tiles-chart').length === 1, `the tiles chunk was fetched ${chunks.filter((c) => c === 'tiles-chart').length} times`);
    assert(!(await page.isVisible(`${card} [data-chart-loading]`)), 'the loading text stayed after the chart arrived');
    const s = await canvasStats(page, 'canvas[data-chart="tiles"]');
    assert(s.ink > 0.02, `the tiles chart looks blank (${s.ink})`);
    // It redraws on an edit, from the code now at hand.
    const n = await page.$eval('canvas[data-chart="tiles"]', (c) => Number(c.dataset.drawn));
    await page.getByLabel('Batch size', { exact: true }).fill('200');
    await page.waitForFunction((n) => Number(document.querySelector('canvas[data-chart="tiles"]').dataset.drawn) > n, n);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'an embed of one chart fetches no chunk of another chart nor of the page'({ browser, origin, url }) {
    // An embed loads the light embed (src/lite/), which holds every chart: no chunk at all.
    for (const [query, own] of [['embed=chart&chart=roofline', null], ['embed=chart&chart=tiles', null], ['embed=chart&chart=compare-context&cmp=qwen3-32b', null], ['embed=results', null]]) {
      const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 800, height: 480 } });
      const chunks = record(page);
      await page.goto(`${url}?v=1&${query}`);
      if (query.startsWith('embed=chart')) {
        await page.waitForSelector('canvas[data-chart][data-drawn]');
        const s = await canvasStats(page, 'canvas[data-chart]');
        assert(s.ink > 0.02, `${query}: the chart looks blank (${s.ink})`);
      } else {
        await page.waitForSelector('[data-metric="decode.step_seconds"][data-value]:not([data-value=""])');
      }
      await page.waitForTimeout(500);
      const other = chunks.filter((c) => c !== own);
      assert(other.length === 0, `${query} fetched ${other.join(', ')}`);
      if (own) assert(chunks.includes(own), `${query} did not fetch its chart's chunk`);
      assert(!(await page.$('.inputs')), `${query} shows the calculator`);
      assert(problems.length === 0, `${query}: ${problems.join('\n')}`);
      await context.close();
    }
  },
  async 'a chart just below the screen is drawn once, then redrawn only when it scrolls on screen'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const sel = 'canvas[data-chart="cost-context"]';
    await page.waitForSelector(sel);
    // Its top 100 px below the screen: within the 200 px margin, so it gets a first picture.
    await page.evaluate((sel) => {
      const c = document.querySelector(sel);
      window.scrollTo(0, c.getBoundingClientRect().top + window.scrollY - innerHeight - 100);
    }, sel);
    await page.waitForSelector(`${sel}[data-drawn]`, { timeout: 20000 });
    await page.waitForTimeout(300);
    const drawn = () => page.$eval(sel, (c) => Number(c.dataset.drawn));
    const n = await drawn();
    const r = await page.$eval('canvas[data-chart="roofline"]', (c) => Number(c.dataset.drawn || 0));
    await page.getByLabel('Batch size', { exact: true }).fill('300');
    await page.waitForFunction((r) => Number(document.querySelector('canvas[data-chart="roofline"]').dataset.drawn) > r, r).catch(() => {});
    await page.waitForTimeout(400);
    assert((await drawn()) === n, `the chart below the screen redrew on an edit (${n} → ${await drawn()})`);
    // On screen, it catches up with the edit.
    await page.locator(sel).scrollIntoViewIfNeeded();
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.drawn) > n, [sel, n]);
    const s = await canvasStats(page, sel);
    assert(s.ink > 0.02, `the chart looks blank (${s.ink})`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
