// Saved setups through the page: save, reload, load with the same numbers, rename, delete,
// pin as A; export and import into a fresh profile; a corrupt store, a full store and a file
// that is not a setups file each get a message and lose nothing.
import fs from 'node:fs';
import { openPage, ready, assert, scenarioJson } from '../harness.mjs';
import { pageMetrics } from '../cli.mjs';

const STORE = 'roofline.setups';
const listed = (page) => page.$$eval('[data-saved-setup]', (ls) => ls.map((l) => l.dataset.savedSetup));
const message = (page) => page.textContent('[data-saved-message]');
const row = (page, name) => page.locator(`[data-saved-setup="${name}"]`);

/** Sets up DeepSeek-V3 on H200 at batch 96, fp8 weights, and saves it as `name`. */
async function saveOne(page, name, batch = '96') {
  await page.selectOption('#preset-model', 'deepseek-v3');
  await page.selectOption('#preset-hardware', 'h200-sxm');
  await page.getByLabel('Batch size', { exact: true }).fill(batch);
  await page.waitForFunction((b) => location.search.includes(`batch=${b}`), batch);
  await page.getByLabel('Setup name').fill(name);
  await page.getByRole('button', { name: 'Save setup' }).click();
  await page.waitForFunction((n) => document.querySelector(`[data-saved-setup="${n}"]`), name);
}

export const tests = {
  async 'save, reload: the setup is listed and loads with the same numbers; rename, delete, pin as A'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByRole('button', { name: 'Save setup' }).click();
    assert((await message(page)).includes('Setup name: enter a name'), `empty name: ${await message(page)}`);
    await saveOne(page, 'DeepSeek fp8 ×96');
    const saved = await pageMetrics(page);
    assert((await message(page)).includes('Saved'), await message(page));
    await saveOne(page, 'second', '8');

    await page.goto(url);
    await ready(page);
    assert(JSON.stringify(await listed(page)) === JSON.stringify(['DeepSeek fp8 ×96', 'second']), `listed: ${await listed(page)}`);
    assert(JSON.stringify(await pageMetrics(page)) !== JSON.stringify(saved), 'the default page already shows the saved numbers');
    await row(page, 'DeepSeek fp8 ×96').getByRole('button', { name: 'Load' }).click();
    await page.waitForFunction(() => document.querySelector('#f-workload-batch_size').value === '96');
    await page.waitForFunction(() => location.search.includes('model=deepseek-v3') && location.search.includes('hw=h200-sxm'));
    assert(JSON.stringify(await pageMetrics(page)) === JSON.stringify(saved), 'loaded setup shows different numbers');
    assert((await page.inputValue('#preset-model')) === 'deepseek-v3', 'the model preset is not chosen after loading');

    // Rename (a taken name is refused), then reload: the new name is kept.
    await row(page, 'second').getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for second').fill('DeepSeek fp8 ×96');
    await page.getByRole('button', { name: 'Save name' }).click();
    assert((await message(page)).includes('saved already'), await message(page));
    await page.getByLabel('New name for second').fill('small batch');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.waitForSelector('[data-saved-setup="small batch"]');
    await page.reload();
    await ready(page);
    assert(JSON.stringify(await listed(page)) === JSON.stringify(['DeepSeek fp8 ×96', 'small batch']), `after rename: ${await listed(page)}`);

    // Pin a saved setup as A: Compare shows it beside the setup being edited.
    await row(page, 'small batch').getByRole('button', { name: 'Pin as A' }).click();
    await page.waitForSelector('table.compare [data-compare]');
    const a = await page.getAttribute('[data-compare="decode.step_seconds"] [data-side="a"]', 'data-value');
    const b = await page.getAttribute('[data-compare="decode.step_seconds"] [data-side="b"]', 'data-value');
    assert(a !== b, 'A equals B: the pinned setup is not the saved one');
    assert((await page.textContent('table.compare thead')).includes('batch 8'), await page.textContent('table.compare thead'));

    await row(page, 'small batch').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => !document.querySelector('[data-saved-setup="small batch"]'));
    const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORE));
    assert(stored.format === 'roofline-setups' && stored.version === 1 && stored.setups.length === 1, JSON.stringify(stored));
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'export, then import into a fresh profile restores them; a file that is not a setups file is refused'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { acceptDownloads: true });
    await page.goto(url);
    await ready(page);
    await saveOne(page, 'one', '96');
    const one = await pageMetrics(page);
    await saveOne(page, 'two', '12');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export all (JSON)' }).click(),
    ]);
    assert(download.suggestedFilename() === 'roofline-setups.json', download.suggestedFilename());
    const file = await download.path();
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert(json.format === 'roofline-setups' && json.version === 1 && json.setups.length === 2, JSON.stringify(json));

    const { context: c2, page: p2, problems: pr2 } = await openPage(browser, origin);
    await p2.goto(url);
    await ready(p2);
    assert((await listed(p2)).length === 0, 'a fresh profile has setups');
    await p2.setInputFiles('#setups-import', file);
    await p2.waitForFunction(() => document.querySelectorAll('[data-saved-setup]').length === 2);
    assert((await message(p2)).includes('Imported 2 setups'), await message(p2));
    await row(p2, 'one').getByRole('button', { name: 'Load' }).click();
    await p2.waitForFunction(() => document.querySelector('#f-workload-batch_size').value === '96');
    assert(JSON.stringify(await pageMetrics(p2)) === JSON.stringify(one), 'imported setup shows different numbers');
    // The same file again adds nothing; a scenario JSON is not a setups file.
    await p2.setInputFiles('#setups-import', file);
    await p2.waitForFunction(() => document.querySelector('[data-saved-message]').textContent.includes('already saved'));
    await p2.setInputFiles('#setups-import', { name: 'scenario.json', mimeType: 'application/json', buffer: Buffer.from(await scenarioJson(p2)) });
    await p2.waitForFunction(() => document.querySelector('[data-saved-message]').textContent.includes('not a Roofline setups file'));
    await p2.setInputFiles('#setups-import', { name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "roofline-setups", "version": 9, "setups": []}') });
    await p2.waitForFunction(() => document.querySelector('[data-saved-message]').textContent.includes('newer than this page reads'));
    assert(JSON.stringify(await listed(p2)) === JSON.stringify(['one', 'two']), `after bad imports: ${await listed(p2)}`);
    await p2.reload();
    await ready(p2);
    assert((await listed(p2)).length === 2, 'imported setups not stored');
    assert(problems.length === 0 && pr2.length === 0, [...problems, ...pr2].join('\n'));
    await context.close();
    await c2.close();
  },

  async 'a corrupt store gets a message, is kept aside, and the page still works; a full store loses nothing'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.evaluate((k) => localStorage.setItem(k, '{"format": "roofline-setups", "setups": [tru'), STORE);
    await page.reload();
    await ready(page);
    const m = await message(page);
    assert(m.includes('could not be read') && m.includes('roofline.setups.unreadable'), m);
    assert(await page.isVisible('[data-saved-message]'), 'the message is not shown');
    assert((await page.evaluate(() => localStorage.getItem('roofline.setups.unreadable'))).endsWith('[tru'), 'the unreadable text was not kept');
    // The page still works: edits change the numbers, and a new setup saves.
    const before = await page.getAttribute('[data-metric="decode.step_seconds"]', 'data-value');
    await saveOne(page, 'after corruption', '48');
    assert((await page.getAttribute('[data-metric="decode.step_seconds"]', 'data-value')) !== before, 'edits do nothing');
    assert((await page.evaluate(() => localStorage.getItem('roofline.setups.unreadable'))).endsWith('[tru'), 'saving overwrote the unreadable text');

    // A full store: the browser refuses the write; the list and the store stay as they were.
    const storedBefore = await page.evaluate((k) => localStorage.getItem(k), STORE);
    await page.evaluate(() => {
      Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    });
    await page.getByLabel('Setup name').fill('too many');
    await page.getByRole('button', { name: 'Save setup' }).click();
    await page.waitForFunction(() => document.querySelector('[data-saved-message]').textContent.includes('did not store'));
    assert((await message(page)).includes('QuotaExceededError'), await message(page));
    assert(JSON.stringify(await listed(page)) === JSON.stringify(['after corruption']), `list changed: ${await listed(page)}`);
    await row(page, 'after corruption').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => document.querySelector('[data-saved-message]').textContent.includes('did not store'));
    assert((await listed(page)).length === 1, 'a refused delete removed the setup');
    assert((await page.evaluate((k) => localStorage.getItem(k), STORE)) === storedBefore, 'the store changed');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
