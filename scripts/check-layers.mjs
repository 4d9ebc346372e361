// The house's two structural rules, checked by `npm run lint` (and so by `npm test`):
// 1. src/ is layered: a folder imports only folders listed before it (CONTRIBUTING.md explains
//    each), so no two folders import each other and data and keys flow one way.
// 2. The unit tier needs nothing set up: a test file not named *.integration.test.* or
//    *.e2e.test.* imports no helper that boots a kernel, runs the binary or drives a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const LAYERS = [
  'types',
  'text',
  'runtime',
  'mconsole',
  'console',
  'demo',
  'collectors',
  'state',
  'exporter',
  'recording',
  'actions',
  'ui',
  'config',
  'remote',
  'cli',
];

const HEAVY_HELPERS = /helpers\/(uml-fleet|run-cli|tmux|prometheus|sshd)\.js$|(^|\/)(dist|bin)\//;
const HEAVY_FILE = /\.(integration|e2e)\.test\.tsx?$/;

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Relative module specifiers of a file: static imports, re-exports and dynamic import(). */
function specifiers(text) {
  const out = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm))
    out.push(m[1] ?? m[2]);
  return out;
}

export function layerViolations(root) {
  const problems = [];
  const src = path.join(root, 'src');
  for (const file of walk(src)) {
    const from = path.relative(src, file).split(path.sep)[0];
    const i = LAYERS.indexOf(from);
    if (i < 0) {
      problems.push(`src/${from}: a folder not in the layer list (scripts/check-layers.mjs, CONTRIBUTING.md)`);
      continue;
    }
    for (const spec of specifiers(fs.readFileSync(file, 'utf8'))) {
      const target = path.relative(src, path.resolve(path.dirname(file), spec));
      if (target.startsWith('..')) continue;
      const to = target.split(path.sep)[0];
      if (to === from || !target.includes(path.sep)) continue;
      const j = LAYERS.indexOf(to);
      if (j > i)
        problems.push(`${path.relative(root, file)} imports ${spec}: ${from} may not import ${to} (a later layer)`);
    }
  }
  return problems;
}

export function unitTierViolations(root) {
  const problems = [];
  for (const file of walk(path.join(root, 'test'))) {
    if (!/\.test\.tsx?$/.test(file) || HEAVY_FILE.test(file)) continue;
    for (const spec of specifiers(fs.readFileSync(file, 'utf8')))
      if (HEAVY_HELPERS.test(spec))
        problems.push(
          `${path.relative(root, file)} imports ${spec}: a unit test sets nothing up (name it *.integration.test.ts)`,
        );
  }
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(import.meta.dirname, '..');
  const problems = [...layerViolations(root), ...unitTierViolations(root)];
  for (const p of problems) process.stderr.write(`check-layers: ${p}\n`);
  process.exit(problems.length ? 1 : 0);
}
