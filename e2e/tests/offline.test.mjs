// Offline and installable (the manifest and the service worker), embeds that size themselves
// (embed.js), and the "Copy as Markdown" report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPage, ready, metric, assert, serve, skip } from '../harness.mjs';
import { hostPackage } from '../host.mjs';

/** A server of its own for a copy of the build (so a test may stop it, or deploy a new build
 *  into it), served as the suite serves it: with the package's headers when packaged. */
async function ownCopy(dist, packaged) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-offline-'));
  fs.cpSync(dist, dir, { recursive: true });
  const s = packaged ? await hostPackage(dir) : await serve(dir);
  const stop = () => new Promise((r) => { s.server.closeAllConnections?.(); s.server.close(() => r()); });
  return { ...s, dir, stop, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Waits until the page's service worker is active (its install cached every file). */
async function workerReady(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return { scope: reg.scope, script: reg.active.scriptURL, caches: await caches.keys() };
  });
}

async function editBatch(page, value) {
  const before = await metric(page, 'decode.step_seconds');
  await page.getByLabel('Batch size', { exact: true }).fill(String(value));
  await page.waitForFunction((b) => document.querySelector('[data-metric="decode.step_seconds"]').getAttribute('data-value') !== String(b), before);
  return [before, await metric(page, 'decode.step_seconds')];
}

export const tests = {
  async 'after one visit the page opens and works with no network: reload offline, edit, the numbers change'({ browser, dist, packaged }) {
    if (!dist) skip('no local copy of the files (set DIST)');
    const site = await ownCopy(dist, packaged);
    const { context, page, problems } = await openPage(browser, site.origin);
    try {
      await page.goto(site.url + '?v=1&batch=16');
      await ready(page);
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector('link[rel=manifest]').href;
        return (await fetch(href)).json();
      });
      assert(manifest.name && manifest.start_url === './' && manifest.display === 'standalone' && manifest.icons.length > 0, JSON.stringify(manifest));
      const sw = await workerReady(page);
      assert(sw.scope === site.url && sw.script === site.url + 'sw.js', JSON.stringify(sw));
      assert(sw.caches.length === 1 && /^roofline-[0-9a-f]{16}$/.test(sw.caches[0]), JSON.stringify(sw.caches));
      // Every file of the build the page may load is in the cache, Trunk's hashed names
      // included; the light embeds' modules are not (cached when an embed first uses one).
      const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url), sw.caches[0]);
      for (const f of fs.readdirSync(dist).filter((f) => /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(f))) {
        if (f.startsWith('roofline-lite-')) assert(!cached.includes(site.url + f), `${f} precached`);
        else assert(cached.includes(site.url + f), `${f} not cached: ${cached.join(' ')}`);
      }
      // An embed opened once online: its light module is cached, and it works offline too.
      const embed = await context.newPage();
      const embedUrl = site.url + '?v=1&embed=chart&chart=roofline';
      await embed.goto(embedUrl);
      await embed.waitForSelector('canvas[data-chart="roofline"][data-drawn]');
      const lite = await embed.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url).filter((u) => /roofline-lite-/.test(u)), sw.caches[0]);
      assert(lite.length === 2 && lite.every((u) => /roofline-lite-cost-/.test(u)), `cached after the embed: ${lite.join(' ')}`);
      // No network at all: the browser is offline and the server is gone.
      await context.setOffline(true);
      await site.stop();
      await page.reload();
      await ready(page);
      assert((await metric(page, 'decode.step_seconds')) > 0, 'no results offline');
      const [before, after] = await editBatch(page, 64);
      assert(after > 0 && after !== before, `numbers did not change offline: ${before} → ${after}`);
      await embed.reload();
      await embed.waitForSelector('canvas[data-chart="roofline"][data-drawn]');
      // A new tab opened offline works too.
      const p2 = await context.newPage();
      await p2.goto(site.url + '?v=1&batch=8');
      await ready(p2);
      assert((await metric(p2, 'decode.step_seconds')) > 0, 'a new tab offline has no results');
      const unexpected = problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p));
      assert(unexpected.length === 0, unexpected.join('\n'));
    } finally {
      await context.close();
      await site.stop().catch(() => {});
      site.remove();
    }
  },

  async 'a first visit registers the worker only once the visitor pauses (its install does not slow the first edits)'({ browser, dist, packaged }) {
    if (!dist) skip('no local copy of the files (set DIST)');
    const site = await ownCopy(dist, packaged);
    const { context, page, problems } = await openPage(browser, site.origin);
    try {
      await page.goto(site.url);
      await ready(page);
      const registered = () => page.evaluate(async () => Boolean(await navigator.serviceWorker.getRegistration()));
      // Editing every 0.5 s for 3 s, longer than the quiet time (2 s, src/ui/offline.rs).
      const field = page.getByLabel('Batch size', { exact: true });
      for (let i = 0; i < 6; i++) {
        await field.fill(String(20 + i));
        await page.waitForTimeout(500);
        assert(!(await registered()), `the worker was registered while the visitor was editing (edit ${i + 1})`);
      }
      // Then a pause: the worker is registered, installs, and caches the build.
      const sw = await workerReady(page);
      assert(sw.caches.length === 1, JSON.stringify(sw));
      assert(problems.length === 0, problems.join('\n'));
    } finally {
      await context.close();
      await site.stop();
      site.remove();
    }
  },

  async 'a new build deployed: the worker updates itself, the new cache replaces the old'({ browser, dist, packaged }) {
    if (!dist) skip('no local copy of the files (set DIST)');
    const site = await ownCopy(dist, packaged);
    const { context, page } = await openPage(browser, site.origin);
    try {
      await page.goto(site.url);
      await ready(page);
      const first = (await workerReady(page)).caches;
      // "Deploy" a new build: a changed file, so a new build id in sw.js.
      const swFile = path.join(site.dir, 'sw.js');
      const sw = fs.readFileSync(swFile, 'utf8');
      const m = sw.match(/const BUILD = "([0-9a-f]{16})"/);
      assert(m, 'sw.js has no build id');
      const next = m[1].split('').reverse().join('');
      fs.writeFileSync(swFile, sw.replace(m[0], `const BUILD = "${next}"`));
      fs.appendFileSync(path.join(site.dir, 'LICENSE'), '\n');
      await page.reload();
      await ready(page);
      await page.waitForFunction(async (n) => {
        const keys = await caches.keys();
        return keys.length === 1 && keys[0] === `roofline-${n}`;
      }, next, { timeout: 20000 });
      assert(first[0] !== `roofline-${next}`, 'the cache name did not change');
    } finally {
      await context.close();
      await site.stop();
      site.remove();
    }
  },

  async 'an embed made by embed.js in a page of another origin resizes to its content'({ browser, origin, url }) {
    const link = `${url}?v=1&model=mixtral-8x7b&chips=2&batch=16`;
    const docs = await serve(os.tmpdir(), {
      base: '/nothing/',
      routes: { '/': ['text/html', `<!doctype html><html lang="en"><link rel="icon" href="data:,"><title>docs</title><body><h1>Docs</h1>
<div id="c" data-roofline="${link}" data-chart="cost-batch"></div>
<div id="r" data-roofline="${link}" data-chart="results"></div>
<script src="${url}embed.js"></script></body></html>`] },
    });
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 900, height: 700 } });
    try {
      await page.goto(docs.origin + '/');
      const chartFrame = await (await page.waitForSelector('#c iframe')).contentFrame();
      const resultsFrame = await (await page.waitForSelector('#r iframe')).contentFrame();
      await chartFrame.waitForSelector('canvas[data-chart="cost-batch"][data-drawn]', { timeout: 20000 });
      await ready(resultsFrame);
      assert(chartFrame.url().includes('embed=chart') && chartFrame.url().includes('chart=cost-batch') && chartFrame.url().endsWith('#fit'), chartFrame.url());
      // Each frame's height is its content's height (not the 480 px it starts at).
      const fits = async (sel, frame) => {
        await page.waitForFunction(async (s) => {
          const f = document.querySelector(s);
          return f && f.height !== '480';
        }, sel, { timeout: 10000 });
        const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().bottom + scrollY));
        const h = await page.$eval(sel, (f) => f.getBoundingClientRect().height);
        return { content, h };
      };
      const c1 = await fits('#c iframe', chartFrame);
      const r1 = await fits('#r iframe', resultsFrame);
      assert(Math.abs(c1.h - c1.content) <= 1, `chart frame ${c1.h} px for ${c1.content} px of content`);
      assert(Math.abs(r1.h - r1.content) <= 1, `results frame ${r1.h} px for ${r1.content} px of content`);
      // The link back sits below the card, inside the frame, covering nothing.
      for (const fr of [chartFrame, resultsFrame]) {
        const [card, link, body] = await fr.evaluate(() => ['main.embed > .card', '.backlink', 'body'].map((s) => document.querySelector(s).getBoundingClientRect()).map((r) => [r.top, r.bottom]));
        assert(link[0] >= card[1] - 1 && link[1] <= body[1] + 1, `backlink ${link} over the card ${card} or outside ${body}`);
      }
      // Nothing scrolls inside the frames: the whole content shows.
      assert(await resultsFrame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), 'results frame scrolls');
      // Narrower page → narrower chart → shorter chart: the frame follows.
      await page.setViewportSize({ width: 500, height: 700 });
      await page.waitForFunction((h) => Math.abs(document.querySelector('#c iframe').getBoundingClientRect().height - h) > 20, c1.h, { timeout: 10000 }).catch(async (e) => {
        const info = await chartFrame.evaluate(() => [innerWidth, document.documentElement.scrollHeight, document.querySelector('canvas').getBoundingClientRect().height, document.body.getBoundingClientRect().height]);
        throw new Error(`${e.message}: ${c1.h} ${JSON.stringify(info)}`);
      });
      const c2 = await fits('#c iframe', chartFrame);
      assert(Math.abs(c2.h - c2.content) <= 1 && c2.h < c1.h, `after narrowing: ${c2.h} px frame, ${c2.content} px content (was ${c1.h})`);
      // A height message from anywhere but the frame is ignored.
      await page.evaluate(() => window.postMessage({ type: 'roofline:height', height: 77 }, '*'));
      await page.waitForTimeout(200);
      const c3 = await page.$eval('#c iframe', (f) => f.getBoundingClientRect().height);
      assert(Math.abs(c3 - c2.h) <= 1, `a message from the docs page itself resized the frame to ${c3}`);
      const bad = problems.filter((p) => !p.startsWith('foreign request'));
      assert(bad.length === 0, bad.join('\n'));
    } finally {
      await context.close();
      docs.server.close();
    }
  },

  async 'Copy as Markdown copies a report of the results and the why'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    try {
      await page.goto(url + '?v=1&batch=32');
      await ready(page);
      await page.getByRole('button', { name: 'Copy as Markdown' }).click();
      await page.waitForFunction(() => document.querySelector('.share [role=status]').textContent.includes('Markdown'));
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      const shown = (await page.textContent('[data-metric="decode.step_seconds"] dd')).trim();
      assert(clip.startsWith('## Roofline: '), clip.slice(0, 200));
      assert(clip.includes(`| Decode step | ${shown} | `), `the step time ${shown} is not in the report:\n${clip.slice(0, 800)}`);
      assert(clip.includes('### Why') && clip.includes('Batch 32,'), clip);
      await page.locator('.why-panel').scrollIntoViewIfNeeded();
      const whyTitle = (await (await page.waitForSelector('.why h3')).textContent()).trim();
      assert(whyTitle && clip.includes(whyTitle), `the why panel's "${whyTitle}" is missing`);
      assert(clip.includes('(' + (await page.inputValue('#share-link')).replace(/\)/g, '%29') + ')'), 'no link back');
      assert((await page.textContent('[data-markdown-report]')) === clip, 'the page shows another report');
      assert(problems.length === 0, problems.join('\n'));
    } finally {
      await context.close();
    }
  },
};
