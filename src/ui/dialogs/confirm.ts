// Pause, resume and reboot: the command runs on y, or (reboot) once the umid is typed.
import type { DialogEnv } from './env.js';
import { typedUmid, update } from './env.js';
import type { ConfirmPrompt, Prompt } from './types.js';

export function submitConfirm(env: DialogEnv, d: ConfirmPrompt): void {
  if (d.stage === 'typed' && typedUmid(env, d)) runCommand(env, d, d.command);
}

export function confirmConfirm(env: DialogEnv, d: ConfirmPrompt): void {
  if (d.stage === 'confirm') runCommand(env, d, d.command);
}

/** Run an mconsole command for the dialog: a reply with text opens the output pane, else the result is shown. */
export function runCommand(env: DialogEnv, d: Prompt, command: string): void {
  update(env, d, (cur) => ({ ...cur, stage: 'running', input: '' }) as Prompt);
  void env.controller.runCommand(d.key, command).then((r) => {
    if (r.text.trim() === '' || !r.ok) {
      const message = r.ok ? `${command}: OK` : `${command}: ${r.text}`;
      update(env, d, (cur) => ({ ...cur, stage: 'done', message, error: r.ok ? undefined : r.text }) as Prompt);
    } else {
      env.dispatch({ type: 'dialog-close', force: true });
      env.dispatch({
        type: 'output-show',
        output: { title: `${d.umid}: ${command}`, text: r.text, complete: r.complete, note: r.note },
      });
    }
  });
}
