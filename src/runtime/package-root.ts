// umltop's package directory (where package.json, bin/ and scripts/ are), found from this
// module's own location: the same from dist/<dir>/x.js and from the bundle's chunks in dist/bundle/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if (
        (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'umltop'
      ) {
        root = dir;
        return dir;
      }
    } catch {
      /* not here */
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('umltop: cannot find its own package.json');
    dir = up;
  }
}
