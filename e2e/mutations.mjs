// Diagnostic: what one typed edit of the batch field changes in the DOM (MutationObserver),
// grouped by kind and by the nearest element with an id or class. Usage: node e2e/mutations.mjs
import { serve, launch, openPage, ready, showFirstCharts } from './harness.mjs';
import path from 'node:path';
const dist = path.resolve(process.env.DIST || 'dist');
const { server, url } = await serve(dist);
const { browser } = await launch();
const { context, page } = await openPage(browser, new URL(url).origin, { viewport: { width: 1280, height: 900 } });
await page.goto(url);
await ready(page);
await page.waitForTimeout(1500);
await showFirstCharts(page, 500);
const out = await page.evaluate(async () => {
  const tally = {};
  const where = (n) => { let e = n.nodeType === 1 ? n : n.parentElement; const path = []; while (e && path.length < 3) { path.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')); e = e.parentElement; } return path.join(' < '); };
  const obs = new MutationObserver((ms) => { for (const m of ms) { const k = m.type + (m.type === 'attributes' ? '[' + m.attributeName + ']' : m.type === 'childList' ? `(+${m.addedNodes.length}/-${m.removedNodes.length})` : '') + ' @ ' + where(m.target); tally[k] = (tally[k] || 0) + 1; } });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  const el = document.querySelector('#f-workload-batch_size');
  for (let i = 0; i < 10; i++) { el.value = String(40 + i * 13); el.dispatchEvent(new Event('input', { bubbles: true })); await new Promise((r) => setTimeout(r, 50)); }
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return Object.entries(tally).sort((a, b) => b[1] - a[1]);
});
let total = 0; for (const [k, v] of out) { total += v; console.log(String(v / 10).padStart(6), k); }
console.log('mutations per edit', total / 10, ' elements', await page.evaluate(() => document.getElementsByTagName('*').length));
await context.close(); await browser.close(); server.close();
