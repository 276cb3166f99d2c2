// What a deployed copy carries: the footer (version, build date, link format, links to the
// shipped sources of presets and prices), and, when served from scripts/package.sh's folder
// with its documented headers (node e2e/run.mjs --package DIR), those headers on every file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPage, ready, assert, skip } from '../harness.mjs';
import { cliPath } from '../cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const crateVersion = () => fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
/** The link format version as the command line prints it: "roofline 0.1.0 (share-link format v1)". */
const cliLinkFormat = () => execFileSync(cliPath(), ['--version'], { encoding: 'utf8' }).match(/share-link format v(\d+)/)[1];
/** Trunk's content-hashed names (and the start-up script's): name-<16 hex>[_bg].ext. */
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z]+$/;

function filesUnder(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, r) : [r];
  });
}

/** The VERSION file of a package as { version, link_format, built, commit }. */
function readVersionFile(dist) {
  const lines = fs.readFileSync(path.join(dist, 'VERSION'), 'utf8').trim().split('\n');
  const out = { version: lines[0] };
  for (const l of lines.slice(1)) {
    const m = l.match(/^([a-z_]+): (.*)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export const tests = {
  async 'the footer gives the version, build date and link format, and links to the shipped sources'({ browser, origin, url, dist, packaged }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const footer = page.locator('footer[data-footer]');
    await footer.scrollIntoViewIfNeeded();
    const version = await footer.locator('[data-version]').textContent();
    const format = await footer.locator('[data-link-format]').getAttribute('data-link-format');
    const built = await footer.locator('[data-build-date]').textContent();
    assert(version === crateVersion(), `footer version ${version}, Cargo.toml ${crateVersion()}`);
    assert(format === cliLinkFormat(), `footer link format v${format}, roofline --version v${cliLinkFormat()}`);
    assert(/^\d{4}-\d{2}-\d{2}$/.test(built) || built === 'unknown', `build date "${built}"`);
    if (packaged) {
      const v = readVersionFile(dist);
      assert(built !== 'unknown' && built === v.built, `footer built ${built}, VERSION built ${v.built}`);
      assert(v.version === version && v.link_format === `v${format}`, `VERSION says ${JSON.stringify(v)}`);
    }
    // Every source link is one of the app's own files, and is the repository's file.
    const links = await footer.locator('a[data-source]').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.href]));
    const names = links.map(([href]) => href);
    for (const want of ['data/hardware.json', 'data/models.json', 'data/pricing.json', 'data/measurements.md', 'data/measurements-2.md', 'LICENSE']) {
      assert(names.includes(want), `no footer link to ${want}: ${names}`);
    }
    for (const [href, abs] of links) {
      assert(abs.startsWith(url), `${href} leaves the app: ${abs}`);
      const { status, body } = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, body: await r.text() };
      }, abs);
      assert(status === 200, `${href}: HTTP ${status}`);
      assert(body === fs.readFileSync(path.join(root, href), 'utf8'), `${href} served differs from the repository's`);
      if (href.endsWith('.json')) assert(JSON.parse(body)._meta, `${href} has no _meta`);
    }
    // Embeds show no footer.
    await page.goto(url + '?v=1&embed=results');
    await ready(page);
    assert(!(await page.$('footer[data-footer]')), 'the results embed shows the footer');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'every file is served with the documented headers: wasm type, year-long caching of hashed files, none for the page, CORS'({ url, dist, packaged }) {
    if (!packaged) skip('not served from a package (node e2e/run.mjs --package DIR)');
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
    const files = filesUnder(dist).filter((f) => f !== '_headers');
    assert(files.some((f) => f.endsWith('.wasm')) && files.includes('VERSION') && files.includes('nginx.conf') && files.includes('sw.js') && files.includes('embed.js'), files.join(' '));
    const hashed = files.filter((f) => HASHED.test(f));
    assert(hashed.length >= 5, `hashed files: ${hashed}`);
    for (const rel of ['', ...files]) {
      const r = await fetch(url + rel);
      const h = (k) => r.headers.get(k);
      const what = `/${rel} (${r.status})`;
      assert(r.status === 200, what);
      assert(h('content-security-policy') === policy, `${what}: CSP ${h('content-security-policy')}`);
      assert(h('access-control-allow-origin') === '*', `${what}: no Access-Control-Allow-Origin`);
      assert(h('x-content-type-options') === 'nosniff', `${what}: no nosniff`);
      if (HASHED.test(rel)) {
        assert(h('cache-control') === 'public, max-age=31536000, immutable', `${what}: cache ${h('cache-control')}`);
      } else {
        assert(h('cache-control') === 'no-cache', `${what}: cache ${h('cache-control')}`);
      }
      if (rel.endsWith('.wasm')) assert(h('content-type') === 'application/wasm', `${what}: type ${h('content-type')}`);
      if (rel.endsWith('.md')) assert(h('content-type') === 'text/plain; charset=utf-8', `${what}: type ${h('content-type')}`);
      if (rel.endsWith('.webmanifest')) assert(h('content-type') === 'application/manifest+json', `${what}: type ${h('content-type')}`);
      await r.arrayBuffer();
    }
    const v = readVersionFile(dist);
    assert(v.version === crateVersion() && v.link_format === `v${cliLinkFormat()}` && /^\d{4}-\d{2}-\d{2}$/.test(v.built), JSON.stringify(v));
  },
};
