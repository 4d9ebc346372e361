// The path a key takes to its effect is short and one way (ui → actions): `y` on a pause
// confirmation reaches the controller through at most five files of src/, read off the call stack
// at the moment the controller is called.
import { describe, expect, it } from 'vitest';
import type { Controller } from '../../src/actions/controller.js';
import { App } from '../../src/ui/app.js';
import { makeTheme } from '../../src/ui/theme.js';
import { idleController } from '../helpers/controller.js';
import { fixtureStore } from '../helpers/fixture-store.js';
import { render } from '../helpers/ink-render.js';
import { waitFor } from '../helpers/wait.js';

/** The src/ files on a stack, innermost last (the order calls were made in). */
function srcFiles(stack: string): string[] {
  const files = [...stack.matchAll(/\/src\/([\w/.-]+\.tsx?)/g)].map((m) => m[1]!);
  return [...new Set(files)].reverse();
}

describe('the key path', () => {
  it('y on a pause confirmation reaches the controller through at most five files, ui then actions', async () => {
    let stack: string | undefined;
    const controller: Controller = {
      ...idleController,
      runCommand: async () => {
        stack = new Error('reached').stack;
        return { ok: true, text: '', complete: true };
      },
    };
    const { store } = fixtureStore();
    const key = [...store.records.keys()][0]!;
    const dialog = {
      id: 1,
      kind: 'confirm',
      key,
      umid: 'web-1',
      input: '',
      stage: 'confirm',
      command: 'stop',
    } as const;
    const r = render(
      <App
        store={store}
        columns={120}
        rows={40}
        theme={makeTheme({ color: false, ascii: false })}
        controller={controller}
        initialView={{ dialog }}
      />,
    );
    try {
      r.stdin.write('y');
      await waitFor(() => stack !== undefined, 2000, 'the controller to be called');
      const files = srcFiles(stack!);
      expect(files).toEqual(['ui/use-keys.ts', 'ui/app.tsx', 'ui/dialogs/index.ts', 'ui/dialogs/confirm.ts']);
      // and the controller itself (actions/instance-actions.ts in the binary): five files
      expect(files.length + 1).toBeLessThanOrEqual(5);
    } finally {
      r.unmount();
    }
  });
});
