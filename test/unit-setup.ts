// The unit tier's only set-up: the developer's own ~/.config/umltop must not change what the tests
// see. Nothing is built, booted or installed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-unit-xdg-'));
process.env.XDG_CONFIG_HOME = xdg;
afterAll(() => fs.rmSync(xdg, { recursive: true, force: true }));
