// Finding your way: the section navigation (click and keyboard, current section marked, the
// section kept in the link), the headline summary that stays in view, and the phone layout.
import { openPage, ready, metric, assert } from '../harness.mjs';

const SECTIONS = [
  ['results', 'Results'], ['charts', 'Charts'], ['compare', 'Compare'], ['lab', 'Serving lab'],
  ['planner', 'Planner'], ['validation', 'Validation'], ['calibrate', 'Calibrate'],
  ['saved', 'Saved setups'], ['share', 'Share'],
];

/** Waits until section `id` starts just below the sticky bar (or the page cannot scroll further). */
async function inView(page, id) {
  await page.waitForFunction((id) => {
    const el = document.getElementById(`sec-${id}`);
    const bar = document.querySelector('.wayfinder').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const atEnd = Math.ceil(window.scrollY + innerHeight) >= document.documentElement.scrollHeight - 2;
    return r.top >= bar.bottom - 2 && (r.top <= bar.bottom + 40 || (atEnd && r.top < innerHeight));
  }, id, { timeout: 5000 });
}

export const tests = {
  async 'the navigation reaches every section by click and by keyboard, and the link keeps the section'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await ready(page);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    for (const [id, label] of SECTIONS) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await inView(page, id);
      assert((await page.getAttribute(`[data-section="${id}"]`, 'aria-current')) === 'location', `${label} not marked current`);
      assert((await page.$$('[data-section][aria-current]')).length === 1, 'more than one section marked');
      assert(await page.evaluate((id) => document.activeElement.id === `sec-${id}`, id), `focus did not move to ${label}`);
      await page.waitForFunction((id) => location.search.includes(`section=${id}`), id);
      assert((await page.inputValue('#share-link')).includes(`section=${id}`), `share link lacks section=${id}`);
    }
    // Scrolling by hand moves the mark (IntersectionObserver) to the section on screen.
    await page.evaluate(() => document.getElementById('sec-planner').scrollIntoView());
    await page.waitForFunction(() => document.querySelector('[data-section="planner"]').getAttribute('aria-current') === 'location');

    // By keyboard: Tab from the top of the page reaches the links; Enter goes to the section,
    // and the next Tab lands inside it.
    await page.goto(url);
    await ready(page);
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.activeElement.dataset.section === 'results'), 'first Tab is not the navigation');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.activeElement.dataset.section === 'lab'), 'Tab order of the links');
    await page.keyboard.press('Enter');
    await inView(page, 'lab');
    // The lab is loaded on demand: it shows "Loading …" until its code has arrived.
    await page.waitForSelector('[data-lazy="lab"][data-lazy-state="loaded"]');
    await inView(page, 'lab');
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.getElementById('sec-lab').contains(document.activeElement)), 'Tab after Enter left the lab');
    await page.waitForFunction(() => location.search.includes('section=lab'));

    // The link opens at its section, with it marked.
    const link = await page.evaluate(() => location.href);
    const { context: c2, page: p2, problems: pr2 } = await openPage(browser, origin, { viewport: { width: 1280, height: 900 } });
    await p2.goto(link);
    await ready(p2);
    await inView(p2, 'lab');
    await p2.waitForFunction(() => document.querySelector('[data-section="lab"]').getAttribute('aria-current') === 'location');
    assert(!(await p2.isVisible('.banner')), 'section= raised a banner');
    // An unknown section is named, and the page opens at the top.
    await p2.goto(url + '?v=1&section=nowhere');
    await ready(p2);
    assert(await p2.$('[data-link-problem="section"]'), 'unknown section not named');
    assert((await p2.evaluate(() => scrollY)) < 50, 'an unknown section scrolled the page');
    assert(problems.length === 0 && pr2.length === 0, [...problems, ...pr2].join('\n'));
    await context.close();
    await c2.close();
  },

  async 'the headline summary stays in view while the charts scroll and follows edits'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await ready(page);
    const keys = ['decode.step_seconds', 'decode.bound', 'decode.tokens_per_second_per_user', 'cost.per_million_output_tokens'];
    for (const k of keys) assert(await page.$(`[data-summary="${k}"]`), `summary lacks ${k}`);
    const charts = await page.$eval('#sec-charts', (el) => ({ top: el.getBoundingClientRect().top + scrollY, height: el.offsetHeight }));
    assert(charts.height > 1500, `charts are ${charts.height} px tall`);
    for (let y = charts.top; y < charts.top + charts.height - 200; y += 600) {
      await page.evaluate((y) => scrollTo(0, y), y);
      const box = await page.$eval('.summary', (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, h: innerHeight }; });
      assert(box.top >= 0 && box.bottom <= box.h && box.bottom < 140, `summary out of view at ${y}: ${JSON.stringify(box)}`);
      // The mark follows an IntersectionObserver, whose callback comes after the next frame.
      const marked = await page.waitForFunction(() => document.querySelector('[data-section="charts"]').getAttribute('aria-current') === 'location', null, { timeout: 3000 }).then(() => true, () => false);
      assert(marked, `charts not marked at ${y}`);
    }
    // The summary shows the results card's numbers, also after an edit.
    const same = async () => {
      for (const k of keys) {
        const raw = await page.getAttribute(`[data-summary="${k}"]`, 'data-value');
        const s = Number.isNaN(Number(raw)) ? raw : Number(raw);
        assert(s === (await metric(page, k)), `${k}: summary ${s}, card ${await metric(page, k)}`);
      }
    };
    await same();
    const before = await metric(page, 'decode.step_seconds');
    await page.getByLabel('Batch size', { exact: true }).fill('256');
    await page.waitForFunction((b) => Number(document.querySelector('[data-summary="decode.step_seconds"]').dataset.value) !== b, before);
    await same();
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },

  async 'on a phone the bar fits, the links scroll sideways and still reach every section'({ browser, origin, url }) {
    const { context, page, problems } = await openPage(browser, origin, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(url);
    await ready(page);
    const fit = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: innerWidth, bar: document.querySelector('.wayfinder').getBoundingClientRect().height }));
    assert(fit.sw <= fit.w, `page is ${fit.sw} px wide in a ${fit.w} px viewport`);
    assert(fit.bar < 844 * 0.2, `the bar takes ${fit.bar} px`);
    for (const [id] of SECTIONS) {
      await page.locator(`[data-section="${id}"]`).tap();
      await inView(page, id);
    }
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  },
};
