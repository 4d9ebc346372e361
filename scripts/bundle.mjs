// dist/ (from tsc) → dist/bundle/umltop.mjs (+ chunks): umltop, Ink and React in one ESM file, which bin/umltop
// loads. Measured: importing Ink and React from node_modules took ~650 ms (hundreds of modules to
// resolve and link), from one bundled file ~165 ms; start-up to the first frame is the difference.
// Native and optional modules stay outside.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

// Two of Ink's modules are replaced by umltop's (src/ui/ink-output.ts, src/ui/ink-measure-text.ts,
// where the reasons and the measurements are), and every string-width in the tree (widest-line and
// wrap-ansi bring older copies) is the vendored one with the fast path.
const inkSwaps = {
  name: 'ink-swaps',
  setup(b) {
    const swaps = { './output.js': 'dist/ui/ink-output.js', './measure-text.js': 'dist/ui/ink-measure-text.js' };
    b.onResolve({ filter: /^\.\/(output|measure-text)\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: path.join(root, swaps[args.path]) } : undefined,
    );
  },
};
fs.rmSync(path.join(root, 'dist/bundle'), { recursive: true, force: true });
await build({
  entryPoints: { umltop: path.join(root, 'dist/cli/main.js') },
  // What start-up does not need (the config schema library, the Prometheus exporter, ...) is
  // imported dynamically: split into chunks, it is not parsed unless used. React's CommonJS
  // packages carry development and production builds chosen at run time: only production is kept
  // (bin/umltop sets NODE_ENV for the same reason). The chunk the TUI loads: 2.1 MB -> 0.6 MB.
  outdir: path.join(root, 'dist/bundle'),
  splitting: true,
  outExtension: { '.js': '.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // V8 keeps the bundle's source in memory: pure ASCII is stored one byte per character (a single
  // '·' anywhere makes it two), and without comments and whitespace it is 2.1 MB instead of 2.9
  // (measured on the one-file bundle: 5.8 -> 2.2 MB of heap). Identifiers stay readable for stack traces.
  charset: 'ascii',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  external: ['unix-dgram', 'systeminformation', 'node-pty'],
  plugins: [inkSwaps],
  alias: {
    'string-width': path.join(root, 'vendor/string-width-memo/index.js'),
    'react-devtools-core': path.join(root, 'scripts/bundle-stubs/react-devtools-core.mjs'),
  },
  // CommonJS dependencies (React) call require(): give the bundle one.
  banner: {
    js: "import { createRequire as __umltopRequire } from 'node:module'; const require = __umltopRequire(import.meta.url);",
  },
});
