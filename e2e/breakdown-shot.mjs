// A screenshot of the decode breakdown chart, embedded, for the docs.
// Usage: node e2e/breakdown-shot.mjs OUT.png [query] (needs dist/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, openPage } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || 'breakdown.png');
const query = process.argv[3]
  || '?v=1&model=deepseek-v3&hw=h200-sxm&chips=8&par=expert&wprec=fp8&cprec=fp8&kvprec=fp8&batch=1024&embed=chart&chart=breakdown-time';
const { server, origin, url } = await serve(path.resolve(process.env.DIST || path.join(here, '..', 'dist')));
const { browser } = await launch();
const { context, page } = await openPage(browser, origin, { viewport: { width: 900, height: 560 } });
await page.goto(url + query);
await page.waitForFunction(() => [...document.querySelectorAll('canvas')].some((c) => Number(c.dataset.drawn) > 0), null, { timeout: 30000 });
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await context.close();
await browser.close();
server.close();
console.log(out);
