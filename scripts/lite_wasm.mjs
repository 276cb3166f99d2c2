// The light embeds (src/lite/, no Leptos), for scripts/trunk_post_build.mjs: one module per
// group of charts and one for the results card (the binaries roofline-lite-<group>). Builds
// them with the same profile as the app (cargo build --target wasm32-unknown-unknown
// --no-default-features --bin … for each), runs wasm-bindgen --target web and
// wasm-opt -Oz --strip-producers on each, names each glue and wasm by a hash of both
// (roofline-lite-<group>-<16 hex>.js and _bg.wasm), and rewrites the page's start-up so that:
//   - a link with `embed=` imports the module of its chart's group (or the results card's)
//     and calls its `embed()`, which shows the embed; only where it says the link is not
//     its embed (embed=poster) is the app loaded;
//   - any other link loads the app as before.
// Trunk's static preload links for the app's glue and wasm become links the page's early
// script adds (the same tags) unless the link is an embed's; an embed's adds its lite files'.
// So an embed fetches one lite module and nothing of the app. Returns the new page text and
// the lite files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

// The charts of each chart module: the same groups as src/lite/mod.rs's CHART_GROUPS (a
// native test checks that each line below is there).
const CHART_GROUPS = {
  'roofline-lite-cost': ['roofline', 'cost-batch'],
  'roofline-lite-context': ['cost-context'],
  'roofline-lite-breakdown': ['scale-out', 'breakdown-time', 'breakdown-memory', 'breakdown-energy'],
  'roofline-lite-frontier': ['frontier'],
  'roofline-lite-more': ['tiles', 'prefix-cache'],
  'roofline-lite-speculative': ['speculative'],
  'roofline-lite-compare': ['compare-context'],
};
const RESULTS = 'roofline-lite-results';
const APP = 'roofline-web';

const run = (cmd, args, opts = {}) => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
};

export function buildLite(dir, html) {
  const profile = process.env.TRUNK_PROFILE || 'release';
  const source = process.env.TRUNK_SOURCE_DIR || process.cwd();
  const target = process.env.CARGO_TARGET_DIR || path.join(source, 'target');
  const bins = [...Object.keys(CHART_GROUPS), RESULTS];
  const t0 = Date.now();
  run('cargo', ['build', ...(profile === 'release' ? ['--release'] : []), '--target', 'wasm32-unknown-unknown', '--no-default-features', ...bins.flatMap((b) => ['--bin', b])], { cwd: source });
  const buildMs = Date.now() - t0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-lite-'));
  try {
    for (const bin of bins) {
      const raw = path.join(target, 'wasm32-unknown-unknown', profile === 'release' ? 'release' : 'debug', `${bin}.wasm`);
      if (!fs.existsSync(raw)) throw new Error(`no ${raw} after cargo build`);
      run('wasm-bindgen', ['--target=web', `--out-dir=${tmp}`, `--out-name=${bin}`, '--no-typescript', raw]);
    }
    // wasm-opt on every module, a few at a time.
    const jobs = bins.map((b) => `${path.join(tmp, `${b}_bg.wasm`)}\n${path.join(tmp, `${b}-opt.wasm`)}\n`).join('');
    try {
      execFileSync('xargs', ['-P', String(Math.max(1, os.cpus().length)), '-n', '2', '-d', '\n', 'sh', '-c', 'exec wasm-opt "--output=$1" -Oz --strip-producers "$0"'], { input: jobs, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`wasm-opt -Oz --strip-producers on the light embeds failed: ${e.stderr || e.message}`);
    }
    // Each glue minified (terser, an npm dev dependency: comments dropped, names mangled,
    // its exports kept): about a third of its gzip bytes, in every embed.
    const terser = path.join(source, 'node_modules', '.bin', 'terser');
    if (!fs.existsSync(terser)) throw new Error(`no ${terser}: run npm ci (scripts/setup.sh does)`);
    for (const bin of bins) {
      const js = path.join(tmp, `${bin}.js`);
      run(terser, [js, '--module', '--compress', '--mangle', '--comments', 'false', '--output', js]);
    }
    const files = [];
    const names = {};
    for (const bin of bins) {
      const wasm = fs.readFileSync(path.join(tmp, `${bin}-opt.wasm`));
      let glue = fs.readFileSync(path.join(tmp, `${bin}.js`), 'utf8');
      const h = crypto.createHash('sha256').update(wasm).update('\0').update(glue).digest('hex').slice(0, 16);
      const n = { glue: `${bin}-${h}.js`, wasm: `${bin}-${h}_bg.wasm` };
      // The glue names its wasm in quotes, single or (minified) double.
      const own = new RegExp(`(['"])${bin}_bg\\.wasm\\1`);
      if (!own.test(glue)) throw new Error(`the glue of ${bin} does not name ${bin}_bg.wasm`);
      glue = glue.replace(own, `'${n.wasm}'`);
      fs.writeFileSync(path.join(dir, n.glue), glue);
      fs.writeFileSync(path.join(dir, n.wasm), wasm);
      names[bin] = n;
      files.push({ file: n.wasm, bytes: wasm.length }, { file: n.glue, bytes: Buffer.byteLength(glue) });
    }
    // The app's glue imports the wasm-split loader: preloaded with it (the static import of
    // the glue, which a dynamic one replaces, had the browser fetch it at once).
    const loader = fs.readdirSync(dir).filter((f) => /^wasm-split-[0-9a-f]{16}\.js$/.test(f));
    if (loader.length !== 1) throw new Error(`expected one wasm-split loader in ${dir}, found ${loader.length}`);
    return { html: startUp(html, bins.map((b) => names[b]), loader[0]), files, buildMs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The page's start-up with the lite modules `names` (their files, in the order of
// CHART_GROUPS then the results card's; see the top of this file); `loader` is the app's
// wasm-split loader.
function startUp(html, names, loader) {
  // Trunk's preload links for the app's glue and wasm: added by a script instead.
  const preloads = [];
  html = html.replace(/\s*<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>/gi, (tag) => {
    if (!tag.includes(`${APP}-`)) return tag;
    preloads.push(tag.trim());
    return '';
  });
  if (preloads.length !== 2) throw new Error(`expected Trunk's two preload links for ${APP}, found ${preloads.length}`);
  const attrs = (tag) => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/gi)].map((m) => [m[1], m[2]]));
  const app = [...preloads.map(attrs), { rel: 'modulepreload', href: `./${loader}`, crossorigin: 'anonymous' }];
  // Each lite module's files and preload tags; which one an embed's link wants (by its chart,
  // `cost-batch` where it names none, as src/view_params.rs reads it, or the results card).
  // (No integrity on these: the import and the fetch that take them over carry none.)
  const lite = names.map((n) => ({
    glue: `./${n.glue}`,
    wasm: `./${n.wasm}`,
    preload: [
      { rel: 'modulepreload', href: `./${n.glue}`, crossorigin: 'anonymous' },
      { rel: 'preload', href: `./${n.wasm}`, crossorigin: 'anonymous', as: 'fetch', type: 'application/wasm' },
    ],
  }));
  const byChart = {};
  Object.values(CHART_GROUPS).forEach((ids, i) => ids.forEach((id) => { byChart[id] = i; }));
  const early = `<script>{ const s = location.search; const L = ${JSON.stringify(lite)}; const C = ${JSON.stringify(byChart)}; const v = (k) => { const m = s.match(new RegExp("[?&]" + k + "=([^&]*)")); try { return m ? decodeURIComponent(m[1]).trim() : null; } catch { return null; } }; const here = (f) => new URL(f, document.currentScript.src).href; let lite = null; if (/[?&]embed=/.test(s)) { const id = v("chart") || "cost-batch"; lite = L[v("embed") === "results" ? ${names.length - 1} : Object.hasOwn(C, id) ? C[id] : C["cost-batch"]]; window.__rooflineLite = { glue: here(lite.glue), wasm: here(lite.wasm) }; } for (const a of lite ? lite.preload : ${JSON.stringify(app)}) { const l = document.createElement("link"); for (const [k, v] of Object.entries(a)) l.setAttribute(k, k === "href" ? here(v) : v); document.head.appendChild(l); } }</script>`;
  // Trunk's module script: its static import of the app's glue becomes a dynamic one, run
  // only when the lite module has not shown an embed.
  const moduleRe = /(<script\b[^>]*type="module"[^>]*>)([\s\S]*?)(<\/script>)/i;
  const m = html.match(moduleRe);
  if (!m || /\bsrc\s*=/.test(m[1])) throw new Error('the page has no inline module script (Trunk\'s start-up) to rewrite');
  const importRe = /import\s+init\s*,\s*\*\s*as\s+bindings\s+from\s+(['"])([^'"]+)\1\s*;/;
  const im = m[2].match(importRe);
  if (!im || !im[2].includes(`${APP}-`)) throw new Error(`Trunk's start-up does not import the ${APP} glue as expected`);
  const appStart = m[2].replace(importRe, `const bindings = await import(${JSON.stringify(im[2])});\nconst init = bindings.default;`);
  const body = `
// An embed's link: its light embed (no Leptos; scripts/lite_wasm.mjs), chosen by the early
// script, shows it.
let shown = false;
if (window.__rooflineLite) {
  const lite = await import(window.__rooflineLite.glue);
  await lite.default({ module_or_path: window.__rooflineLite.wasm });
  shown = lite.embed();
  if (shown) window.wasmBindings = lite;
}
if (!shown) {
${appStart.trim()}
}
`;
  html = html.replace(moduleRe, (_, open, _body, close) => `${early}${open}${body}${close}`);
  return html;
}
