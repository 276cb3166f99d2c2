// The serving lab with a prefix-cache hit rate and speculative decoding: the hit rate comes
// from a link and goes back into it, lowers TTFT; speculation set above lowers TPOT at a
// light load; the page and `roofline lab` agree on a link with both.
import { execFileSync } from 'node:child_process';
import { openPage, ready, assert, openPanel } from '../harness.mjs';
import { cliPath } from '../cli.mjs';

const SCHEDULERS = ['static', 'contiguous', 'paged', 'chunked', 'disaggregated'];
const raw = (page, key) => page.getAttribute(`[data-metric="${key}"]`, 'data-value');
const labState = (page) => page.getAttribute('[data-lab-state]', 'data-lab-state');

async function runLab(page) {
  await page.click('[data-lab-run]');
  await page.waitForFunction(() => document.querySelector('[data-lab-state]').dataset.labState !== 'running'
    && document.querySelector('[data-metric="lab.digest"]'), null, { timeout: 30000 });
  assert((await labState(page)) === 'done', `lab state ${await labState(page)}: ${await page.textContent('[data-lab-error]')}`);
}

export const tests = {
  async 'a prefix-cache hit rate from the link lowers TTFT and stays in the link'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url + '?hit=60');
    await ready(page);
    await openPanel(page, 'lab');
    assert((await page.inputValue('#lab-hit')) === '60', `hit from link: ${await page.inputValue('#lab-hit')}`);
    await page.getByLabel('Requests to simulate').fill('1500');
    await page.getByLabel('Arrival rate').fill('4');
    await runLab(page);
    const hit = {};
    for (const s of SCHEDULERS) hit[s] = Number(await raw(page, `lab.${s}.ttft_p50`));
    const total = await raw(page, 'lab.requested_output_tokens');
    for (const s of SCHEDULERS) assert((await raw(page, `lab.${s}.output_tokens`)) === total, `${s} tokens`);
    await page.waitForFunction(() => location.search.includes('hit=60'), null, { timeout: 5000 });
    await page.getByLabel('Prefix-cache hit rate (of prompt tokens)').fill('0');
    await runLab(page);
    // Static batching is overloaded at this rate: its TTFT is the queue's, and a shorter
    // prefill can start the next batch sooner with fewer requests waiting, so more batches
    // run and the queue grows (batch formation, not the prefill, decides it). Every
    // continuous scheduler admits on its own and gets the shorter prefill.
    for (const s of SCHEDULERS.filter((x) => x !== 'static')) {
      const none = Number(await raw(page, `lab.${s}.ttft_p50`));
      assert(hit[s] < none, `${s}: TTFT p50 ${hit[s]} with hits, ${none} without`);
    }
    await page.waitForFunction(() => !location.search.includes('hit='), null, { timeout: 5000 });
    // A bad rate names its field and blocks the run.
    await page.getByLabel('Prefix-cache hit rate (of prompt tokens)').fill('150');
    await page.waitForSelector('[data-error-for="lab-hit"]:not(:empty)');
    assert((await page.textContent('[data-error-for="lab-hit"]')).includes('at most 100'), 'hit message');
    assert(await page.isDisabled('[data-lab-run]'), 'run enabled with a bad hit rate');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'speculative decoding lowers TPOT at a light load; page and CLI agree with both on'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    const plainQuery = '?v=1&model=llama-3.1-70b&hw=h100-sxm&seed=3';
    await page.goto(url + plainQuery);
    await ready(page);
    await openPanel(page, 'lab');
    await page.getByLabel('Requests to simulate').fill('600');
    await page.getByLabel('Arrival rate').fill('1');
    await runLab(page);
    const plain = {};
    for (const s of SCHEDULERS) plain[s] = Number(await raw(page, `lab.${s}.tpot_p50`));
    const query = `${plainQuery}&spec=draft&spec.k=3&spec.a=0.8&spec.draft=llama-3.1-8b&hit=50`;
    await page.goto(url + query);
    await ready(page);
    await openPanel(page, 'lab');
    await page.getByLabel('Requests to simulate').fill('600');
    await page.getByLabel('Arrival rate').fill('1');
    await runLab(page);
    for (const s of SCHEDULERS) {
      const spec = Number(await raw(page, `lab.${s}.tpot_p50`));
      assert(spec < plain[s] / 1.3, `${s}: TPOT p50 ${spec} speculating, ${plain[s]} without`);
    }
    const cli = JSON.parse(execFileSync(cliPath(), ['lab', query, '--requests', '600', '--rate', '1', '--json'], { encoding: 'utf8' }));
    assert(cli.digest === (await raw(page, 'lab.digest')), `digest: CLI ${cli.digest}, page ${await raw(page, 'lab.digest')}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
