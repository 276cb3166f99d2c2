// Screenshots of the serving lab's charts (every scheduler, chunked prefill and
// disaggregated pools included) and of the calculator's disaggregated section, after a run.
// Usage: node e2e/lab-shots.mjs [outdir] (needs dist/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, ready } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '..', 'docs', 'screenshots', 'lab'));
fs.mkdirSync(out, { recursive: true });
const { server, origin, url } = await serve(path.resolve(process.env.DIST || path.join(here, '..', 'dist')));
const { browser } = await launch();
const query = '?v=1&model=llama-3.1-70b&hw=h100-sxm&pd=yes&pd.p.hw=h200-sxm&pd.p.chips=4&pd.d.n=1&chunk=512';
for (const [scheme, dpr] of [['light', 1], ['dark', 2]]) {
  const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, colorScheme: scheme, deviceScaleFactor: dpr });
  await page.goto(url + query + `&theme=${scheme}`);
  await ready(page);
  await page.getByLabel('Requests to simulate').fill('3000');
  await page.click('[data-lab-run]');
  await page.waitForFunction(() => document.querySelector('[data-lab-state]').dataset.labState === 'done', null, { timeout: 60000 });
  for (const id of await page.$$eval('[data-lab-state] canvas[data-chart]', (cs) => cs.map((c) => c.dataset.chart))) {
    const card = page.locator(`[data-chart-card="${id}"]`);
    await card.scrollIntoViewIfNeeded();
    await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`);
    await card.screenshot({ path: path.join(out, `${id}-${scheme}@${dpr}x.png`) });
  }
  await page.locator('[data-lab-results]').screenshot({ path: path.join(out, `lab-table-${scheme}@${dpr}x.png`) });
  const pd = page.locator('fieldset[data-pd]');
  await pd.scrollIntoViewIfNeeded();
  await pd.screenshot({ path: path.join(out, `disaggregation-inputs-${scheme}@${dpr}x.png`) });
  console.log(`wrote ${out}/*-${scheme}@${dpr}x.png`);
  await context.close();
}
await browser.close();
server.close();
