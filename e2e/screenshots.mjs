// Screenshots of the real page for the README and docs: light and dark, wide and narrow,
// normal and high pixel density. Usage: node e2e/screenshots.mjs [outdir] (needs dist/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage, ready } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '..', 'docs', 'screenshots'));
fs.mkdirSync(out, { recursive: true });
const { server, origin, url } = await serve(path.resolve(process.env.DIST || path.join(here, '..', 'dist')));
const { browser } = await launch();
const shots = [
  ['page-light-wide', { width: 1280, height: 900 }, 'light', 1, ''],
  ['page-dark-wide', { width: 1280, height: 900 }, 'dark', 1, ''],
  ['page-light-narrow', { width: 390, height: 844 }, 'light', 2, ''],
  ['page-dark-narrow', { width: 390, height: 844 }, 'dark', 2, ''],
  ...(process.env.SHOTS_EXTRA ? JSON.parse(process.env.SHOTS_EXTRA) : []),
];
for (const [name, viewport, scheme, dpr, query] of shots) {
  const { context, page } = await openPage(browser, origin, { viewport, colorScheme: scheme, deviceScaleFactor: dpr });
  await page.goto(url + (query || ''));
  await ready(page);
  await page.waitForTimeout(300);
  // The top of the page, as it first appears.
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  // Charts draw when they come on screen: scroll through the page, then take all of it.
  const height = await page.evaluate(() => document.body.scrollHeight);
  for (let y = 0; y < height; y += viewport.height / 2) {
    await page.evaluate((yy) => window.scrollTo(0, yy), y);
    await page.waitForTimeout(60);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(out, `${name}-full.png`), fullPage: true });
  console.log(`wrote ${path.join(out, name + '.png')} and ${name}-full.png`);
  await context.close();
}
// Each chart as drawn on its canvas, at normal and high pixel density.
fs.mkdirSync(path.join(out, 'charts'), { recursive: true });
for (const dpr of [1, 2]) {
  const { context, page } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: dpr });
  await page.goto(url);
  await ready(page);
  for (const id of await page.$$eval('canvas[data-chart]', (cs) => cs.map((c) => c.dataset.chart))) {
    const card = page.locator(`[data-chart-card="${id}"]`);
    await card.scrollIntoViewIfNeeded();
    await page.waitForSelector(`canvas[data-chart="${id}"][data-drawn]`);
    await card.screenshot({ path: path.join(out, 'charts', `${id}@${dpr}x.png`) });
  }
  console.log(`wrote ${path.join(out, 'charts')}/*@${dpr}x.png`);
  await context.close();
}
await browser.close();
server.close();
