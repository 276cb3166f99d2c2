// A plain static host for scripts/package.sh's folder that sends the headers the folder's
// `_headers` file documents (the format Netlify and Cloudflare Pages read), the way such a
// host would: every rule whose path matches the request applies (`/*` at the end of a rule
// matches everything below it). Nothing else is added: no MIME type guessing beyond the
// usual extensions, no CORS header of its own. A header set twice for one path is an error
// (hosts join such values with commas, which would break Cache-Control and the CSP).
//
//   node e2e/host.mjs DIR [PORT]   serves DIR at the base path its _headers rules name
//   import { hostPackage } from './host.mjs'
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.conf': 'text/plain; charset=utf-8',
  // Deliberately no '.wasm': the type must come from the _headers rules.
};

/** Parses a `_headers` file into [{ path, headers: [[name, value]] }]. */
export function parseHeaders(text) {
  const rules = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ path: line, headers: [] });
      continue;
    }
    const m = line.trim().match(/^([A-Za-z0-9-]+):\s*(.*)$/);
    if (!m || rules.length === 0) throw new Error(`_headers: cannot read line "${line}"`);
    rules[rules.length - 1].headers.push([m[1], m[2]]);
  }
  return rules;
}

/** Whether a `_headers` rule path matches a request path. */
export function ruleMatches(rule, p) {
  return rule.endsWith('*') ? p.startsWith(rule.slice(0, -1)) : p === rule;
}

/** The headers the rules give a request path; throws when a header is set twice. */
export function headersFor(rules, p) {
  const out = {};
  for (const r of rules.filter((r) => ruleMatches(r.path, p))) {
    for (const [k, v] of r.headers) {
      const key = k.toLowerCase();
      if (key in out) throw new Error(`_headers: ${k} set twice for ${p}`);
      out[key] = v;
    }
  }
  return out;
}

/** The base path of the app in a package: the one rule ending in `/*`. */
export function basePath(rules) {
  const splats = rules.filter((r) => r.path.endsWith('/*'));
  if (splats.length === 0) throw new Error('_headers: no rule for every file (PATH/*)');
  return splats.sort((a, b) => a.path.length - b.path.length)[0].path.slice(0, -1);
}

/** Serves a package folder on 127.0.0.1 with the headers of its `_headers` file. */
export function hostPackage(dir, { port = 0 } = {}) {
  const root = path.resolve(dir);
  const rules = parseHeaders(fs.readFileSync(path.join(root, '_headers'), 'utf8'));
  const base = basePath(rules);
  return new Promise((resolve, reject) => {
    const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
      const p = new URL(req.url, 'http://x').pathname;
      if (!p.startsWith(base)) { res.writeHead(404); return res.end('not found'); }
      let rel = decodeURIComponent(p.slice(base.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, rel);
      // Like static hosts, the host's own configuration files are not served.
      if (!file.startsWith(root + path.sep) || rel === '_headers' || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404); return res.end('not found');
      }
      let headers;
      try {
        headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...headersFor(rules, p) };
      } catch (e) {
        res.writeHead(500); return res.end(String(e.message));
      }
      res.writeHead(200, headers);
      fs.createReadStream(file).pipe(res);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ server, origin, url: origin + base, base, rules });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port] = process.argv.slice(2);
  if (!dir) { console.error('usage: node e2e/host.mjs DIR [PORT]'); process.exit(2); }
  const { url } = await hostPackage(dir, { port: Number(port || 0) });
  console.log(`serving ${dir} with its _headers at ${url}  (Ctrl-C stops it)`);
}
