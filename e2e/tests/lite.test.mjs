// The light embeds (src/lite/, the roofline-lite-* modules, scripts/lite_wasm.mjs): an embed's
// link loads one (its chart group's, or the results card's) instead of the app, fetches
// nothing of the app, and every chart kind draws;
// its readout, model picker and link back work; a link whose embed value is unknown loads the app.
import { openPage, ready, canvasStats, assert } from '../harness.mjs';

const file = (u) => decodeURIComponent(new URL(u).pathname).split('/').pop();
const record = (page) => {
  const files = [];
  page.on('request', (r) => files.push(file(r.url())));
  return files;
};
const KINDS = ['roofline', 'cost-batch', 'cost-context', 'frontier', 'scale-out', 'breakdown-time', 'breakdown-memory', 'breakdown-energy', 'tiles', 'speculative', 'prefix-cache', 'compare-context'];

export const tests = {
  async 'an embed fetches only the lite module: no app glue, wasm, loader or chunk'({ browser, origin, url }) {
    for (const query of ['embed=chart&chart=roofline', 'embed=chart&chart=tiles', 'embed=results']) {
      const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 800, height: 480 } });
      const files = record(page);
      await page.goto(`${url}?v=1&${query}`);
      if (query.startsWith('embed=chart')) await page.waitForSelector('canvas[data-chart][data-drawn]');
      else await page.waitForSelector('[data-metric="decode.step_seconds"][data-value]:not([data-value=""])');
      await page.waitForTimeout(500);
      const code = files.filter((f) => /\.(js|wasm)$/.test(f) && !/^boot-[0-9a-f]{16}\.js$/.test(f));
      // One lite module: its glue and its wasm (of the chart's group, or the results card's).
      const wasm = code.filter((f) => /^roofline-lite-[a-z]+-[0-9a-f]{16}_bg\.wasm$/.test(f));
      const glue = code.filter((f) => /^roofline-lite-[a-z]+-[0-9a-f]{16}\.js$/.test(f));
      assert(wasm.length === 1 && glue.length === 1 && wasm[0] === glue[0].replace(/\.js$/, '_bg.wasm'), `${query}: expected one lite module, fetched ${code}`);
      if (query === 'embed=results') assert(wasm[0].startsWith('roofline-lite-results-'), wasm[0]);
      else assert(!wasm[0].startsWith('roofline-lite-results-'), wasm[0]);
      const other = code.filter((f) => !f.startsWith('roofline-lite-'));
      assert(other.length === 0, `${query} fetched ${other.join(', ')}`);
      assert(await page.$('main.embed a.backlink'), `${query}: no link back`);
      assert(problems.length === 0, `${query}: ${problems.join('\n')}`);
      await context.close();
    }
    // The full page fetches no lite file.
    const { context, page } = await openPage(browser, origin);
    const files = record(page);
    await page.goto(url);
    await ready(page);
    assert(!files.some((f) => f.startsWith('roofline-lite-')), `the page fetched the lite module: ${files}`);
    await context.close();
  },

  async 'every chart kind draws in an embed'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 800, height: 480 } });
    for (const id of KINDS) {
      const files = record(page);
      await page.goto(`${url}?v=1&model=mixtral-8x7b&chips=2&embed=chart&chart=${id}`);
      await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`, { timeout: 20000 });
      const s = await canvasStats(page, `canvas[data-chart="${id}"]`);
      assert(s.ink > 0.02, `${id}: the embedded chart looks blank (${s.ink})`);
      assert(s.width >= 700, `${id}: the chart does not fill the frame (${s.width} px)`);
      assert(!(await page.isVisible(`[data-chart-card="${id}"] .error`)), `${id}: ${await page.textContent(`[data-chart-card="${id}"] .error`)}`);
      assert(!files.some((f) => f.startsWith('roofline-web-')), `${id}: the embed loaded the app`);
    }
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the lite embed reads out under the pointer, redraws on resize, and its model picker redraws and follows the link back'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 800, height: 480 } });
    await page.goto(`${url}?v=1&embed=chart&chart=cost-batch`);
    const sel = 'canvas[data-chart="cost-batch"]';
    await page.waitForSelector(`${sel}[data-drawn]`);
    const box = await (await page.$(sel)).boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55);
    await page.waitForFunction(() => document.querySelector('[data-readout="cost-batch"]').textContent.includes('='));
    const text = await page.textContent('[data-readout="cost-batch"]');
    assert(!/NaN/.test(text), text);
    const n = await page.$eval(sel, (c) => Number(c.dataset.drawn));
    await page.setViewportSize({ width: 640, height: 400 });
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.drawn) > n, [sel, n]);
    const w = await page.$eval(sel, (c) => c.width / devicePixelRatio);
    assert(w > 560 && w <= 640 && w < box.width - 100, `after the resize to 640 px the chart is ${w} px wide (was ${box.width})`);
    // The comparison's picker: a model ticked redraws the chart and joins the link back.
    await page.setViewportSize({ width: 800, height: 480 });
    await page.goto(`${url}?v=1&embed=chart&chart=compare-context&cmp=qwen3-32b`);
    const cmp = 'canvas[data-chart="compare-context"]';
    await page.waitForSelector(`${cmp}[data-drawn]`);
    assert((await page.textContent('[data-compare-count]')).includes('1 picked'), await page.textContent('[data-compare-count]'));
    assert(await page.isChecked('input[data-cmp="qwen3-32b"]'), 'the linked model is not ticked');
    const before = await page.$eval(cmp, (c) => Number(c.dataset.drawn));
    await page.check('input[data-cmp="deepseek-v3"]');
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel).dataset.drawn) > n, [cmp, before]);
    const back = await page.getAttribute('a.backlink', 'href');
    assert(back.includes('cmp=qwen3-32b%2Cdeepseek-v3') || back.includes('cmp=qwen3-32b,deepseek-v3'), back);
    assert(!back.includes('embed='), back);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'a link whose embed value is unknown loads the full app, naming the problem'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    const files = record(page);
    await page.goto(`${url}?v=1&embed=poster&batch=8`);
    await ready(page);
    assert(await page.$('[data-link-problem="embed"]'), 'no problem named for embed');
    assert(await page.$('.inputs'), 'the calculator is not shown');
    assert(files.some((f) => f.startsWith('roofline-lite-')) && files.some((f) => f.startsWith('roofline-web-')), files.join(' '));
    await context.close();
  },
};
