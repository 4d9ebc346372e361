// dist/ (from tsc) → dist/bundle/umltop.mjs (+ chunks): umltop, Ink and React in ESM files that
// bin/umltop loads (one bundle starts much faster than hundreds of modules: README, Dependencies).
// Ink's Output, measureText, is-in-ci and restore-cursor are swapped for the fork's (src/ui/ink-fork/); the step fails when
// Ink is not the version the fork was checked against or a swap did not happen.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** `outdir`, `extraSwaps` and `ink` (the installed version) are for the tests of the checks. */
export async function bundle({ outdir = path.join(root, 'dist/bundle'), extraSwaps = {}, ink = installedInk() } = {}) {
  const { INK_VERSION, INK_SWAPS } = await import(pathToFileURL(path.join(root, 'dist/ui/ink-fork/upstream.js')).href);
  if (ink !== INK_VERSION) {
    throw new Error(
      `ink ${ink} is installed, the fork in src/ui/ink-fork/ was checked against ${INK_VERSION}: re-check each of its files against the upstream file its header names, then change upstream.ts`,
    );
  }
  const swaps = { ...INK_SWAPS, ...extraSwaps };
  const swapped = new Set();
  const inkSwaps = {
    name: 'ink-swaps',
    setup(b) {
      b.onResolve({ filter: /^(\.\/[a-z-]+\.js|is-in-ci|restore-cursor)$/ }, (args) => {
        if (!swaps[args.path] || !/[\\/](ink[\\/]build|cli-cursor)[\\/]/.test(args.importer)) return undefined;
        swapped.add(args.path);
        return { path: path.join(root, swaps[args.path]) };
      });
    },
  };
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: {
      umltop: path.join(root, 'dist/cli/main.js'),
      'ink-fork-check': path.join(root, 'dist/ui/ink-fork/self-check.js'),
    },
    // What start-up does not need (the config schema library, the Prometheus exporter, ...) is
    // imported dynamically: split into chunks, it is not parsed unless used. React's CommonJS
    // packages carry development and production builds chosen at run time: only production is
    // kept (bin/umltop sets NODE_ENV for the same reason).
    outdir,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    define: { 'process.env.NODE_ENV': '"production"' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // V8 keeps the bundle's source in memory: pure ASCII is stored one byte per character, and
    // without comments and whitespace it is smaller still. Identifiers stay readable for stack traces.
    charset: 'ascii',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    external: ['unix-dgram', 'systeminformation', 'node-pty'],
    plugins: [inkSwaps],
    alias: { 'react-devtools-core': path.join(root, 'scripts/bundle-stubs/react-devtools-core.mjs') },
    // CommonJS dependencies (React) call require(): give the bundle one.
    banner: {
      js: "import { createRequire as __umltopRequire } from 'node:module'; const require = __umltopRequire(import.meta.url);",
    },
  });
  const missing = Object.keys(swaps).filter((s) => !swapped.has(s));
  if (missing.length) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw new Error(`no Ink module imports ${missing.join(', ')}: the swap did not happen (did Ink's files change?)`);
  }
}

function installedInk() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/ink/package.json'), 'utf8')).version;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await bundle();
  } catch (e) {
    const errors = e.errors?.map((x) => x.text).join('\n') ?? e.message;
    process.stderr.write(`scripts/bundle.mjs: ${errors}\n`);
    process.exit(1);
  }
}
