// The light embed (src/lite/, binary roofline-lite, no Leptos), for scripts/trunk_post_build.mjs:
// builds it with the same profile as the app (cargo build --target wasm32-unknown-unknown
// --bin roofline-lite --no-default-features), runs wasm-bindgen --target web and
// wasm-opt -Oz --strip-producers on it, names its glue and wasm by a hash of both
// (roofline-lite-<16 hex>.js and _bg.wasm), and rewrites the page's start-up so that:
//   - a link with `embed=` imports the lite module and calls its `embed()`, which shows the
//     embed; only where it says the link is no embed's (embed=poster) is the app loaded;
//   - any other link loads the app as before.
// Trunk's static preload links for the app's glue and wasm become links the page's early
// script adds (the same tags) unless the link is an embed's; an embed's adds the lite files'.
// So an embed fetches the lite files and nothing of the app. Returns the new page text and
// the lite files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const NAME = 'roofline-lite';
const APP = 'roofline-web';

const run = (cmd, args, opts = {}) => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
};
const sha = (algo, buf) => crypto.createHash(algo).update(buf).digest();

export function buildLite(dir, html) {
  const profile = process.env.TRUNK_PROFILE || 'release';
  const source = process.env.TRUNK_SOURCE_DIR || process.cwd();
  const target = process.env.CARGO_TARGET_DIR || path.join(source, 'target');
  const t0 = Date.now();
  run('cargo', ['build', ...(profile === 'release' ? ['--release'] : []), '--target', 'wasm32-unknown-unknown', '--bin', NAME, '--no-default-features'], { cwd: source });
  const buildMs = Date.now() - t0;
  const raw = path.join(target, 'wasm32-unknown-unknown', profile === 'release' ? 'release' : 'debug', `${NAME}.wasm`);
  if (!fs.existsSync(raw)) throw new Error(`no ${raw} after cargo build`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-lite-'));
  try {
    run('wasm-bindgen', ['--target=web', `--out-dir=${tmp}`, `--out-name=${NAME}`, '--no-typescript', raw]);
    const opt = path.join(tmp, 'opt.wasm');
    run('wasm-opt', [`--output=${opt}`, '-Oz', '--strip-producers', path.join(tmp, `${NAME}_bg.wasm`)]);
    const wasm = fs.readFileSync(opt);
    let glue = fs.readFileSync(path.join(tmp, `${NAME}.js`), 'utf8');
    const h = crypto.createHash('sha256').update(wasm).update('\0').update(glue).digest('hex').slice(0, 16);
    const names = { glue: `${NAME}-${h}.js`, wasm: `${NAME}-${h}_bg.wasm` };
    if (!glue.includes(`'${NAME}_bg.wasm'`)) throw new Error(`the lite glue does not name ${NAME}_bg.wasm`);
    glue = glue.replace(`'${NAME}_bg.wasm'`, `'${names.wasm}'`);
    fs.writeFileSync(path.join(dir, names.glue), glue);
    fs.writeFileSync(path.join(dir, names.wasm), wasm);
    return { html: startUp(html, names, (f) => `sha384-${sha('sha384', fs.readFileSync(path.join(dir, f))).toString('base64')}`), files: [{ file: names.wasm, bytes: wasm.length }, { file: names.glue, bytes: Buffer.byteLength(glue) }], buildMs };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The page's start-up with the lite module (see the top of this file). `integrity(file)` is a
// file's subresource-integrity value.
function startUp(html, names, integrity) {
  // Trunk's preload links for the app's glue and wasm: added by a script instead.
  const preloads = [];
  html = html.replace(/\s*<link\b[^>]*\brel="(?:modulepreload|preload)"[^>]*>/gi, (tag) => {
    if (!tag.includes(`${APP}-`)) return tag;
    preloads.push(tag.trim());
    return '';
  });
  if (preloads.length !== 2) throw new Error(`expected Trunk's two preload links for ${APP}, found ${preloads.length}`);
  const attrs = (tag) => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/gi)].map((m) => [m[1], m[2]]));
  const app = preloads.map(attrs);
  const lite = [
    { rel: 'modulepreload', href: `./${names.glue}`, crossorigin: 'anonymous', integrity: integrity(names.glue) },
    { rel: 'preload', href: `./${names.wasm}`, crossorigin: 'anonymous', integrity: integrity(names.wasm), as: 'fetch', type: 'application/wasm' },
  ];
  const early = `<script>{ const embed = /[?&]embed=/.test(location.search); for (const a of embed ? ${JSON.stringify(lite)} : ${JSON.stringify(app)}) { const l = document.createElement("link"); for (const [k, v] of Object.entries(a)) l.setAttribute(k, k === "href" ? new URL(v, document.currentScript.src).href : v); document.head.appendChild(l); } }</script>`;
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
// An embed's link: the light embed (roofline-lite, no Leptos; scripts/lite_wasm.mjs) shows it.
let shown = false;
if (/[?&]embed=/.test(location.search)) {
  const lite = await import("./${names.glue}");
  await lite.default({ module_or_path: "./${names.wasm}" });
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
