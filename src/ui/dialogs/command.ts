// The mconsole command line and the sysrq menu: reads run at once, a write only where the keymap
// allows writes, a dangerous command once the umid is typed.
import { commandRisk, SYSRQ } from '../../actions/commands.js';
import type { DialogEnv } from './env.js';
import { runCommand } from './confirm.js';
import { typedUmid, update } from './env.js';
import type { CommandPrompt, SysrqPrompt } from './types.js';

export function submitCommand(env: DialogEnv, d: CommandPrompt | SysrqPrompt): void {
  if (d.stage === 'typed') {
    if (typedUmid(env, d)) runCommand(env, d, d.command);
    return;
  }
  const text = d.input.trim();
  if (!text) return;
  const command = d.kind === 'sysrq' ? `sysrq ${text[0]}` : text;
  if (d.kind === 'command') env.dispatch({ type: 'history-add', command });
  const refuse = (error: string) => update(env, d, (cur) => ({ ...cur, error, input: '' }));
  if (d.kind === 'sysrq' && !(d.letters ?? SYSRQ).some((x) => x.letter === text[0])) {
    refuse(`'${text[0]}' is not a sysrq letter ${d.letters ? 'this guest supports' : 'umltop knows'}`);
    return;
  }
  const risk = commandRisk(command);
  if (!env.keymap.writes && risk !== 'read') {
    refuse(`read-only: '${command}' writes to the instance`);
    return;
  }
  if (risk === 'dangerous') {
    update(env, d, (cur) => ({ ...cur, stage: 'typed', command, input: '', error: undefined }));
  } else {
    runCommand(env, d, command);
  }
}
