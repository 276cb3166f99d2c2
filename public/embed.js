// Roofline embeds that size themselves. On a docs page:
//
//   <div data-roofline="LINK" data-chart="cost-batch"></div>
//   <script src="https://HOST/PATH/embed.js" defer></script>
//
// LINK is a share link of the calculator (its "Copy link" button); data-chart is a chart id
// (the embed menu lists them) or "results" for the results card; data-title names the frame
// for screen readers. Each div becomes an iframe of that link's embed view, whose height
// follows its content: the embedded page posts {type: "roofline:height", height} to its
// parent whenever its height changes, and this script takes only messages that come from its
// own iframe (the message's source is the frame's window) and from the frame's origin.
(() => {
  'use strict';
  const frames = new Map(); // contentWindow → { iframe, origin }
  const MAX = 10000; // px; a taller frame is a broken message, not a chart

  function embedUrl(link, what) {
    const u = new URL(link, document.baseURI);
    for (const k of ['embed', 'chart']) u.searchParams.delete(k);
    if (what === 'results') u.searchParams.set('embed', 'results');
    else {
      u.searchParams.set('embed', 'chart');
      u.searchParams.set('chart', what || 'cost-batch');
    }
    // The embedded page sizes itself to its content (rather than filling a fixed frame).
    u.hash = 'fit';
    return u;
  }

  function mount(div) {
    if (div.dataset.rooflineMounted) return;
    let url;
    try {
      url = embedUrl(div.dataset.roofline, div.dataset.chart);
    } catch (e) {
      div.textContent = `Roofline embed: not a link: ${div.dataset.roofline}`;
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
    div.dataset.rooflineMounted = '1';
    const iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = div.dataset.title || (div.dataset.chart === 'results' ? 'Roofline results' : `Roofline chart: ${div.dataset.chart || 'cost-batch'}`);
    iframe.loading = 'lazy';
    // The app's own origin (so its scripts load), still cross-origin to this page.
    iframe.setAttribute('sandbox', 'allow-scripts allow-popups allow-same-origin');
    iframe.width = '100%';
    iframe.height = '480';
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.display = 'block';
    div.replaceChildren(iframe);
    frames.set(iframe.contentWindow, { iframe, origin: url.origin });
  }

  window.addEventListener('message', (ev) => {
    const f = frames.get(ev.source);
    if (!f || ev.origin !== f.origin) return;
    const d = ev.data;
    if (!d || d.type !== 'roofline:height') return;
    const h = Math.ceil(Number(d.height));
    if (!Number.isFinite(h) || h <= 0 || h > MAX) return;
    f.iframe.height = String(h);
    f.iframe.style.height = `${h}px`;
  });

  const all = () => document.querySelectorAll('div[data-roofline]').forEach(mount);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
  window.Roofline = Object.assign(window.Roofline || {}, { mountEmbeds: all });
})();
