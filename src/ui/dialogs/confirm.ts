// Pause, resume and reboot: the command runs on y, or (reboot) once the umid is typed.
import type { DialogEnv } from './env.js';
import { runCommand, typedUmid } from './env.js';
import type { ConfirmPrompt } from './types.js';

export function submitConfirm(env: DialogEnv, d: ConfirmPrompt): void {
  if (d.stage === 'typed' && typedUmid(env, d)) runCommand(env, d, d.command);
}

export function confirmConfirm(env: DialogEnv, d: ConfirmPrompt): void {
  if (d.stage === 'confirm') runCommand(env, d, d.command);
}
