// The disk dialog: 'add ubdN FILE [ro]' or 'remove ubdN' typed, checked by the controller (Enter:
// the file, who uses it, the slot), done on y and verified in the guest's diskstats.
import type { DialogEnv } from './env.js';
import { update } from './env.js';
import type { DiskPrompt, SwitchPrompt } from './types.js';

export function submitDisk(env: DialogEnv, d: DiskPrompt): void {
  const guest = env.controller.guest;
  if (d.stage !== 'input' || !guest || !d.input.trim()) return;
  update(env, d, (cur) => ({ ...cur, stage: 'planning', error: undefined }));
  void guest
    .diskPlan(d.key, d.input)
    .then((r) =>
      update(env, d, (cur) =>
        r.ok ? { ...cur, stage: 'confirm', message: r.message } : { ...cur, stage: 'input', error: r.error },
      ),
    );
}

export function confirmDisk(env: DialogEnv, d: DiskPrompt): void {
  const guest = env.controller.guest;
  if (d.stage !== 'confirm' || !guest) return;
  update(env, d, (cur) => ({ ...cur, stage: 'running' }));
  void guest
    .diskRun(d.key)
    .then((r) =>
      update(env, d, (cur) => ({ ...cur, stage: 'done', message: r.message, error: r.ok ? undefined : r.message })),
    );
}

/** y on the offer to switch a console line to a pts. */
export function confirmSwitch(env: DialogEnv, d: SwitchPrompt): void {
  if (d.stage !== 'confirm') return;
  update(env, d, (cur) => ({ ...cur, stage: 'running' }));
  void env.controller.runCommand(d.key, `config ${d.line}=pts`).then((r) =>
    update(env, d, (cur) => ({
      ...cur,
      stage: 'done',
      message: r.ok
        ? `${d.line} is on a pts now: once the guest opens it (a getty or a shell on its tty), a attaches`
        : /already open|currently open/i.test(r.text)
          ? `${d.line} is open in the guest: it cannot be switched while the guest uses it`
          : `the guest refused: ${r.text}`,
      error: r.ok ? undefined : r.text,
    })),
  );
}
