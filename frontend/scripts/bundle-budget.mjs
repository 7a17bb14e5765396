// Reports the gzip size of the JavaScript a first visit loads (the entry script and the chunks it
// preloads) and fails the build when it exceeds the budget.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');

if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) {
  process.stderr.write('index.html contains an inline script; the Content-Security-Policy forbids it.\n');
  process.exit(1);
}

const initial = new Set();
for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) initial.add(match[1]);
for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) initial.add(match[1]);

if (initial.size === 0) {
  process.stderr.write('No entry script found in dist/index.html.\n');
  process.exit(1);
}

let totalBytes = 0;
for (const src of initial) {
  const bytes = gzipSync(readFileSync(join(dist, src.replace(/^\//, ''))), { level: 9 }).length;
  totalBytes += bytes;
  process.stdout.write(`  ${src}  ${(bytes / 1024).toFixed(1)} KB gzip\n`);
}

const totalKb = totalBytes / 1024;
process.stdout.write(`Initial JS: ${totalKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)\n`);
if (totalKb > BUDGET_KB) {
  process.stderr.write(`Initial JS is over the ${BUDGET_KB} KB budget.\n`);
  process.exit(1);
}
