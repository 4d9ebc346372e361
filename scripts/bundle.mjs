// dist/ (from tsc) → dist/umltop.mjs: one ESM file with umltop, Ink and React, which bin/umltop
// loads. Measured: importing Ink and React from node_modules took ~650 ms (hundreds of modules to
// resolve and link), from one bundled file ~165 ms; start-up to the first frame is the difference.
// Native and optional modules stay outside.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
await build({
  entryPoints: [path.join(root, 'dist/cli/main.js')],
  outfile: path.join(root, 'dist/umltop.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['unix-dgram', 'systeminformation', 'node-pty'],
  alias: { 'react-devtools-core': path.join(root, 'scripts/bundle-stubs/react-devtools-core.mjs') },
  // CommonJS dependencies (React) call require(): give the bundle one.
  banner: { js: "import { createRequire as __umltopRequire } from 'node:module'; const require = __umltopRequire(import.meta.url);" },
});
