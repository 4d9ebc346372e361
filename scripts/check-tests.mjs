// Checks in `npm run lint` that keep tests able to fail (issue 26):
// - an error swallowed in a test (`.catch(() => x)` with a constant, an empty `catch {}`) unless
//   the line or the one above says why with `expected:` (a helper polling for readiness, say);
// - an `it(...)` whose body asserts nothing: no expect, assert, waitFor (which throws naming what
//   never happened), toThrow/rejects, or a helper of the test's own named expect*/assert*.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'fixtures' ? [] : files(p);
    return /\.(ts|tsx)$/.test(d.name) ? [p] : [];
  });
}

const SWALLOW = [
  /\.catch\(\s*\(\)\s*=>\s*(undefined|null|''|""|\[\]|\{\}|false|true|0)\s*\)/,
  /\bcatch\s*(\([^)]*\))?\s*\{\s*\}/,
  /\bcatch\s*(\([^)]*\))?\s*\{\s*\/[/*][^\n]*\n?\s*\}/,
];
const ASSERTS = /\bexpect\b|\bassert|\bwait[A-Z]\w*\(|toThrow|\.rejects|\bexpect[A-Z]\w*\(|\bassert[A-Z]\w*\(/;

/** The text of the call that opens at `from` (its parenthesis), by bracket counting outside strings. */
function callText(src, from) {
  let depth = 0;
  let quote = null;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return src.slice(from, i + 1);
  }
  return src.slice(from);
}

export function checkTests(dir = path.join(root, 'test')) {
  const problems = [];
  for (const file of files(dir)) {
    const src = fs.readFileSync(file, 'utf8');
    const lines = src.split('\n');
    const rel = path.relative(root, file);
    for (const re of SWALLOW) {
      for (const m of src.matchAll(new RegExp(re.source, 'g'))) {
        const line = src.slice(0, m.index).split('\n').length;
        const said = `${lines[line - 2] ?? ''}\n${lines.slice(line - 1, line + 1).join('\n')}`;
        if (!/expected:/.test(said))
          problems.push(`${rel}:${line}: an error swallowed in a test (say why with "expected:", or let it fail)`);
      }
    }
    if (!/\.test\.tsx?$/.test(file)) continue;
    for (const m of src.matchAll(/\bit(\.each\([^)]*\))?\(\s*(['"`])/g)) {
      const body = callText(src, m.index + m[0].indexOf('('));
      if (!ASSERTS.test(body)) {
        const line = src.slice(0, m.index).split('\n').length;
        problems.push(`${rel}:${line}: a test that asserts nothing`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const problems = checkTests();
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`check-tests: ${problems.length} problem(s)`);
    process.exit(1);
  }
}
