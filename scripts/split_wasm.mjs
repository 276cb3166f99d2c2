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
//   3. wasm-opt -Oz --strip-producers on the main module and on every chunk (Trunk's own
//      wasm-opt is off: index.html's data-wasm-opt="0"; docs/benchmarks.md has the flags tried);
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
    const opt = (from, to) => run('wasm-opt', [`--output=${to}`, '-Oz', '--strip-producers', from]);
    const mainWasm = path.join(tmp, 'main.wasm');
    opt(path.join(bg, `${NAME}_bg.wasm`), mainWasm);
    const chunks = fs.readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`).sort();
    const chunkBytes = chunks.map((c) => {
      const out = path.join(tmp, `opt-${c}`);
      opt(path.join(split, c), out);
      return fs.readFileSync(out);
    });
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
    chunks.forEach((c, i) => {
      const re = new RegExp(`(["'])\\./${escape(c)}\\1`, 'g');
      if (!re.test(loader)) throw new Error(`the loader never names ${c}`);
      loader = loader.replace(re, `"./${chunkNames[i]}"`);
    });
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
    chunkNames.forEach((n, i) => fs.writeFileSync(path.join(dir, n), chunkBytes[i]));

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
        ...chunkNames.map((n, i) => ({ file: n, bytes: chunkBytes[i].length, part: chunks[i].replace(/\.wasm$/, '') })),
      ],
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
