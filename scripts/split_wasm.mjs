// Cuts the web app's WebAssembly into the part the first screen needs and chunks loaded on
// demand (the `#[lazy]` functions of src/ui/lazy.rs), for scripts/trunk_post_build.mjs.
//
// Trunk 0.21.14 knows nothing of wasm-split, and the splitter needs the linker's relocations,
// which wasm-bindgen drops. So this starts again from cargo's own output (linked with
// --emit-relocs by build.rs) and runs, with the tools on PATH:
//   1. wasm-split-cli (crate wasm_split_cli_support 0.2.4, scripts/setup.sh installs it):
//      the main module, one .wasm per lazy part (and shared chunks), and the JS loader;
//   2. wasm-bindgen --target web --keep-lld-exports on the main module (the glue imports the
//      loader, and the chunks need the function table and the shared globals it would drop);
//   3. wasm-opt -Oz --strip-producers on the main module and on every chunk, several chunks at
//      once (Trunk's own wasm-opt is off: index.html's data-wasm-opt="0"; docs/benchmarks.md
//      has the flags tried); with ROOFLINE_WASM_NAMES=1 also -g, which keeps the functions'
//      names for a profile (e2e/profile-edit.mjs), at the cost of size;
// then names every file by a hash of the whole set (the files refer to each other, and a
// change of any part changes them all), replaces Trunk's glue and wasm in the build folder
// and points the page (its preload links, with fresh integrity hashes, and its start-up
// script) at the new ones. Returns the new page text and a list of the parts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const NAME = 'roofline-web';

const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
};
const sha = (algo, buf) => crypto.createHash(algo).update(buf).digest();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function splitWasm(dir, html) {
  const profile = process.env.TRUNK_PROFILE || 'release';
  const source = process.env.TRUNK_SOURCE_DIR || process.cwd();
  const target = process.env.CARGO_TARGET_DIR || path.join(source, 'target');
  const raw = path.join(target, 'wasm32-unknown-unknown', profile, `${NAME}.wasm`);
  if (!fs.existsSync(raw)) throw new Error(`no ${raw} (cargo's output, before wasm-bindgen)`);
  const trunkJs = fs.readdirSync(dir).find((f) => new RegExp(`^${NAME}-[0-9a-f]+\\.js$`).test(f));
  const trunkWasm = fs.readdirSync(dir).find((f) => new RegExp(`^${NAME}-[0-9a-f]+_bg\\.wasm$`).test(f));
  if (!trunkJs || !trunkWasm) throw new Error(`no ${NAME}-<hash>.js and _bg.wasm from Trunk in ${dir}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-split-'));
  try {
    const split = path.join(tmp, 'split');
    run('wasm-split-cli', [raw, split, '--target', 'web', '--out-name', NAME]);
    const bg = path.join(tmp, 'bg');
    run('wasm-bindgen', ['--target=web', '--keep-lld-exports', `--out-dir=${bg}`, `--out-name=${NAME}`, '--no-typescript', path.join(split, `${NAME}.wasm`)]);
    // wasm-opt's flags, for the main module and (through the shell) for the chunks.
    const flags = ['-Oz', '--strip-producers', ...(process.env.ROOFLINE_WASM_NAMES === '1' ? ['-g'] : [])];
    const opt = (from, to) => run('wasm-opt', [`--output=${to}`, ...flags, from]);
    const mainWasm = path.join(tmp, 'main.wasm');
    opt(path.join(bg, `${NAME}_bg.wasm`), mainWasm);
    const chunks = fs.readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`).sort();
    // Many chunks (each set of parts sharing code has one): optimised a few at a time.
    const jobs = chunks.map((c) => `${path.join(split, c)}\n${path.join(tmp, `opt-${c}`)}\n`).join('');
    try {
      execFileSync('xargs', ['-P', String(Math.max(1, os.cpus().length)), '-n', '2', '-d', '\n', 'sh', '-c', `exec wasm-opt "--output=$1" ${flags.join(' ')} "$0"`], { input: jobs, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`wasm-opt ${flags.join(' ')} on the chunks failed: ${e.stderr || e.message}`);
    }
    const chunkBytes = chunks.map((c) => fs.readFileSync(path.join(tmp, `opt-${c}`)));
    let glue = fs.readFileSync(path.join(bg, `${NAME}.js`), 'utf8');
    let loader = fs.readFileSync(path.join(split, '__wasm_split.js'), 'utf8');
    const main = fs.readFileSync(mainWasm);

    // One hash of the whole set names every file.
    const all = crypto.createHash('sha256');
    for (const b of [main, Buffer.from(glue), Buffer.from(loader), ...chunkBytes]) all.update(b).update('\0');
    const h = all.digest('hex').slice(0, 16);
    const names = { glue: `${NAME}-${h}.js`, wasm: `${NAME}-${h}_bg.wasm`, loader: `wasm-split-${h}.js` };
    // split_lab_part_<location hash>.wasm → split-lab-part-<content hash>_bg.wasm (a name the
    // package's cache rules know as hashed), chunk_3.wasm → chunk-3-<hash>_bg.wasm.
    const stem = (c) => c.replace(/\.wasm$/, '').replace(/^(split_.*)_[0-9]+$/, '$1').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const chunkNames = chunks.map((c, i) => `${stem(c)}-${sha('sha256', chunkBytes[i]).toString('hex').slice(0, 16)}_bg.wasm`);

    // The loader imports the glue (for the main module's exports) and fetches each chunk.
    const needLoader = (s, what) => { if (!loader.includes(s)) throw new Error(`the loader has no ${what} (${s})`); };
    needLoader(`"./${NAME}.js"`, 'import of the glue');
    loader = loader.replace(`"./${NAME}.js"`, `"./${names.glue}"`);
    // The shared chunks the full page's part needs come in one file: one request instead of
    // dozens (each set of parts sharing code has a chunk of its own). The loader slices it.
    // Those a chart's part needs too (an embed may load a chart, never the page) stay files
    // of their own as well: the loader takes them from the pack once the page has asked
    // for it, else fetches the file.
    const { packed, wanted } = pagePack(loader, chunks);
    const alsoFile = (i) => !packed.includes(i);
    let packName = null;
    if (wanted.length) {
      const pack = Buffer.concat(wanted.map((i) => chunkBytes[i]));
      packName = `split-page-shared-${sha('sha256', pack).toString('hex').slice(0, 16)}_bg.wasm`;
      let at = 0;
      for (const i of wanted) {
        const re = new RegExp(`fetch\\(new URL\\((["'])\\./${escape(chunks[i])}\\1, import\\.meta\\.url\\)\\)`, 'g');
        if (!re.test(loader)) throw new Error(`the loader does not fetch ${chunks[i]} as expected`);
        const slice = `__packed(${at}, ${chunkBytes[i].length})`;
        loader = loader.replace(re, alsoFile(i) ? `(__pack !== undefined ? ${slice} : fetch(new URL("./${chunks[i]}", import.meta.url)))` : slice);
        at += chunkBytes[i].length;
      }
      // The page's part asks for the pack before its chunks (so that those also in files of
      // their own come from the pack).
      const pageLoad = /(export const __wasm_split_load_page_part_\d+ = wrapAsyncCb\(makeLoad\([\s\S]*?\n\}\s*,\s*\[)/;
      if (!pageLoad.test(loader)) throw new Error('the loader has no load of the page part');
      loader = loader.replace(pageLoad, '$1() => __packed(0, 0), ');
      const head = loader.indexOf('\n') + 1;
      loader = loader.slice(0, head) + `
// The page's shared chunks, in one file (scripts/split_wasm.mjs): fetched once, then sliced.
let __pack;
const __packed = (start, length) => {
    if (__pack === undefined) {
        __pack = __early("${packName}").then((r) => {
            if (!r.ok) throw new Error(\`\${r.url}: HTTP \${r.status}\`);
            return r.arrayBuffer();
        });
        __pack.catch(() => { __pack = undefined; });
    }
    return __pack.then((b) => new Response(b.slice(start, start + length), { headers: { "content-type": "application/wasm" } }));
};
` + loader.slice(head);
      fs.writeFileSync(path.join(dir, packName), pack);
    }
    chunks.forEach((c, i) => {
      if (!alsoFile(i)) return;
      const re = new RegExp(`(["'])\\./${escape(c)}\\1`, 'g');
      if (!re.test(loader)) throw new Error(`the loader never names ${c}`);
      loader = loader.replace(re, `"./${chunkNames[i]}"`);
    });
    // The full page fetches its part and the pack with the app's part, once the main module
    // has painted the first screen (src/lite/first.rs): a small script in the page defines
    // the start of those fetches unless the link is an embed's, the loader's first fetch
    // calls it, and the loader takes them over (`__early`).
    const pageIndex = chunks.findIndex((c) => /^split_page_part_[0-9]+\.wasm$/.test(c));
    const early = pageIndex < 0 ? [] : [chunkNames[pageIndex], ...(packName ? [packName] : [])];
    for (const f of early) {
      const re = new RegExp(`fetch\\(new URL\\("\\./${escape(f)}", import\\.meta\\.url\\)\\)`, 'g');
      if (f !== packName && !re.test(loader)) throw new Error(`the loader does not fetch ${f} as expected`);
      loader = loader.replace(re, `__early("${f}")`);
    }
    const head = loader.indexOf('\n') + 1;
    loader = loader.slice(0, head) + `
// A file the page started fetching early (globalThis.__rooflineEarly, set by its start-up
// script; scripts/split_wasm.mjs), else a fetch now.
const __early = (name) => {
    if (globalThis.__rooflineStartEarly) globalThis.__rooflineStartEarly();
    const early = globalThis.__rooflineEarly;
    const started = early && early[name];
    if (started) {
        delete early[name];
        return started;
    }
    return fetch(new URL("./" + name, import.meta.url));
};
` + loader.slice(head);
    if (early.length) {
      const start = `<script>if (!/[?&]embed=/.test(location.search)) { const base = document.currentScript.src; window.__rooflineStartEarly = () => { window.__rooflineStartEarly = null; const early = (window.__rooflineEarly = {}); for (const f of ${JSON.stringify(early)}) { const r = fetch(new URL(f, base)); r.catch(() => {}); early[f] = r; } }; }</script>`;
      const at = html.search(/<script\b[^>]*type="module"/i);
      if (at < 0) throw new Error('the page has no module script to start the page part before');
      html = html.slice(0, at) + start + html.slice(at);
    }
    // The glue imports the loader (the main module's imports from it) and names its wasm.
    const importRe = /(from\s+|import\s*\(\s*)(["'])\.\/__wasm_split\.js\2/g;
    if (!importRe.test(glue)) throw new Error('the glue does not import ./__wasm_split.js (no #[lazy] function?)');
    glue = glue.replace(importRe, `$1"./${names.loader}"`);
    glue = glue.replace(`'${NAME}_bg.wasm'`, `'${names.wasm}'`);

    fs.rmSync(path.join(dir, trunkJs));
    fs.rmSync(path.join(dir, trunkWasm));
    fs.writeFileSync(path.join(dir, names.glue), glue);
    fs.writeFileSync(path.join(dir, names.wasm), main);
    fs.writeFileSync(path.join(dir, names.loader), loader);
    chunkNames.forEach((n, i) => { if (alsoFile(i)) fs.writeFileSync(path.join(dir, n), chunkBytes[i]); });

    // The page: Trunk's names become ours; the preload links get the new files' integrity.
    const integrity = (file) => `sha384-${sha('sha384', fs.readFileSync(path.join(dir, file))).toString('base64')}`;
    html = html.replace(/<link\b[^>]*>/gi, (tag) => {
      for (const [old, now] of [[trunkJs, names.glue], [trunkWasm, names.wasm]]) {
        if (tag.includes(old)) {
          return tag.replace(old, now).replace(/integrity="[^"]*"/, `integrity="${integrity(now)}"`);
        }
      }
      return tag;
    });
    html = html.split(trunkJs).join(names.glue).split(trunkWasm).join(names.wasm);
    return {
      html,
      parts: [
        { file: names.wasm, bytes: main.length, part: 'main' },
        ...chunkNames.flatMap((n, i) => (alsoFile(i) ? [{ file: n, bytes: chunkBytes[i].length, part: chunks[i].replace(/\.wasm$/, '') }] : [])),
        ...(packName ? [{ file: packName, bytes: wanted.reduce((t, i) => t + chunkBytes[i].length, 0), part: `page-shared (${wanted.length} chunks)` }] : []),
      ],
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The indexes (into `chunks`) of the shared chunks that the full page's part (`page_part`,
// src/ui/lazy.rs) loads (`wanted`) and of those among them that no chart's part (`*_chart`,
// `svg_document`: what an embed may load) needs (`packed`), read from the loader: each shared chunk is declared as
//   /* part_a_<n>, part_b_<n> */ const __chunk_7 = makeLoad(() => { … fetch(new URL("./chunk_7.wasm" …
// and each part's loader lists the chunks it needs: `__wasm_split_load_<part>_<n> = …, [__chunk_7, …]`.
function pagePack(loader, chunks) {
  const page = loader.match(/export const __wasm_split_load_page_part_\d+ = wrapAsyncCb\(makeLoad\([\s\S]*?\n\}\s*,\s*\[([^\]]*)\]\)\)/);
  if (!page) return { packed: [], wanted: [] };
  const wanted = new Set(page[1].split(',').map((s) => s.trim()).filter(Boolean));
  const out = [];
  const all = [];
  for (const m of loader.matchAll(/\/\* ([^*]+) \*\/\s*const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\((["'])\.\/([^"']+)\3/g)) {
    const users = m[1].split(',').map((s) => s.trim());
    const i = chunks.indexOf(m[4]);
    if (!wanted.has(m[2]) || i < 0) continue;
    all.push(i);
    if (!users.some((u) => /_chart_\d+$|^svg_document_\d+$/.test(u))) out.push(i);
  }
  return { packed: out, wanted: all };
}
