// The architecture comparison chart and KV offload on the page: picking a model draws a
// second curve (read from the chart's CSV), the pick travels in the link and survives a
// reload; an unknown id is named and the rest kept; the offload switch makes a long context
// fit and shows the host's share in the why panel. Screenshots of the chart, light and dark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPage, ready, metric, canvasStats, assert } from '../harness.mjs';

const SEL = 'canvas[data-chart="compare-context"]';

async function drawnCount(page) {
  await page.locator(SEL).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${SEL}[data-drawn]`);
  return Number(await page.$eval(SEL, (c) => c.dataset.drawn));
}

/** The model curves in the chart's CSV export (long form: `series,context_tokens,value`). */
async function csvCurves(page) {
  const card = page.locator('[data-chart-card="compare-context"]');
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'as CSV' }).click()]);
  const body = fs.readFileSync(await download.path(), 'utf8');
  const names = new Set(body.split('\n').slice(1).map((l) => l.split(',')[0]).filter((s) => s && !s.startsWith('api_')));
  return [...names];
}

export const tests = {
  async 'picking a model draws a second curve, and the link keeps it'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const n0 = await drawnCount(page);
    const alone = await csvCurves(page);
    assert(alone.length === 1 && alone[0].includes('current'), `alone: ${alone}`);
    const before = await canvasStats(page, SEL);
    await page.locator('[data-compare-picker] > summary').click();
    await page.check('input[data-cmp="qwen3-235b-a22b"]');
    await page.waitForFunction(([q, n]) => Number(document.querySelector(q).dataset.drawn) > n, [SEL, n0]);
    const after = await canvasStats(page, SEL);
    assert(after.hash !== before.hash, 'the chart did not change when a model was picked');
    const two = await csvCurves(page);
    assert(two.length === 2 && two.some((c) => c.startsWith('qwen3_235b')), `picked: ${two}`);
    await page.waitForFunction(() => document.querySelector('#share-link').value.includes('cmp=qwen3-235b-a22b'));
    await page.waitForFunction(() => location.search.includes('cmp=qwen3-235b-a22b'));
    // Reload from the share link: still picked, still two curves.
    const link = await page.$eval('#share-link', (e) => e.value);
    await page.goto(link);
    await ready(page);
    await drawnCount(page);
    assert(await page.isChecked('input[data-cmp="qwen3-235b-a22b"]'), 'the pick did not survive the reload');
    const again = await csvCurves(page);
    assert(again.length === 2, `after reload: ${again}`);
    // Unpicking leaves the current model alone and drops cmp from the link.
    await page.uncheck('input[data-cmp="qwen3-235b-a22b"]');
    await page.waitForFunction(() => !document.querySelector('#share-link').value.includes('cmp='));
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'an unknown compared model is named and the others are kept'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin, { acceptDownloads: true });
    await page.goto(`${url}?v=1&cmp=no-such-model,deepseek-v3`);
    await ready(page);
    assert(await page.$('[data-link-problem="cmp"]'), `banner does not name cmp: ${await page.textContent('.banner')}`);
    assert((await page.textContent('.banner')).includes('no-such-model'), 'banner does not name the id');
    await drawnCount(page);
    assert(await page.isChecked('input[data-cmp="deepseek-v3"]'), 'the known id was not kept');
    await context.close();
  },

  async 'KV offload makes a long context fit and says what it costs'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}?v=1&model=llama-3.1-70b&hw=h100-sxm&chips=8&batch=32&ctx=131072`);
    await ready(page);
    assert((await metric(page, 'capacity.fits')) === 'false', 'should not fit without offload');
    const step = await metric(page, 'decode.step_seconds');
    await page.check('[data-field="kv_offload"]');
    await page.waitForFunction(() => document.querySelector('[data-metric="capacity.fits"]').dataset.value === 'true');
    await page.waitForFunction(() => document.querySelector('#share-link').value.includes('offload=true'));
    assert((await page.textContent('.memory .verdict')).includes('Fits with KV offload'), await page.textContent('.memory .verdict'));
    const slow = await metric(page, 'decode.step_seconds');
    assert(slow > 10 * step, `the host share should slow the step: ${step} → ${slow}`);
    // The why panel is written while on screen.
    await page.locator('.why-panel').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('.whys')?.textContent || '').includes('KV offload'));
    const why = await page.textContent('.whys');
    assert(why.includes('lies in host memory') && why.includes('host link'), `the why panel does not explain the offload: ${why.slice(0, 300)}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the comparison chart is saved for a look, light and dark'({ browser, origin, url }) {
    const dir = process.env.SHOTS_DIR || path.join(os.tmpdir(), 'roofline-compare-shots');
    fs.mkdirSync(dir, { recursive: true });
    for (const theme of ['light', 'dark']) {
      const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
      await page.goto(`${url}?v=1&model=deepseek-v3&hw=h200-sxm&chips=8&wprec=fp8&cprec=fp8&cmp=qwen3-235b-a22b,llama-3.1-405b,gpt-oss-120b&theme=${theme}`);
      await ready(page);
      await drawnCount(page);
      const s = await canvasStats(page, SEL);
      assert(s.ink > 0.02, `${theme}: compare chart looks blank (${s.ink})`);
      await page.locator('[data-chart-card="compare-context"]').screenshot({ path: path.join(dir, `compare-context-${theme}.png`) });
      await context.close();
    }
  },
};
