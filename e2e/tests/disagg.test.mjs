// The calculator's disaggregated setup: switched on, it shows TTFT with the KV transfer, the
// balanced xPyD and the cost of each pool and the pair; a bad pool field gets a message beside
// it while the rest of the setup is kept; the link carries every field.
import { openPage, ready, assert } from '../harness.mjs';

const raw = (page, key) => page.getAttribute(`[data-metric="${key}"]`, 'data-value');

export const tests = {
  async 'disaggregated pools: numbers, messages beside bad fields, and the link'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    assert(!(await page.isVisible('[data-pd-results]')), 'off by default');
    const prefill = Number(await raw(page, 'prefill.seconds'));
    await page.getByLabel('Prefill and decode on separate pools (KV shipped between them)').check();
    await page.waitForSelector('[data-pd-results]');
    const ttft = Number(await raw(page, 'pd.ttft_seconds'));
    const transfer = Number(await raw(page, 'pd.transfer_seconds'));
    assert(Math.abs(ttft - (prefill + transfer)) <= 1e-12 * ttft, `TTFT ${ttft} = prefill ${prefill} + transfer ${transfer}`);
    assert(/^\d+P\d+D$/.test(await raw(page, 'pd.ratio')), `ratio ${await raw(page, 'pd.ratio')}`);
    // The co-located numbers do not move.
    assert(Number(await raw(page, 'prefill.seconds')) === prefill, 'prefill moved');
    // Another chip for prefill, two decode engines: in the link.
    await page.selectOption('[data-field="disaggregation.prefill.hardware"]', 'h200-sxm');
    await page.getByLabel('Decode engines', { exact: true }).fill('2');
    await page.waitForFunction(() => /pd\.d\.n=2/.test(location.search) && /pd\.p\.hw=h200-sxm/.test(location.search) && /pd=true/.test(location.search));
    const cost = await raw(page, 'pd.cost_per_million_output_tokens');
    // Out of range: a message beside the field, the last valid setup kept (marked stale).
    for (const [label, value, words] of [['Prefill engines', '0', 'at least'], ['KV transfer latency', '-3', 'negative'], ['Chips per decode engine', '2.5', 'whole number']]) {
      const input = page.getByLabel(label, { exact: true });
      const old = await input.inputValue();
      await input.fill(value);
      const key = await input.getAttribute('data-field');
      const msg = await page.textContent(`[data-error-for="${key}"]`);
      assert(msg.includes(label) && msg.includes(words), `${label}=${value}: "${msg}"`);
      assert((await raw(page, 'pd.cost_per_million_output_tokens')) === cost, `${label}: the setup changed while invalid`);
      assert(/pd\.d\.n=2/.test(await page.evaluate(() => location.search)), `${label}: the rest of the setup lost`);
      await input.fill(old);
      await page.waitForSelector(`[data-error-for="${key}"]:empty`, { state: 'attached' });
    }
    // A link with a bad pool value opens with a banner naming the key; the rest is kept.
    await page.goto(url + '?v=1&pd=yes&pd.d.n=0&pd.p.hw=h200-sxm&batch=32');
    await ready(page);
    const banner = await page.textContent('body');
    assert(banner.includes('pd.d.n'), 'banner names pd.d.n');
    assert((await page.inputValue('[data-field="workload.batch_size"]')) === '32', 'batch kept');
    assert((await page.inputValue('[data-field="disaggregation.prefill.hardware"]')) === 'h200-sxm', 'prefill chip kept');
    assert((await page.inputValue('[data-field="disaggregation.decode.instances"]')) === '1', 'decode engines reset to 1');
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
