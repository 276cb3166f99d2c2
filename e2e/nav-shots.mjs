// Screenshots of the section navigation with the headline summary (wide and phone, light and
// dark) and of the saved setups panel with two setups. Usage: node e2e/nav-shots.mjs [outdir]
// (needs dist/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, ready } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '..', 'docs', 'screenshots', 'nav'));
fs.mkdirSync(out, { recursive: true });
const { server, origin, url } = await serve(path.resolve(process.env.DIST || path.join(here, '..', 'dist')));
const { browser } = await launch();
for (const [scheme, width, height] of [['light', 1280, 800], ['dark', 1280, 800], ['light', 390, 844], ['dark', 390, 844]]) {
  const { context, page } = await openPage(browser, origin, { viewport: { width, height }, colorScheme: scheme });
  await page.goto(url + '?v=1&model=deepseek-v3&hw=h200-sxm&chips=8&batch=96&wprec=fp8');
  await ready(page);
  await page.getByLabel('Setup name').fill('DeepSeek-V3 fp8, batch 96');
  await page.getByRole('button', { name: 'Save setup' }).click();
  await page.getByLabel('Batch size', { exact: true }).fill('16');
  await page.getByLabel('Setup name').fill('Same, batch 16');
  await page.getByRole('button', { name: 'Save setup' }).click();
  await page.click('[data-section="charts"]');
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(out, `nav-charts-${scheme}-${width}.png`) });
  await page.click('[data-section="saved"]');
  await page.waitForTimeout(300);
  await page.locator('section.saved').screenshot({ path: path.join(out, `saved-${scheme}-${width}.png`) });
  await page.screenshot({ path: path.join(out, `nav-saved-${scheme}-${width}.png`) });
  await context.close();
}
console.log(`wrote ${out}`);
await browser.close();
server.close();
