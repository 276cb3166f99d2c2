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
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  console.log(`wrote ${path.join(out, name + '.png')}`);
  await context.close();
}
await browser.close();
server.close();
