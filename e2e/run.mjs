// Runs every e2e/tests/*.test.mjs and ends with "N passed, N failed" (and ", N skipped").
//
//   node e2e/run.mjs [filter]                       the release build in dist/ (or $DIST), served at /
//   node e2e/run.mjs --package DIR [filter]         scripts/package.sh's folder, served from the base
//                                                   path of its _headers with exactly those headers
//   BASE_URL=https://host/sub/ node e2e/run.mjs     any deployed copy (also --base-url URL); tests
//                                                   that need the files on disk use $DIST if it exists
//
// Tests get { browser, origin, url, dist, packaged }: url is the page's address (ends in /),
// origin its origin, dist a local copy of the files (or null), packaged whether the server sends
// the package's documented headers. A test that cannot run here throws skip(reason).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, SKIP } from './harness.mjs';
import { hostPackage } from './host.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = args[i + 1];
  if (!v) { console.error(`${name} needs a value`); process.exit(2); }
  args.splice(i, 2);
  return v;
};
const packageDir = flag('--package');
const baseUrl = flag('--base-url') || process.env.BASE_URL || null;
const filter = args[0] || '';
const hasPage = (d) => d && fs.existsSync(path.join(d, 'index.html'));

let server = null, origin, url, dist, packaged = false;
if (packageDir) {
  dist = path.resolve(packageDir);
  if (!hasPage(dist) || !fs.existsSync(path.join(dist, '_headers'))) {
    console.error(`${dist} is not a package (index.html and _headers): run bash scripts/package.sh first`);
    process.exit(2);
  }
  ({ server, origin, url } = await hostPackage(dist));
  packaged = true;
} else if (baseUrl) {
  const u = new URL(baseUrl);
  if (!u.pathname.endsWith('/') && !u.pathname.endsWith('.html')) u.pathname += '/';
  url = u.href;
  origin = u.origin;
  dist = process.env.DIST && hasPage(path.resolve(process.env.DIST)) ? path.resolve(process.env.DIST) : null;
  packaged = fs.existsSync(path.join(dist || '', '_headers'));
} else {
  dist = path.resolve(process.env.DIST || path.join(here, '..', 'dist'));
  if (!hasPage(dist)) {
    console.error(`${dist}/index.html is missing: run \`trunk build --release\` first`);
    process.exit(2);
  }
  ({ server, origin, url } = await serve(dist));
}
console.log(`testing ${url}${packaged ? ' (package headers)' : ''}${dist ? `, files in ${dist}` : ''}`);

const files = fs.readdirSync(path.join(here, 'tests')).filter((f) => f.endsWith('.test.mjs')).sort();
const { browser } = await launch();
let passed = 0, failed = 0, skipped = 0;
const env = { browser, origin, url, dist, packaged };
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
      if (e && e[SKIP]) {
        skipped++;
        console.log(`skip ${full}: ${e.message}`);
        continue;
      }
      failed++;
      const msg = String(e && e.stack || e).split('\n').slice(0, 6).map((l) => (l.length > 400 ? l.slice(0, 400) + '…' : l));
      console.log(`FAIL ${full} (${Date.now() - t0} ms)\n     ${msg.join('\n     ')}`);
    }
  }
}
await browser.close();
if (server) server.close();
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
