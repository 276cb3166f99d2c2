// Share links, bad links, golden links, embed in a sandboxed iframe of another origin, sub-paths.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, ready, metric, canvasStats, assert, close, serve, skip, scenarioJson } from '../harness.mjs';
import { evalCli, pageMetrics, agree } from '../cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const tests = {
  async 'the link follows edits without history entries and restores the same setup'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const h0 = await page.evaluate(() => history.length);
    await page.selectOption('#preset-model', 'deepseek-v3');
    await page.selectOption('#preset-hardware', 'h200-sxm');
    await page.getByLabel('Batch size', { exact: true }).fill('96');
    await page.selectOption('#f-precision-weights', 'fp8');
    // The address follows the edits, coalesced: wait for the last one, and for the share
    // field to show the same link (both update on the same settled state).
    await page.waitForFunction(() => location.search.includes('batch=96') && location.search.includes('wprec=fp8'));
    await page.waitForFunction(() => document.querySelector('#share-link')?.value === location.href);
    const link = await page.evaluate(() => location.href);
    assert(link.includes('model=deepseek-v3') && link.includes('hw=h200-sxm'), link);
    assert(link.length < 2000, `link is ${link.length} chars`);
    assert((await page.evaluate(() => history.length)) === h0, 'history grew');
    assert((await page.inputValue('#share-link')) === link, 'share field differs from the address bar');
    const before = await pageMetrics(page);
    const { context: c2, page: p2 } = await openPage(browser, origin);
    await p2.goto(link);
    await ready(p2);
    const after = await pageMetrics(p2);
    assert(JSON.stringify(after) === JSON.stringify(before), 'reopened link shows different results');
    assert(!(await p2.isVisible('.banner')), 'a clean link showed a problem banner');
    // The command line reads the same link and agrees with the page.
    agree(after, evalCli(link));
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
    await c2.close();
  },

  async 'bad links load, name each problem, keep the valid parts, and never inject HTML'({ browser, origin, url }) {
    const script = encodeURIComponent('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    const cases = [
      [`?v=1&model=llama-3.1-8b&batch=32&bogus=1`, ['bogus'], { 'workload.batch_size': 32 }],
      [`?v=1&batch=many&chips=4`, ['batch'], { chips: 4 }],
      [`?v=1&batch=0&in=2048`, ['batch'], {}],
      [`?v=1&batch=16&batch=64&in`, ['batch'], {}],
      [`?v=1&m.name=${script}&${script}=1&batch=8`, [], {}],
      [`?v=1&hw=no-such-chip&batch=8`, ['hw'], {}],
      [`?v=1&batch=8&` + 'x'.repeat(100 * 1024), [], {}],
      [`?v=1&embed=weird&theme=purple&batch=8`, ['embed', 'theme'], {}],
      [`?v=1&batch=%ZZ&chips=2`, ['batch'], { chips: 2 }],
    ];
    for (const [q, keys] of cases) {
      const { context, page, problems } = await openPage(browser, origin);
      await page.goto(url + q);
      await ready(page);
      const banner = await page.isVisible('.banner');
      assert(banner, `no banner for ${q.slice(0, 80)}`);
      for (const k of keys) {
        assert(await page.$(`[data-link-problem="${k}"]`), `banner does not name ${k} for ${q.slice(0, 80)}: ${await page.textContent('.banner')}`);
      }
      assert(!(await page.evaluate(() => window.__pwned)), 'injected script ran');
      assert(!(await page.$('img[src="x"]')), 'injected element exists');
      const text = await page.textContent('body');
      assert(!/NaN|Infinity/.test(text), 'NaN on the page');
      const real = problems.filter((p) => !p.startsWith('foreign request') || true);
      assert(real.length === 0, `${q.slice(0, 60)}: ${real.join('\n')}`);
      await context.close();
    }
    // Valid parts are kept.
    const { context, page } = await openPage(browser, origin);
    await page.goto(url + '?v=1&model=llama-3.1-8b&batch=32&bogus=1&chips=nonsense');
    await ready(page);
    assert((await page.inputValue('#f-workload-batch_size')) === '32', 'batch not kept');
    assert((await page.inputValue('#preset-model')) === 'llama-3.1-8b', 'model not kept');
    await context.close();
  },

  async 'golden links give their frozen results in the page'({ browser, origin, url }) {
    const golden = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/golden_links.json'), 'utf8'));
    let compared = 0;
    const { context, page } = await openPage(browser, origin);
    for (const g of golden.links) {
      // The page view: the link's query without its embed parameters (an embed shows no results card).
      const q = g.link.replace(/^[^?]*\?/, '').replace(/#.*$/, '').split('&').filter((p) => !/^(embed|chart)=/.test(p)).join('&');
      await page.goto(url + '?' + q);
      await ready(page);
      const m = await pageMetrics(page);
      for (const [k, v] of Object.entries(g.expected)) {
        if (!(k in m) || v === null || typeof v !== 'number') continue;
        close(m[k], v, 1e-9, `${g.link} ${k}`);
        compared++;
      }
    }
    assert(compared > golden.links.length * 5, `only ${compared} values compared`);
    await context.close();
  },

  async 'an embedded chart draws inside a sandboxed iframe on another origin'({ browser, origin, url }) {
    const src = `${url}?v=1&model=mixtral-8x7b&hw=a100-sxm-80gb&chips=2&embed=chart&chart=roofline`;
    const host = await serve(root, {
      base: '/nothing/',
      routes: { '/': ['text/html', `<!doctype html><link rel="icon" href="data:,"><title>docs</title><h1>Docs page</h1><iframe id="f" title="Roofline chart" src="${src}" width="800" height="480" sandbox="allow-scripts"></iframe>`] },
    });
    assert(host.origin !== origin, 'host must be another origin');
    const { context, page, problems } = await openPage(browser, host.origin);
    await page.goto(host.origin + '/');
    const frame = await (await page.waitForSelector('#f')).contentFrame();
    await frame.waitForSelector('canvas[data-chart="roofline"]', { timeout: 20000 });
    await frame.waitForSelector('canvas[data-chart="roofline"][data-drawn]');
    await page.waitForTimeout(200);
    const stats = await canvasStats(frame, 'canvas[data-chart="roofline"]');
    assert(stats.ink > 0.02, `embedded chart looks blank (${stats.ink})`);
    assert(stats.width >= 700, `chart does not fill the frame: ${stats.width}px`);
    assert(!(await frame.$('.inputs')), 'embed shows the calculator inputs');
    const back = await frame.getAttribute('a.backlink', 'href');
    assert(back.startsWith(url) && back.includes('model=mixtral-8x7b') && !back.includes('embed='), back);
    const inFrame = problems.filter((p) => !p.startsWith('foreign request'));
    assert(inFrame.length === 0, inFrame.join('\n'));
    await context.close();
    host.server.close();
  },

  async 'the results card embeds alone, and the theme follows a parameter'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { colorScheme: 'light' });
    await page.goto(url + '?v=1&batch=16&embed=results&theme=dark');
    await ready(page);
    assert((await page.getAttribute('html', 'data-theme')) === 'dark', 'theme parameter ignored');
    const bg = await page.$eval('main.embed', (e) => getComputedStyle(e).backgroundColor);
    assert(bg !== 'rgb(255, 255, 255)', `dark theme not applied: ${bg}`);
    assert((await metric(page, 'decode.step_seconds')) > 0, 'no results');
    assert(!(await page.$('canvas')), 'results embed drew a chart');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the embed snippet and copy button give the current setup'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.goto(url);
    await ready(page);
    await page.getByLabel('Batch size', { exact: true }).fill('48');
    await page.selectOption('#embed-what', 'frontier');
    const snippet = await page.inputValue('#embed-snippet');
    assert(snippet.startsWith('<iframe') && snippet.includes('embed=chart') && snippet.includes('chart=frontier') && snippet.includes('batch=48'), snippet);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.waitForFunction(() => document.querySelector('.share [role=status]').textContent.length > 0);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    await page.waitForFunction(() => location.search.includes('batch=48'));
    assert(clip === (await page.evaluate(() => location.href)), `clipboard has ${clip}`);
    await context.close();
  },

  async 'the scenario JSON is written while its panel is open and follows edits there'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByLabel('Batch size', { exact: true }).fill('48');
    // Closed, the panel holds nothing: an edit does not serialise the scenario.
    assert((await page.textContent('[data-scenario-json]')) === '', 'closed JSON panel was written');
    const json = JSON.parse(await scenarioJson(page));
    assert(json.workload.batch_size === 48, `JSON has batch ${json.workload.batch_size}`);
    // Open, it follows the next edit at once, without waiting for the link to settle.
    await page.getByLabel('Batch size', { exact: true }).fill('96');
    const now = JSON.parse(await page.textContent('[data-scenario-json]'));
    assert(now.workload.batch_size === 96, `open JSON has batch ${now.workload.batch_size} after an edit`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'the serving lab seed stays in the link'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url + '?v=1&batch=16&seed=7');
    await ready(page);
    await page.getByLabel('Batch size', { exact: true }).fill('24');
    await page.waitForFunction(() => location.search.includes('batch=24'));
    assert((await page.evaluate(() => location.search)).includes('seed=7'), 'seed dropped from the link');
    assert((await page.inputValue('#share-link')).includes('seed=7'), 'seed missing from the share link');
    await context.close();
  },

  async 'the release build works unchanged from a sub-path'({ browser, dist }) {
    if (!dist) skip('no local copy of the files (set DIST)');
    const sub = await serve(dist, { base: '/tools/roofline/' });
    const { context, page, problems } = await openPage(browser, sub.origin);
    await page.goto(sub.url + '?v=1&batch=8');
    await ready(page);
    assert((await metric(page, 'decode.step_seconds')) > 0, 'no results');
    await page.locator('canvas[data-chart="cost-batch"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('canvas[data-chart="cost-batch"][data-drawn]');
    const stats = await canvasStats(page, 'canvas[data-chart="cost-batch"]');
    assert(stats.ink > 0.01, 'chart blank under a sub-path');
    await page.getByLabel('Batch size', { exact: true }).fill('12');
    await page.waitForFunction(() => location.search.includes('batch=12'));
    assert((await page.evaluate(() => location.pathname)) === '/tools/roofline/', 'left the sub-path');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
    sub.server.close();
  },
};
