// Trunk post-build hook (Trunk.toml [[hooks]]): first splits the WebAssembly into the part the
// first screen needs and the chunks loaded on demand (scripts/split_wasm.mjs), and builds the
// light embed that an embed's link loads instead (scripts/lite_wasm.mjs). Then moves every inline <script> Trunk writes into
// index.html (0.21.14 writes one inline module script that imports the wasm-bindgen glue and
// starts the app) into a file of its own beside the page, named by its content's hash
// (boot-<16 hex>.js), so the page's Content-Security-Policy can say `script-src 'self'` with
// no inline-script hash or nonce, and the file can be cached for a year like Trunk's own.
// Then checks the page: one CSP meta tag, before any script, and nothing inline left
// (no <script> without src, no <style>, no style="…" attribute).
// Last, writes the service worker's file list and build id into sw.js (copied from public/):
// every file of the build (Trunk's hashed names included) and a hash of all their contents.
// Trunk runs it with TRUNK_STAGING_DIR (the build before it is moved to dist/) and
// TRUNK_PUBLIC_URL ("./" here) set; it can also be run by hand: node scripts/trunk_post_build.mjs DIR
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { splitWasm } from './split_wasm.mjs';
import { buildLite } from './lite_wasm.mjs';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
const base = process.env.TRUNK_PUBLIC_URL || './';
if (!dir) {
  console.error('trunk_post_build: no TRUNK_STAGING_DIR (run it from Trunk, or give the build folder)');
  process.exit(2);
}
const page = path.join(dir, 'index.html');
let html = fs.readFileSync(page, 'utf8');
const fail = (msg) => {
  console.error(`trunk_post_build: ${page}: ${msg}`);
  process.exit(1);
};

// First the WebAssembly: the first screen's part and the chunks loaded on demand.
try {
  const split = splitWasm(dir, html);
  html = split.html;
  for (const p of split.parts) console.log(`trunk_post_build: wasm ${p.part}: ${p.file} (${p.bytes} bytes)`);
} catch (e) {
  fail(`splitting the WebAssembly: ${e.message}`);
}
// Then the light embed (scripts/lite_wasm.mjs): an embed's link loads it instead of the app.
try {
  const lite = buildLite(dir, html);
  html = lite.html;
  for (const f of lite.files) console.log(`trunk_post_build: lite embed: ${f.file} (${f.bytes} bytes)`);
  console.log(`trunk_post_build: lite embed: cargo build took ${(lite.buildMs / 1000).toFixed(1)} s`);
} catch (e) {
  fail(`building the light embed: ${e.message}`);
}

let moved = 0;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrs, body) => {
  if (/\bsrc\s*=/i.test(attrs)) return whole;
  if (body.includes('{{__TRUNK')) fail('an inline script with serve-time placeholders (trunk serve\'s live reload: keep [serve] no_autoreload = true)');
  const name = `boot-${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
  fs.writeFileSync(path.join(dir, name), body.trim() + '\n');
  moved++;
  return `<script${attrs} src="${base}${name}"></script>`;
});

const csp = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
if (csp.length !== 1) fail(`expected one Content-Security-Policy meta tag, found ${csp.length}`);
if (html.indexOf(csp[0][0]) > html.search(/<script\b/i)) fail('the Content-Security-Policy meta tag must come before the first script');
if (/<style\b/i.test(html)) fail('an inline <style> (the CSP allows only style files)');
if (/<[a-z][^>]*\sstyle\s*=/i.test(html)) fail('an inline style="…" attribute (the CSP allows only style files)');
if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) fail('an inline event handler attribute (the CSP forbids them)');
fs.writeFileSync(page, html);
console.log(`trunk_post_build: ${moved} inline script(s) moved to files; CSP: ${csp[0][1]}`);

// The service worker: every file of the build beside it, and the build's id. The light
// embeds' modules (roofline-lite-*, eight of them, 1 MB gzip, which the page itself never
// loads) are not fetched at install but cached when an embed first uses one.
const worker = path.join(dir, 'sw.js');
if (!fs.existsSync(worker)) fail('no sw.js in the build (index.html copies public/sw.js)');
const walk = (d, rel = '') => fs.readdirSync(path.join(d, rel), { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? walk(d, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));
const files = walk(dir).filter((f) => f !== 'sw.js').sort();
const id = crypto.createHash('sha256');
for (const f of files) id.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
const build = id.digest('hex').slice(0, 16);
let sw = fs.readFileSync(worker, 'utf8');
if (!sw.includes("'__ROOFLINE_BUILD__'") || !sw.includes("['__ROOFLINE_FILES__']") || !sw.includes("['__ROOFLINE_ON_USE__']")) fail('sw.js has no placeholders to fill (was it filled twice?)');
const onUse = files.filter((f) => /^roofline-lite-/.test(f));
// The page itself is cached as "./" (what a visitor opens), not as index.html.
const list = ['./', ...files.filter((f) => f !== 'index.html' && !onUse.includes(f))];
sw = sw.replace("'__ROOFLINE_BUILD__'", JSON.stringify(build)).replace("['__ROOFLINE_FILES__']", JSON.stringify(list)).replace("['__ROOFLINE_ON_USE__']", JSON.stringify(onUse));
fs.writeFileSync(worker, sw);
console.log(`trunk_post_build: sw.js precaches ${list.length} files and caches ${onUse.length} on use, build ${build}`);
