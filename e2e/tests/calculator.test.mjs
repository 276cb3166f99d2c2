// The calculator page: presets, edits, errors and recovery, Hugging Face import, compare,
// numbers equal to the engine's, accessibility, keyboard.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openPage, ready, metric, assert, scenarioJson } from '../harness.mjs';
import { evalCli, pageMetrics, agree } from '../cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hf = (name) => fs.readFileSync(path.join(root, 'tests/fixtures/hf', name), 'utf8');

async function waitChange(page, key, old) {
  await page.waitForFunction(([k, o]) => document.querySelector(`[data-metric="${k}"]`).dataset.value !== o, [key, String(old)]);
}

export const tests = {
  async 'presets fill every field and the numbers equal the engine for the same scenario'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    for (const [model, hw, chips] of [['deepseek-v3', 'h200-sxm', '8'], ['kimi-k2', 'mi300x', '16'], ['gpt-oss-120b', 'h100-sxm', '1'], ['gemma-3-27b', 'tpu-v5e', '4'], ['mixtral-8x7b', 'a100-sxm-80gb', '2']]) {
      await page.selectOption('#preset-model', model);
      await page.selectOption('#preset-hardware', hw);
      await page.getByLabel('Chips', { exact: true }).fill(chips);
      await page.waitForFunction((c) => document.querySelector('#share-link').value.includes(`hw=`), chips);
      const status = await page.textContent('[data-preset-status="model"]');
      assert(!status.includes('edited'), `fresh preset marked edited: ${status}`);
      const json = await scenarioJson(page);
      const n = agree(await pageMetrics(page), evalCli(json));
      assert(n >= 15, `${model}: compared ${n}`);
      const text = await page.textContent('main');
      assert(!/NaN|Infinity|undefined/.test(text), `${model} on ${hw}: bad number shown`);
    }
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'editing a preset field marks it edited and changes the results'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByText('Chip specification').click();
    const step = await metric(page, 'decode.step_seconds');
    await page.getByLabel('Memory bandwidth').fill('4.8');
    await waitChange(page, 'decode.step_seconds', step);
    assert((await metric(page, 'decode.step_seconds')) < step, 'more bandwidth did not speed up a memory-bound step');
    assert((await page.textContent('[data-preset-status="hardware"]')).includes('edited'), 'not marked edited');
    await page.getByText('Shape, attention and experts').click();
    await page.getByLabel('KV heads').fill('16');
    await page.waitForFunction(() => document.querySelector('[data-metric="kv_bytes_per_token"]').dataset.value === '655360');
    assert((await page.textContent('[data-preset-status="model"]')).includes('edited'), 'model not marked edited');
    // Units: 4.8 TB/s typed is 4.8e12 B/s inside.
    assert((await scenarioJson(page)).includes('"memory_bandwidth": 4800000000000.0'), 'bandwidth not stored in SI');
    await context.close();
  },

  async 'every input follows a setup changed from outside: text, shown fields, selects, toggles and the slider'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByText('Shape, attention and experts').click();
    const shown = () => page.evaluate(() => {
      const rank = document.querySelector('#f-model-kv_lora_rank');
      return {
        attention: document.querySelector('#f-model-attention').value,
        moe: document.querySelector('#f-model-moe').checked,
        rankHidden: rank.closest('.field').hidden,
        rank: rank.value,
        slider: document.querySelector('input[data-slider="workload.batch_size"]').value,
      };
    });
    await page.selectOption('#preset-model', 'llama-3.1-70b');
    await page.waitForFunction(() => document.querySelector('#f-model-attention').value === 'gqa');
    let s = await shown();
    assert(!s.moe && s.rankHidden, `dense GQA model: ${JSON.stringify(s)}`);
    // A preset is a change from outside: the attention select, the MoE toggle, the MLA
    // field (shown only for MLA) and its text all follow it.
    await page.selectOption('#preset-model', 'deepseek-v3');
    await page.waitForFunction(() => document.querySelector('#f-model-attention').value === 'mla');
    s = await shown();
    assert(s.moe && !s.rankHidden && s.rank === '512', `DeepSeek-V3: ${JSON.stringify(s)}`);
    assert((await page.getByLabel('MLA latent rank').isVisible()), 'the MLA field is not visible');
    // Typed batch 256: the slider moves to log2(256) × 8 = 64, the other inputs stay.
    await page.getByLabel('Batch size', { exact: true }).fill('256');
    await page.waitForFunction(() => document.querySelector('input[data-slider="workload.batch_size"]').value === '64');
    s = await shown();
    assert(s.moe && !s.rankHidden && s.rank === '512' && s.attention === 'mla', `after the batch edit: ${JSON.stringify(s)}`);
    // And back.
    await page.selectOption('#preset-model', 'llama-3.1-70b');
    await page.waitForFunction(() => document.querySelector('#f-model-attention').value === 'gqa');
    s = await shown();
    assert(!s.moe && s.rankHidden && s.slider === '64', `back to the dense model: ${JSON.stringify(s)}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'closed sections hold no fields until opened; opened, their fields work and stay'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const inside = (summary) => page.evaluate((t) => {
      const d = [...document.querySelectorAll('.inputs details')].find((e) => e.querySelector('summary').textContent === t);
      return { open: d.open, fields: d.querySelectorAll('input, select, textarea').length, elements: d.querySelectorAll('*').length };
    }, summary);
    for (const summary of ['Shape, attention and experts', 'Chip specification', 'Import a Hugging Face config.json']) {
      const closed = await inside(summary);
      assert(!closed.open && closed.fields === 0 && closed.elements === 1, `${summary}: built while closed (${JSON.stringify(closed)})`);
    }
    const before = await page.evaluate(() => document.getElementsByTagName('*').length);
    // Opened as a person would (a click on the summary): the fields are there and work.
    await page.getByText('Chip specification').click();
    const open = await inside('Chip specification');
    assert(open.open && open.fields >= 8, `chip specification opened: ${JSON.stringify(open)}`);
    const cost = await metric(page, 'cost.per_million_output_tokens');
    const price = page.getByLabel('Price per chip-hour', { exact: true });
    assert(Number(await price.inputValue()) > 0, 'the price field shows no value');
    await price.fill('7');
    await waitChange(page, 'cost.per_million_output_tokens', cost);
    assert((await page.textContent('[data-preset-status="hardware"]')).includes('edited'), 'not marked edited');
    // Closed and opened again: the same fields, the typed value kept, no second copy.
    await page.getByText('Chip specification').click();
    await page.getByText('Chip specification').click();
    const again = await inside('Chip specification');
    assert(again.fields === open.fields, `reopened: ${again.fields} fields, was ${open.fields}`);
    assert((await price.inputValue()) === '7', `reopened: price shows ${await price.inputValue()}`);
    // A preset chosen while a section is closed shows in it when it opens.
    await page.selectOption('#preset-model', 'kimi-k2');
    await page.getByText('Shape, attention and experts').click();
    assert(await page.isChecked('[data-field="model.moe"]'), 'the MoE preset is not shown as MoE');
    assert((await page.getByLabel('KV heads', { exact: true }).count()) === 1, 'KV heads field missing');
    await page.getByLabel('Layers', { exact: true }).fill('30');
    await page.waitForFunction(() => /layers=30/.test(location.search));
    // The opened page has more elements, as many as the closed sections held.
    assert((await page.evaluate(() => document.getElementsByTagName('*').length)) > before + 50, 'the opened sections built nothing');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'errors beside each field, nothing NaN, and recovery'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByText('Chip specification').click();
    const before = await pageMetrics(page);
    const bad = [
      ['Memory per chip', '0', 'above 0'],
      ['Memory bandwidth', '-2', 'above 0'],
      ['Chips', '1.5', 'whole number'],
      ['Input length', 'ten', 'not a number'],
      ['Output length', '', 'empty'],
      ['Compute efficiency', '150', 'too large'],
      ['Price per chip-hour', '-1', 'negative'],
    ];
    for (const [label, value, words] of bad) {
      const input = page.getByLabel(label, { exact: true });
      const old = await input.inputValue();
      await input.fill(value);
      const key = await input.getAttribute('data-field');
      const msg = await page.textContent(`[data-error-for="${key}"]`);
      assert(msg.includes(label) && msg.includes(words), `${label}=${value}: "${msg}"`);
      assert(await page.isVisible('.results.stale'), `${label}: not marked stale`);
      const now = await pageMetrics(page);
      assert(JSON.stringify(now) === JSON.stringify(before), `${label}: results changed while invalid`);
      assert(!/NaN|Infinity/.test(await page.textContent('main')), `${label}: NaN shown`);
      await input.fill(old);
    }
    await page.waitForFunction(() => !document.querySelector('.results.stale'));
    // A valid but impossible setup: too little memory says how many chips it needs.
    await page.getByLabel('Chips', { exact: true }).fill('1');
    await page.waitForFunction(() => document.querySelector('[data-metric="capacity.fits"]').dataset.value === 'false');
    const verdict = await page.textContent('.verdict');
    assert(/Does not fit — needs at least \d+ chips/.test(verdict), verdict);
    await context.close();
  },

  async 'a real config.json imports by paste and by file; bad files are refused with a reason'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.getByText('Import a Hugging Face config.json').click();
    await page.getByLabel('Paste config.json').fill(hf('qwen3-30b-a3b.json'));
    await page.getByRole('button', { name: 'Import pasted config' }).click();
    const msg = await page.textContent('[data-import-message]');
    assert(msg.startsWith('Imported') && msg.includes('48 layers') && msg.includes('128 experts'), msg);
    assert((await page.inputValue('#preset-model')) === '', 'preset not cleared after import');
    await page.waitForFunction(() => Number(document.querySelector('[data-metric="params.sparsity"]').dataset.value) > 5);
    // By file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roofline-hf-'));
    const good = path.join(dir, 'config.json');
    fs.writeFileSync(good, hf('deepseek-v3.json'));
    await page.setInputFiles('#hf-config-file', good);
    await page.waitForFunction(() => document.querySelector('[data-import-message]').textContent.includes('61 layers'));
    assert((await metric(page, 'kv_bytes_per_token')) === 61 * 576 * 2, 'MLA KV per token not from the config');
    // Refusals.
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, '{"x": "' + 'a'.repeat(1_100_000) + '"}');
    await page.setInputFiles('#hf-config-file', big);
    await page.waitForFunction(() => document.querySelector('[data-import-message]').textContent.includes('over 1 MB'));
    const notJson = path.join(dir, 'notes.json');
    fs.writeFileSync(notJson, 'hello, this is not json');
    await page.setInputFiles('#hf-config-file', notJson);
    await page.waitForFunction(() => document.querySelector('[data-import-message]').textContent.includes('not JSON'));
    const partial = JSON.parse(hf('llama-3.1-8b.json'));
    delete partial.num_hidden_layers;
    delete partial.hidden_size;
    await page.getByLabel('Paste config.json').fill(JSON.stringify(partial));
    await page.getByRole('button', { name: 'Import pasted config' }).click();
    const missing = await page.textContent('[data-import-message]');
    assert(missing.includes('num_hidden_layers') && missing.includes('hidden_size'), missing);
    assert((await metric(page, 'kv_bytes_per_token')) === 61 * 576 * 2, 'a refused import changed the model');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'compare pins A and shows B beside it with the difference'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await page.selectOption('#preset-model', 'deepseek-v3');
    await page.selectOption('#preset-hardware', 'h200-sxm');
    await page.getByLabel('Chips', { exact: true }).fill('16');
    await page.getByRole('button', { name: 'Pin this setup as A' }).click();
    await page.selectOption('#preset-model', 'kimi-k2');
    await page.waitForSelector('tr[data-compare="kv_bytes_per_token"]');
    const row = async (k) => page.$$eval(`tr[data-compare="${k}"] td`, (tds) => tds.map((t) => [t.dataset.value, t.textContent]));
    const kv = await row('kv_bytes_per_token');
    assert(kv[0][0] === kv[1][0], 'DeepSeek-V3 and Kimi K2 share the MLA KV size');
    const w = await row('capacity.weight_bytes');
    assert(Number(w[1][0]) > Number(w[0][0]), 'Kimi K2 stores more weights');
    assert(/^\+\d/.test(w[2][1]), `difference not shown as +%: ${w[2][1]}`);
    const head = await page.textContent('table.compare thead');
    assert(head.includes('DeepSeek') && head.includes('Kimi'), head);
    await page.getByRole('button', { name: 'Swap A and B' }).click();
    await page.waitForFunction(() => document.querySelector('#preset-status, [data-preset-status="model"]').textContent.includes('DeepSeek'));
    await context.close();
  },

  async 'no serious or critical accessibility violations (axe-core), light and dark, wide and narrow'({ browser, origin, url }) {
    const axeSource = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['light', 390], ['dark', 390]]) {
      const { context, page } = await openPage(browser, origin, { colorScheme: scheme, viewport: { width, height: 900 } });
      await page.goto(url);
      await ready(page);
      for (const s of await page.$$('details')) await s.evaluate((d) => { d.open = true; });
      await page.getByRole('button', { name: 'Pin this setup as A' }).click();
      // Evaluated through the devtools protocol: the page's CSP (rightly) refuses an inline
      // <script>, which is what addScriptTag would add.
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      assert(result.length === 0, `${scheme} ${width}px:\n${result.join('\n')}`);
      await context.close();
    }
  },

  async 'keyboard reaches the inputs and changes values'({ browser, origin, url }) {
    const { context, page } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    const seen = new Set();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      seen.add(await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName)));
    }
    assert(seen.has('preset-model') && seen.has('preset-hardware') && seen.has('f-workload-batch_size'), [...seen].join(', '));
    await page.focus('#f-workload-batch_size');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('200');
    await page.waitForFunction(() => document.querySelector('[data-metric="decode.tokens_per_second"]') && location.search.includes('batch=200'));
    await context.close();
  },
};
