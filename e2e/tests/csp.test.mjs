// The Content-Security-Policy (index.html's meta tag, and the header scripts/package.sh
// documents): it allows nothing but the app's own files and 'wasm-unsafe-eval', and it is in
// force (an inline script and a foreign fetch are refused, and the refusal is reported; eval
// cannot be probed from the test, whose own evaluations the browser exempts), and the page, every panel and every embed view run under it with no
// securitypolicyviolation event. Every other browser test runs under the same policy too (a
// refusal is a console error, which they all check).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, ready, serve, assert, openPanel } from '../harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Opens a page that records every securitypolicyviolation event, in every frame. */
async function cspPage(browser, origin, options = {}) {
  const opened = await openPage(browser, origin, { acceptDownloads: true, ...options });
  await opened.context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || '(inline)'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
    }, true);
  });
  return opened;
}

const violations = (frame) => frame.evaluate(() => window.__csp);

/** Asserts no violation and no other problem so far. */
async function clean(frame, problems, where) {
  const v = await violations(frame);
  assert(v.length === 0, `${where}: ${v.join('\n')}`);
  assert(problems.length === 0, `${where}: ${problems.join('\n')}`);
}

/** The page's policy, from its meta tag. */
const metaPolicy = (page) => page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);

export const tests = {
  async 'the policy allows only the app\'s own files and is in force: an inline script and a foreign fetch are refused and reported'({ browser, origin, url, packaged }) {
    const { context, page, problems } = await cspPage(browser, origin);
    const response = await page.goto(url);
    await ready(page);
    const policy = await metaPolicy(page);
    const directives = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    assert(directives['default-src'] === "'self'", policy);
    assert(directives['script-src'] === "'self' 'wasm-unsafe-eval'", policy);
    assert(!/unsafe-inline|unsafe-eval'|https?:|\*/.test(policy.replace("'wasm-unsafe-eval'", '')), `policy allows more than the app's own files: ${policy}`);
    // Served from a package with its documented headers: the header says the same.
    const header = response.headers()['content-security-policy'];
    if (packaged) assert(header, 'a package served with its headers sends no Content-Security-Policy');
    if (header) assert(header === policy, `header ${header} differs from the page's ${policy}`);
    await clean(page, problems, 'load');
    const probe = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      let fetched = false;
      try { await fetch('http://127.0.0.2:9/'); fetched = true; } catch (e) { /* refused */ }
      await new Promise((r) => setTimeout(r, 50));
      return { inline: !!window.__inlineRan, fetched, reported: window.__csp };
    });
    assert(!probe.inline && !probe.fetched, `not refused: ${JSON.stringify(probe)}`);
    // Each policy in force reports each refusal: the meta tag's, and the header's if sent.
    const policies = header ? 2 : 1;
    const kinds = probe.reported.map((r) => r.split(' ')[0]).sort();
    const want = [...Array(policies).fill('connect-src'), ...Array(policies).fill('script-src-elem')];
    assert(kinds.join(' ') === want.join(' '), `${policies} policies, reports: ${probe.reported.join('\n')}`);
    await context.close();
  },

  async 'no violation on load, edits, every chart and export, compare, share, why, import, lab, planner and validation'({ browser, origin, url }) {
    const { context, page, problems } = await cspPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    await clean(page, problems, 'load');
    // Edits: presets, a number, a slider, a select, the pure-bound switch, every details box.
    await page.selectOption('#preset-model', 'deepseek-v3');
    await page.selectOption('#preset-hardware', 'h200-sxm');
    await page.getByLabel('Batch size', { exact: true }).fill('64');
    await page.selectOption('#f-precision-weights', 'fp8');
    await page.getByLabel(/Pure roofline bound/).check();
    await page.getByLabel(/Pure roofline bound/).uncheck();
    await page.getByLabel('Batch size', { exact: true }).fill('abc');
    await page.getByLabel('Batch size', { exact: true }).fill('96');
    for (const d of await page.$$('details')) await d.evaluate((e) => { e.open = true; });
    await page.waitForFunction(() => location.search.includes('batch=96'));
    await clean(page, problems, 'edits');
    // Every chart, drawn on screen, with a hover readout and an export of each kind.
    const ids = await page.$$eval('canvas[data-chart]', (cs) => cs.map((c) => c.dataset.chart));
    assert(ids.length >= 9, `only ${ids.length} charts`);
    for (const id of ids) {
      const sel = `canvas[data-chart="${id}"]`;
      await page.locator(sel).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${sel}[data-drawn]`);
      const box = await page.locator(sel).boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    }
    const card = page.locator('[data-chart-card="cost-batch"]');
    for (const kind of ['PNG', 'SVG', 'CSV']) {
      await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: `as ${kind}` }).click()]);
    }
    await clean(page, problems, 'charts');
    // Compare, share, the why panel.
    await page.getByRole('button', { name: 'Pin this setup as A' }).click();
    await page.getByLabel('Batch size', { exact: true }).fill('128');
    await page.waitForSelector('tr[data-compare]');
    await page.selectOption('#embed-what', 'frontier');
    await page.locator('[data-why]').first().scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-why]');
    // Import by paste.
    await page.getByLabel('Paste config.json').fill(fs.readFileSync(path.join(root, 'tests/fixtures/hf/qwen3-30b-a3b.json'), 'utf8'));
    await page.getByRole('button', { name: 'Import pasted config' }).click();
    await page.waitForFunction(() => document.querySelector('[data-import-message]').textContent.startsWith('Imported'));
    await clean(page, problems, 'compare, share, why, import');
    // The serving lab: a run, its three charts.
    await openPanel(page, 'lab');
    await page.click('[data-lab-run]');
    await page.waitForFunction(() => document.querySelector('[data-lab-state]').dataset.labState === 'done', null, { timeout: 30000 });
    for (const c of await page.$$('canvas[data-chart^="lab-"]')) await c.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => [...document.querySelectorAll('canvas[data-chart^="lab-"]')].every((c) => c.dataset.drawn));
    await clean(page, problems, 'lab');
    // The planner: a search, a setup loaded into the calculator, its launch commands.
    await openPanel(page, 'planner');
    await page.click('[data-plan-run]');
    await page.waitForSelector('tr[data-plan-rank="1"]');
    await page.click('[data-plan-load="1"]');
    await page.waitForSelector('[data-launch]');
    await clean(page, problems, 'planner');
    // Validation: the table and its chart.
    await openPanel(page, 'validation');
    await page.click('#validation-show');
    await page.waitForSelector('[data-validation="ready"]');
    await page.locator('canvas[data-chart="validation"]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => Number(document.querySelector('canvas[data-chart="validation"]')?.dataset.drawn) > 0);
    await clean(page, problems, 'validation');
    await context.close();
  },

  async 'no violation in the embed views: every chart, the results card, and inside a sandboxed iframe'({ browser, origin, url }) {
    const { context, page, problems } = await cspPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const ids = await page.$$eval('canvas[data-chart]', (cs) => cs.map((c) => c.dataset.chart));
    for (const id of ids) {
      await page.goto(`${url}?v=1&model=mixtral-8x7b&chips=2&embed=chart&chart=${id}&theme=dark`);
      await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`, { timeout: 20000 });
      await clean(page, problems, `embed=chart&chart=${id}`);
    }
    await page.goto(`${url}?v=1&batch=16&embed=results`);
    await ready(page);
    await clean(page, problems, 'embed=results');
    await context.close();
    // In a sandboxed iframe on another origin (an opaque origin: 'self' is still the app's).
    const host = await serve(root, {
      base: '/nothing/',
      routes: { '/': ['text/html', `<!doctype html><link rel="icon" href="data:,"><title>docs</title><iframe id="f" title="Roofline" src="${url}?v=1&embed=chart&chart=roofline" width="800" height="480" sandbox="allow-scripts"></iframe><iframe id="r" title="Roofline results" src="${url}?v=1&embed=results" width="800" height="520" sandbox="allow-scripts"></iframe>`] },
    });
    const { context: c2, page: p2, problems: pr2 } = await cspPage(browser, host.origin);
    await p2.goto(host.origin + '/');
    const chart = await (await p2.waitForSelector('#f')).contentFrame();
    await chart.waitForSelector('canvas[data-chart="roofline"][data-drawn]', { timeout: 20000 });
    const results = await (await p2.waitForSelector('#r')).contentFrame();
    await ready(results);
    for (const [f, where] of [[chart, 'sandboxed chart'], [results, 'sandboxed results']]) {
      await clean(f, pr2.filter((p) => !p.startsWith('foreign request')), where);
    }
    await c2.close();
    host.server.close();
  },
};
