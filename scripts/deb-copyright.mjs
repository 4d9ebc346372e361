// debian/copyright (machine-readable, DEP-5) for scripts/package-deb.sh: umltop's own licence, the
// Node.js runtime it carries (its LICENSE, which holds the licences of what node embeds, ships
// beside this file), and every production dependency in the bundle with its licence as its
// package.json states it. Usage: node scripts/deb-copyright.mjs NODE_VERSION NODE_LICENSE_PATH
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const nodeVersion = process.argv[2] ?? process.version;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const dirs = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n')
  .filter((d) => d !== root);
const deps = [
  ...new Map(
    dirs.map((d) => {
      const p = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8'));
      return [`${p.name}@${p.version}`, typeof p.license === 'string' ? p.license : (p.license?.type ?? 'see package')];
    }),
  ),
].sort(([a], [b]) => a.localeCompare(b));

/** A licence text as a DEP-5 continuation: each line indented, blank lines as " .". */
const body = (text) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => (l.trim() === '' ? ' .' : ` ${l}`))
    .join('\n');

const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

const nodeLicenceFile = process.argv[3] ?? '/usr/share/doc/umltop/LICENSE.nodejs.gz';

process.stdout.write(
  [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    `Upstream-Name: ${pkg.name}`,
    '',
    'Files: *',
    'Copyright: 2025-2026 umltop authors',
    `License: ${pkg.license}`,
    '',
    'Files: usr/lib/umltop/node',
    `Comment: Node.js ${nodeVersion}, as built by the Node.js project; the licences of what it embeds follow.`,
    'Copyright: Node.js contributors and the authors of its dependencies',
    'License: Node.js',
    body(
      `Node.js is MIT-licensed; what it embeds (V8, libuv, OpenSSL, ICU, zlib, llhttp and others) each\ncomes under its own licence. The full text of all of them, as the Node.js project ships it, is in\n${nodeLicenceFile}.`,
    ),
    '',
    'Files: usr/lib/umltop/dist/bundle/* usr/lib/umltop/node_modules/*',
    'Copyright: 2025-2026 umltop authors, and the authors of these packages as each states',
    `License: ${pkg.license}`,
    body(
      `umltop's bundle holds these packages (name@version: licence as its package.json states):\n${deps.map(([n, l]) => `  ${n}: ${l}`).join('\n')}`,
    ),
    '',
    'License: MIT',
    body(MIT),
    '',
  ].join('\n'),
);
