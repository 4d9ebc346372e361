// The memory hotplug dialog: an amount typed, checked by the controller (Enter), done on y.
import type { DialogEnv } from './env.js';
import { update } from './env.js';
import type { MemPrompt } from './types.js';

export function submitMem(env: DialogEnv, d: MemPrompt): void {
  if (d.stage !== 'input') return;
  update(env, d, (cur) => ({ ...cur, stage: 'planning', error: undefined }));
  void env.controller
    .memPlan(d.key, d.input)
    .then((r) =>
      update(env, d, (cur) =>
        r.ok
          ? { ...cur, stage: 'confirm', message: r.message, warning: r.warning }
          : { ...cur, stage: 'input', error: r.error },
      ),
    );
}

export function confirmMem(env: DialogEnv, d: MemPrompt): void {
  if (d.stage !== 'confirm') return;
  update(env, d, (cur) => ({ ...cur, stage: 'running' }));
  const onProgress = (progress: string) => update(env, d, (cur) => ({ ...cur, stage: 'running', progress }));
  void env.controller
    .memRun(d.key, onProgress)
    .then((r) =>
      update(env, d, (cur) => ({ ...cur, stage: 'done', message: r.message, error: r.ok ? undefined : r.message })),
    );
}
