// The first slice: loads clean, inputs by label, edits change numbers and pixels, bad input recovers.
import { openPage, ready, metric, shownText, canvasStats, assert, close, openPanel } from '../harness.mjs';

export const tests = {
  async 'loads with no console errors, failed or foreign requests'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.waitForTimeout(300);
    assert(problems.length === 0, problems.join('\n'));
    assert((await page.title()).includes('Roofline'), 'title');
    await context.close();
  },

  async 'every input is found by its visible label'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    // The panels loaded on demand too.
    for (const id of ['lab', 'planner', 'validation', 'calibrate']) await openPanel(page, id);
    const ids = await page.$$eval('input, select, textarea', (els) => els.map((e) => e.id || e.name || e.outerHTML.slice(0, 60)));
    assert(ids.length >= 5, `only ${ids.length} inputs`);
    for (const el of await page.$$('input, select, textarea')) {
      const labelled = await el.evaluate((e) => {
        const own = e.labels && e.labels.length > 0 && [...e.labels].some((l) => l.textContent.trim().length > 0);
        return own || !!e.getAttribute('aria-label');
      });
      const id = await el.evaluate((e) => e.id || e.outerHTML.slice(0, 80));
      assert(labelled, `input without a visible label: ${id}`);
    }
    await page.getByLabel('Batch size', { exact: true }).fill('32');
    await page.getByLabel('Chips', { exact: true }).fill('4');
    await context.close();
  },

  async 'default page shows the engine numbers of reference case 01 under the pure bound'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByLabel(/Pure roofline bound/).check();
    // Case 01 prices the H100 at $2.95/h; the preset uses the middle of its sourced range.
    await page.getByText('Chip specification').click();
    await page.getByLabel('Price per chip-hour').fill('2.95');
    await page.waitForFunction(() => document.querySelector('[data-metric="decode.step_seconds"]').dataset.value < 0.0075);
    assert((await page.textContent('[data-preset-status="hardware"]')).includes('edited'), 'preset not marked edited');
    close(await metric(page, 'decode.step_seconds'), 0.00704464536411277, 1e-6, 'decode.step_seconds');
    close(await metric(page, 'cost.per_million_output_tokens'), 0.72158693833794, 1e-6, 'cost');
    close(await metric(page, 'decode.tokens_per_second'), 9084.914384197737, 1e-6, 'tok/s');
    assert((await metric(page, 'decode.bound')) === 'memory', 'bound');
    assert((await shownText(page, 'decode.step_seconds')) === '7.04 ms', `shown ${await shownText(page, 'decode.step_seconds')}`);
    await context.close();
  },

  async 'changing the batch size changes the cost and the chart pixels'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const chart = 'canvas[data-chart="cost-batch"]';
    await page.locator(chart).scrollIntoViewIfNeeded();
    await page.waitForSelector(`${chart}[data-drawn]`);
    const before = await canvasStats(page, chart);
    assert(before.ink > 0.01, `chart looks blank (${before.ink})`);
    const cost0 = await metric(page, 'cost.per_million_output_tokens');
    await page.getByLabel('Batch size', { exact: true }).fill('256');
    await page.waitForFunction((c) => Number(document.querySelector('[data-metric="cost.per_million_output_tokens"]').dataset.value) !== c, cost0);
    const cost1 = await metric(page, 'cost.per_million_output_tokens');
    assert(cost1 < cost0, `a bigger batch should be cheaper per token: ${cost0} → ${cost1}`);
    await page.waitForFunction((c) => Number(document.querySelector(c).dataset.drawn) >= 2, chart);
    const after = await canvasStats(page, chart);
    assert(after.hash !== before.hash, 'chart pixels did not change');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'a bad value shows a message, keeps the last results, and recovers'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const field = page.getByLabel('Batch size', { exact: true });
    const step0 = await metric(page, 'decode.step_seconds');
    for (const [bad, words] of [['0', 'at least 1'], ['-3', 'at least 1'], ['abc', 'not a number'], ['', 'empty'], ['2.5', 'whole number'], ['1e12', 'too large']]) {
      await field.fill(bad);
      const msg = await page.textContent('[data-error-for="workload.batch_size"]');
      assert(msg.includes('Batch size') && msg.includes(words), `for "${bad}" the message was "${msg}"`);
      assert((await field.getAttribute('aria-invalid')) === 'true', 'aria-invalid');
      assert(await page.isVisible('.results.stale'), 'results not marked stale');
      assert((await metric(page, 'decode.step_seconds')) === step0, 'results changed on bad input');
      const shown = await page.textContent('.results');
      assert(!/NaN|Infinity/.test(shown), `NaN shown: ${shown}`);
    }
    await field.fill('128');
    await page.waitForFunction(() => !document.querySelector('.results.stale'));
    assert((await page.textContent('[data-error-for="workload.batch_size"]')).trim() === '', 'error not cleared');
    assert((await metric(page, 'decode.step_seconds')) !== step0, 'results did not update after recovery');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
