// A guest's console lines and what each is connected to, from `config conN` / `config sslN`:
// `null`, `fd:1`, `pty`, `pts` (configured, not opened by the guest yet), `pts:/dev/pts/N` (a line
// the guest opened, which a person can attach to). `config conN=pts` switches a line the guest
// has not opened (the kernel refuses one it has: "Device is already open").
import type { MconsoleClient } from '../mconsole/client.js';
import { isMcError } from '../mconsole/errors.js';

export interface ConsoleLine {
  line: string;
  channel: string;
  /** The pts a person can attach to, when the line is on one the guest opened. */
  pts?: string;
}

/** How many lines of each kind are listed (UML has 16 con and 64 ssl; a named one is always asked). */
export const LINES = { con: 8, ssl: 8 };

export async function consoleLines(client: MconsoleClient, wanted?: string): Promise<ConsoleLine[]> {
  const names = [
    ...Array.from({ length: LINES.con }, (_, i) => `con${i}`),
    ...Array.from({ length: LINES.ssl }, (_, i) => `ssl${i}`),
  ];
  if (wanted && !names.includes(wanted)) names.push(wanted);
  const out: ConsoleLine[] = [];
  for (const line of names) {
    try {
      const r = await client.request(`config ${line}`, { allowErr: true });
      if (!r.ok) continue; // no such line in this kernel
      const channel = r.text.trim() || 'none';
      const pts = /^pts:(\/dev\/pts\/\d+)$/.exec(channel)?.[1];
      out.push({ line, channel, ...(pts ? { pts } : {}) });
    } catch (e) {
      if (isMcError(e) && e.kind === 'gone') throw e;
    }
  }
  return out;
}

/** The line to attach to: the one named, else the first on a pts the guest opened. */
export function pickLine(lines: ConsoleLine[], wanted?: string): ConsoleLine | undefined {
  if (wanted) return lines.find((l) => l.line === wanted);
  return lines.find((l) => l.pts);
}

/** A line worth offering to switch to pts: the one named, else the first con line after con0 that is not on one. */
export function switchCandidate(lines: ConsoleLine[], wanted?: string): ConsoleLine | undefined {
  if (wanted) return lines.find((l) => l.line === wanted && !l.pts);
  return lines.find((l) => l.line.startsWith('con') && l.line !== 'con0' && !l.channel.startsWith('pts'));
}

/** What the guest's refusal of `config LINE=pts` means. */
export function explainSwitchError(line: string, text: string): string {
  if (/already open|currently open/i.test(text))
    return `${line} is open in the guest: it cannot be switched while the guest uses it`;
  return `the guest refused to switch ${line}: ${text}`;
}

export function describeLines(lines: ConsoleLine[]): string {
  return lines.map((l) => `  ${l.line.padEnd(6)} ${l.channel}`).join('\n');
}
