// "Calibrate to your measurements": points made by the engine at a known efficiency are
// pasted into the panel as a person would; the fit recovers that efficiency within 5%, and
// applying it changes the setup and its link.
import { openPage, ready, metric, assert, openPanel } from '../harness.mjs';
import { evalCli } from '../cli.mjs';

const KNOWN = { c: 0.42, bw: 0.71, step: 0.003, pf: 0.55 };

/** The CSV a server running at KNOWN would give for the page's opening setup. */
function knownPoints() {
  const rows = ['batch,context,tpot_s,ttft_s'];
  for (const batch of [1, 16, 128, 512, 2048]) {
    for (const ctx of [128, 4096]) {
      const m = evalCli(`?v=1&model=llama-3.1-70b&hw=h100-sxm&batch=${batch}&ctx=${ctx}&eff.c=${KNOWN.c}&eff.bw=${KNOWN.bw}&eff.step=${KNOWN.step}&eff.pf=${KNOWN.pf}`);
      rows.push(`${batch},${ctx},${m['decode.step_seconds']},${m['prefill.seconds']}`);
    }
  }
  return rows.join('\n');
}

export const tests = {
  async 'calibration to points from a known efficiency recovers it and applies'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin);
    await page.goto(url);
    await ready(page);
    await openPanel(page, 'calibrate');
    const before = await metric(page, 'decode.step_seconds');
    await page.getByLabel('Your measured points (CSV)').fill(knownPoints());
    await page.click('#fit-run');
    await page.waitForSelector('[data-fit="ready"]');
    const c = Number(await page.getAttribute('[data-fit]', 'data-fit-compute'));
    const bw = Number(await page.getAttribute('[data-fit]', 'data-fit-bandwidth'));
    assert(Math.abs(c / KNOWN.c - 1) < 0.05, `compute ${c}, known ${KNOWN.c}`);
    assert(Math.abs(bw / KNOWN.bw - 1) < 0.05, `bandwidth ${bw}, known ${KNOWN.bw}`);
    const rows = await page.$$eval('[data-fit-point]', (r) => r.length);
    assert(rows === 20, `${rows} residual rows`);
    await page.click('#fit-apply');
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-metric="decode.step_seconds"]');
      return el && Number(el.dataset.value) !== b;
    }, before);
    await page.waitForFunction(() => location.search.includes('eff.c='));
    // Too few points: a message, not a fit.
    await page.getByLabel('Your measured points (CSV)').fill('batch,tpot_s\n8,0.02');
    await page.click('#fit-run');
    await page.waitForSelector('[data-fit-error]');
    const msg = await page.textContent('[data-fit-error]');
    assert(msg.includes('too few points'), msg);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
