// Speculative decoding and prefix caching on the page: switching speculation on changes the
// per-user speed and its chart; a cached prefix lowers the input cost and the time to first
// token; both new charts are drawn, export, and are saved for a look.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPage, ready, metric, canvasStats, assert, scenarioJson } from '../harness.mjs';
import { evalCli, pageMetrics, agree } from '../cli.mjs';

async function chartHash(page, id) {
  const sel = `canvas[data-chart="${id}"]`;
  await page.locator(sel).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${sel}[data-drawn]`);
  return { drawn: Number(await page.$eval(sel, (c) => c.dataset.drawn)), ...(await canvasStats(page, sel)) };
}

async function redrawn(page, id, before) {
  const sel = `canvas[data-chart="${id}"]`;
  await page.locator(sel).scrollIntoViewIfNeeded();
  await page.waitForFunction(([q, n]) => Number(document.querySelector(q).dataset.drawn) > n, [sel, before.drawn]);
  return canvasStats(page, sel);
}

async function waitChange(page, key, old) {
  await page.waitForFunction(([k, o]) => document.querySelector(`[data-metric="${k}"]`).dataset.value !== o, [key, String(old)]);
}

export const tests = {
  async 'turning on speculation changes the per-user speed and the chart'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const speed = await metric(page, 'decode.tokens_per_second_per_user');
    assert((await metric(page, 'speculative.speedup')) === 'null', 'speculation should start off');
    assert((await metric(page, 'decode.tokens_per_step')) === 1, 'one token per step without speculation');
    const before = await chartHash(page, 'speculative');
    assert(before.ink > 0.02, `speculative chart looks blank (${before.ink})`);
    await page.selectOption('[data-field="speculative"]', 'mtp');
    await waitChange(page, 'decode.tokens_per_second_per_user', speed);
    const faster = await metric(page, 'decode.tokens_per_second_per_user');
    assert(faster > speed * 1.3, `per-user speed ${speed} → ${faster}`);
    assert(Math.abs((await metric(page, 'decode.tokens_per_step')) - 1.85) < 1e-12, 'τ for one head at 85%');
    const gain = await metric(page, 'speculative.speedup');
    assert(Math.abs(gain - faster / speed) < 1e-9 * gain, `speed-up ${gain} is not ${faster} ÷ ${speed}`);
    const after = await redrawn(page, 'speculative', before);
    assert(after.hash !== before.hash, 'the speculative chart did not change');
    await page.waitForFunction(() => document.querySelector('#share-link').value.includes('spec=mtp'));
    // A draft model with more tokens: fields appear, the numbers follow the engine's.
    await page.selectOption('[data-field="speculative"]', 'draft');
    await page.waitForSelector('[data-field="speculative.draft_model"]', { state: 'visible' });
    await page.selectOption('[data-field="speculative.draft_model"]', 'llama-3.1-8b');
    await page.getByLabel('Draft tokens per step', { exact: true }).fill('4');
    await page.getByLabel('Acceptance rate per draft token', { exact: true }).fill('70');
    await page.waitForFunction(() => document.querySelector('#share-link').value.includes('spec.k=4'));
    const json = await scenarioJson(page);
    assert(json.includes('"draft_model": "llama-3.1-8b"'), json);
    const n = agree(await pageMetrics(page), evalCli(json));
    assert(n >= 15, `compared ${n}`);
    // A bad acceptance rate is named beside its field and keeps the last results.
    await page.getByLabel('Acceptance rate per draft token', { exact: true }).fill('150');
    await page.waitForSelector('[data-error-for="speculative.acceptance_rate"]:not(:empty)');
    assert(await page.isVisible('.results.stale'), 'a bad acceptance rate should mark the results stale');
    await page.getByLabel('Acceptance rate per draft token', { exact: true }).fill('70');
    await page.waitForFunction(() => !document.querySelector('.results.stale'));
    await page.selectOption('[data-field="speculative"]', 'none');
    await page.waitForFunction(() => document.querySelector('[data-metric="decode.tokens_per_step"]').dataset.value === '1');
    assert(Math.abs((await metric(page, 'decode.tokens_per_second_per_user')) - speed) < 1e-9 * speed, 'off again: the speed of before');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'a cached prefix lowers the shown input cost and the time to first token'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const cost = await metric(page, 'cost.per_million_input_tokens');
    const ttft = await metric(page, 'prefill.seconds');
    const maxBatch = await metric(page, 'capacity.max_batch_size');
    assert((await metric(page, 'cost.per_million_cached_input_tokens')) === 'null', 'no cached input at first');
    const before = await chartHash(page, 'prefix-cache');
    assert(before.ink > 0.02, `prefix-cache chart looks blank (${before.ink})`);
    await page.getByLabel('Cached input (prefix)', { exact: true }).fill('768');
    await waitChange(page, 'cost.per_million_input_tokens', cost);
    const cheaper = await metric(page, 'cost.per_million_input_tokens');
    const sooner = await metric(page, 'prefill.seconds');
    assert(cheaper < cost * 0.5, `input cost ${cost} → ${cheaper}`);
    assert(sooner < ttft * 0.5, `TTFT ${ttft} → ${sooner}`);
    const cached = await metric(page, 'cost.per_million_cached_input_tokens');
    assert(typeof cached === 'number' && cached < cheaper, `cached-token cost ${cached}`);
    const shown = await page.textContent('[data-metric="cost.per_million_input_tokens"]');
    assert(!/NaN|undefined/.test(shown), shown);
    const after = await redrawn(page, 'prefix-cache', before);
    assert(after.hash !== before.hash, 'the prefix-cache chart did not change');
    await page.waitForFunction(() => document.querySelector('#share-link').value.includes('cached=768'));
    // One shared copy of the prefix lets more requests fit.
    await page.selectOption('[data-field="workload.prefix_sharing"]', 'shared');
    await waitChange(page, 'capacity.max_batch_size', maxBatch);
    assert((await metric(page, 'capacity.max_batch_size')) > maxBatch, 'a shared prefix should free memory');
    // More cached tokens than input tokens is named.
    await page.getByLabel('Cached input (prefix)', { exact: true }).fill('5000');
    await page.waitForFunction(() => document.querySelector('.stale-note').textContent.includes('cached_input_tokens: must not exceed input_tokens (1024)'));
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the new charts are drawn, exported and saved for a look'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { acceptDownloads: true, deviceScaleFactor: 2, viewport: { width: 1280, height: 900 } });
    await page.goto(url + (url.includes('?') ? '&' : '?') + 'spec=mtp&cached=512&prefix=shared');
    await ready(page);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-spec-'));
    for (const id of ['speculative', 'prefix-cache']) {
      const s = await chartHash(page, id);
      assert(s.ink > 0.02, `${id} looks blank (${s.ink})`);
      const card = page.locator(`[data-chart-card="${id}"]`);
      await card.screenshot({ path: path.join(dir, `${id}.png`) });
      for (const [kind, check] of [
        ['PNG', (b) => b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a'],
        ['SVG', (b) => b.toString('utf8').startsWith('<svg') && !b.toString('utf8').includes('NaN')],
        ['CSV', (b) => b.toString('utf8').split('\n').length > 10 && b.toString('utf8').split('\n')[0].includes(',')],
      ]) {
        const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: `as ${kind}` }).click()]);
        const body = fs.readFileSync(await download.path());
        assert(download.suggestedFilename().startsWith(`roofline-${id}.`), download.suggestedFilename());
        assert(check(body), `${id}: ${kind} export is not a ${kind}`);
      }
    }
    console.log(`  screenshots of the new charts: ${dir}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
