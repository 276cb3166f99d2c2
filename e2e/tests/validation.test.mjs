// The Validation panel: every public measurement beside the estimate, dense and MoE apart,
// and one row's link opens the calculator on that setup.
import { openPage, ready, metric, canvasStats, assert, openPanel } from '../harness.mjs';

export const tests = {
  async 'validation panel lists every public row and a row opens its setup'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await openPanel(page, 'validation');
    const before = await metric(page, 'decode.step_seconds');
    await page.click('#validation-show');
    await page.waitForSelector('[data-validation="ready"]');
    const rows = await page.$$eval('[data-validation-row]', (trs) => trs.map((tr) => ({
      id: tr.dataset.validationRow,
      ratio: Number(tr.dataset.ratio),
      href: tr.querySelector('a.open-row').getAttribute('href'),
    })));
    assert(rows.length === 162, `${rows.length} rows`);
    assert(rows.every((r) => r.ratio > 0 && Number.isFinite(r.ratio)), 'a ratio is not a number');
    // The estimate-against-measurement chart is drawn on its canvas.
    await page.waitForFunction(() => Number(document.querySelector('canvas[data-chart="validation"]')?.dataset.drawn) > 0);
    const st = await canvasStats(page, 'canvas[data-chart="validation"]');
    assert(st.ink > 0.01 && st.width >= 280, `validation chart looks blank (${st.ink}, ${st.width}px)`);
    const heads = await page.$$eval('#validation h3', (hs) => hs.map((h) => h.textContent));
    assert(heads.join('|') === 'Dense models|Mixture-of-experts models', heads.join('|'));
    // Follow DeepSeek-R1 on 8 × H200 into the calculator: the page opens on that setup.
    const row = rows.find((r) => r.id === 'TRTNEW-DSR1-H200-DEP8-1k1k');
    assert(row && row.href.startsWith('?v=1&model=deepseek-v3&hw=h200-sxm'), row && row.href);
    await page.click('[data-validation-row="TRTNEW-DSR1-H200-DEP8-1k1k"] a.open-row');
    await page.waitForURL((u) => u.search.includes('model=deepseek-v3'));
    await ready(page);
    await openPanel(page, 'validation');
    const step = await metric(page, 'decode.step_seconds');
    assert(step > 0.01 && step < 1 && step !== before, `step ${step} (default page ${before})`);
    const presets = [await page.inputValue('#preset-model'), await page.inputValue('#preset-hardware')];
    assert(presets.join(' ') === 'deepseek-v3 h200-sxm', `presets ${presets}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
