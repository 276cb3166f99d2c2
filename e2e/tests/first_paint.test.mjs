// The first screen painted by the main module before the app (src/lite/first.rs): with the
// app's part held back, the page already shows the header, the headline numbers, the results
// card and the first two charts drawn for the link's setup, having fetched nothing of the
// app; once the app arrives it takes the painted screen off, shows the same numbers at the
// same places, and is usable. A link that opens below the charts, or has problems, paints
// nothing: the app opens it.
import { openPage, ready, metric, canvasStats, assert, FIRST_CHART } from '../harness.mjs';

const file = (u) => decodeURIComponent(new URL(u).pathname).split('/').pop();

// Opens `query` with the app's part held until `release()`.
async function held(browser, origin, url, query, timed = false) {
  const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
  // When the first chart is drawn (as e2e/bench.mjs records it).
  if (timed) await page.addInitScript(FIRST_CHART);
  let release;
  const gate = new Promise((r) => { release = r; });
  const files = [];
  page.on('request', (r) => files.push(file(r.url())));
  await page.route(/split-app-part-[0-9a-f]+_bg\.wasm$/, async (route) => { await gate; await route.continue(); });
  await page.goto(url + query);
  return { context, page, problems, files, release };
}

// Where each results number sits and what it says, inside `root`.
const placed = (page, root) => page.$$eval(`${root} [data-metric]`, (els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return `${e.dataset.metric}=${e.dataset.value}@${Math.round(r.x)},${Math.round(r.y)}`;
}));

export const tests = {
  async 'the first screen is painted before the app arrives, then the app takes its place'({ browser, origin, url }) {
    const query = '?v=1&model=mixtral-8x7b&hw=a100-sxm-80gb&chips=2&batch=16';
    const { context, page, problems, release } = await held(browser, origin, url, query);
    await page.waitForSelector('#first-paint canvas[data-chart="roofline"][data-drawn]', { timeout: 20000 });
    await page.waitForSelector('#first-paint canvas[data-chart="cost-batch"][data-drawn]', { timeout: 20000 });
    const roofline = await canvasStats(page, '#first-paint canvas[data-chart="roofline"]');
    assert(roofline.ink > 0.01, `the painted roofline is blank (${roofline.ink})`);
    // Nothing of the app yet: no form, no app part, no page part.
    assert(!(await page.$('#f-workload-batch_size')), 'the form is already there');
    const inputs = await page.textContent('#first-paint .inputs');
    assert(/Mixtral/.test(inputs) && /A100/.test(inputs) && /2 chips/.test(inputs) && /Batch 16,/.test(inputs), `inputs place: ${inputs}`);
    assert(/Loading the inputs/.test(inputs), 'no loading state');
    const summary = await page.textContent('#first-paint .summary');
    const painted = await placed(page, '#first-paint');
    assert(painted.length > 10, `few painted numbers: ${painted.length}`);
    const step = await page.getAttribute('#first-paint [data-metric="decode.step_seconds"]', 'data-value');
    assert(Number(step) > 0, `painted step time ${step}`);
    release();
    await ready(page);
    // The app's numbers: the same values at the same places, and the same headline.
    const app = await placed(page, '#sec-results');
    assert(JSON.stringify(app) === JSON.stringify(painted), `painted ≠ app:\n${painted.join('\n')}\n---\n${app.join('\n')}`);
    assert((await page.textContent('.wayfinder .summary')) === summary, 'the headline numbers changed');
    assert((await metric(page, 'decode.step_seconds')) === Number(step), 'step time differs');
    // The app's own roofline is drawn with the same picture.
    await page.waitForSelector('#sec-charts canvas[data-chart="roofline"][data-drawn]');
    const appRoofline = await canvasStats(page, '#sec-charts canvas[data-chart="roofline"]');
    assert(appRoofline.hash === roofline.hash, 'the app redrew the roofline differently');
    // And usable: an edit changes the numbers.
    await page.fill('#f-workload-batch_size', '64');
    await page.waitForFunction((s) => document.querySelector('[data-metric="decode.step_seconds"]').dataset.value !== s, step);
    assert(!(await page.$('#first-paint')), 'the painted screen is still there');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'on a phone the painted results card sits where the app puts it, above the inputs'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 400, height: 800 } });
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route(/split-app-part-[0-9a-f]+_bg\.wasm$/, async (route) => { await gate; await route.continue(); });
    await page.goto(url);
    await page.waitForSelector('#first-paint canvas[data-drawn]', { timeout: 20000 });
    const top = (sel) => page.$eval(sel, (e) => Math.round(e.getBoundingClientRect().top));
    const painted = await top('#first-paint .card.results');
    assert(painted < await top('#first-paint .inputs'), 'the painted results card is below the inputs');
    release();
    await ready(page);
    const app = await top('#sec-results .card.results');
    assert(app === painted, `results card at ${painted} px painted, ${app} px in the app`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the main module alone paints it: the rest of the app is asked for after the first chart'({ browser, origin, url }) {
    const { context, page, problems, release } = await held(browser, origin, url, '', true);
    await page.waitForSelector('#first-paint canvas[data-drawn]', { timeout: 20000 });
    await page.waitForTimeout(300);
    const { before, after } = await page.evaluate(() => {
      const all = performance.getEntriesByType('resource').filter((e) => /\.wasm$/.test(e.name));
      const name = (e) => e.name.split('/').pop();
      return {
        before: all.filter((e) => e.startTime <= window.__firstChart).map(name),
        after: all.filter((e) => e.startTime > window.__firstChart).map(name),
      };
    });
    assert(before.length === 1 && /^roofline-web-[0-9a-f]{16}_bg\.wasm$/.test(before[0]), `wasm asked for before the first chart: ${before}`);
    assert(after.some((f) => /^split-page-part-/.test(f)) && after.some((f) => /^split-page-shared-/.test(f)), `asked for after it: ${after}`);
    release();
    await ready(page);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'a link to a section below the charts, or with problems, paints nothing first'({ browser, origin, url }) {
    for (const query of ['?v=1&section=planner', '?v=1&batch=abc']) {
      const { context, page, problems, release } = await held(browser, origin, url, query);
      await page.waitForTimeout(800);
      assert(!(await page.$('#first-paint')), `${query}: painted a first screen`);
      release();
      await ready(page);
      if (query.includes('planner')) await page.waitForSelector('[data-lazy="planner"][data-lazy-state="loaded"]', { timeout: 20000 });
      else assert(await page.$('[data-link-problem="batch"]'), `${query}: the banner does not name batch`);
      assert(problems.length === 0, `${query}: ${problems.join('\n')}`);
      await context.close();
    }
  },
};
