// The command-line engine, for checking the page's numbers against `roofline eval`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Path of a built `roofline` binary (builds the debug one if none exists). */
export function cliPath() {
  for (const p of ['target/debug/roofline', 'target/release/roofline']) {
    if (fs.existsSync(path.join(root, p))) return path.join(root, p);
  }
  execFileSync('cargo', ['build', '--locked', '--bin', 'roofline'], { cwd: root, stdio: 'inherit' });
  return path.join(root, 'target/debug/roofline');
}

/** `roofline eval` of a link or of scenario JSON text: the flat metrics object. */
export function evalCli(input) {
  const isLink = input.trim().startsWith('http') || input.trim().startsWith('?') || /^v=/.test(input.trim());
  const out = isLink
    ? execFileSync(cliPath(), ['eval', input.trim()], { encoding: 'utf8' })
    : execFileSync(cliPath(), ['eval', '-'], { input, encoding: 'utf8' });
  return JSON.parse(out);
}

/** Every data-metric on the page with its raw value (numbers parsed). */
export async function pageMetrics(page) {
  return page.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => {
    const v = e.dataset.value;
    const n = Number(v);
    return [e.dataset.metric, v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : (v !== '' && !Number.isNaN(n) ? n : v)];
  })));
}

/** Throws unless every page metric that the CLI also prints agrees within `rel`. Returns how many were compared. */
export function agree(pageM, cliM, rel = 1e-9) {
  let n = 0;
  for (const [k, v] of Object.entries(pageM)) {
    if (!(k in cliM)) continue;
    n++;
    const c = cliM[k];
    if (typeof v === 'number' && typeof c === 'number') {
      if (!(Math.abs(v - c) <= rel * Math.max(Math.abs(c), 1e-300))) throw new Error(`${k}: page ${v} vs CLI ${c}`);
    } else if (v !== c) throw new Error(`${k}: page ${JSON.stringify(v)} vs CLI ${JSON.stringify(c)}`);
  }
  if (n < 10) throw new Error(`only ${n} metrics compared`);
  return n;
}
