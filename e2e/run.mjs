// Runs every e2e/tests/*.test.mjs against the release build in dist/ and ends with
// "N passed, N failed". Usage: node e2e/run.mjs [filter]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.DIST || path.join(here, '..', 'dist'));
const filter = process.argv[2] || '';
if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('dist/index.html is missing: run `trunk build --release` first');
  process.exit(2);
}
const files = fs.readdirSync(path.join(here, 'tests')).filter((f) => f.endsWith('.test.mjs')).sort();
const { server, origin, url } = await serve(dist);
const { browser } = await launch();
let passed = 0, failed = 0;
const env = { browser, origin, url, dist };
for (const f of files) {
  const mod = await import(path.join(here, 'tests', f));
  for (const [name, fn] of Object.entries(mod.tests || {})) {
    const full = `${f.replace('.test.mjs', '')} › ${name}`;
    if (filter && !full.includes(filter)) continue;
    const t0 = Date.now();
    try {
      await fn(env);
      passed++;
      console.log(`ok   ${full} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      const msg = String(e && e.stack || e).split('\n').slice(0, 6).map((l) => (l.length > 400 ? l.slice(0, 400) + '…' : l));
      console.log(`FAIL ${full} (${Date.now() - t0} ms)\n     ${msg.join('\n     ')}`);
    }
  }
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
