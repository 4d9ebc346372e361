// What each mconsole command does to an instance, so umltop knows which ones write (journal,
// --read-only) and which need the umid typed to confirm. Pure.

export type Risk = 'read' | 'write' | 'dangerous';

/** The sysrq letters of Linux, with what they do; `risk` decides confirmation. */
export const SYSRQ: Array<{ letter: string; description: string; risk: Risk }> = [
  { letter: 'h', description: 'help: list the letters this kernel supports', risk: 'read' },
  { letter: 't', description: 'dump every task and its stack', risk: 'read' },
  { letter: 'w', description: 'dump blocked (uninterruptible) tasks', risk: 'read' },
  { letter: 'm', description: 'dump memory information', risk: 'read' },
  { letter: 'l', description: 'backtrace of all active CPUs', risk: 'read' },
  { letter: 'p', description: 'dump registers and flags', risk: 'read' },
  { letter: 'q', description: 'dump armed timers', risk: 'read' },
  { letter: 'd', description: 'show all locks held', risk: 'read' },
  { letter: 'z', description: 'dump the ftrace buffer', risk: 'read' },
  { letter: '9', description: 'console log level 9 (all messages, so dumps come back whole)', risk: 'write' },
  { letter: '7', description: 'console log level 7', risk: 'write' },
  { letter: '4', description: 'console log level 4', risk: 'write' },
  { letter: 's', description: 'sync all mounted filesystems', risk: 'write' },
  { letter: 'u', description: 'remount all filesystems read-only', risk: 'dangerous' },
  { letter: 'j', description: 'thaw frozen filesystems', risk: 'write' },
  { letter: 'f', description: 'call the OOM killer (kills a process)', risk: 'dangerous' },
  { letter: 'e', description: 'SIGTERM every process but init', risk: 'dangerous' },
  { letter: 'i', description: 'SIGKILL every process but init', risk: 'dangerous' },
  { letter: 'k', description: 'secure attention key: kill everything on the console', risk: 'dangerous' },
  { letter: 'n', description: 'make real-time tasks nice-able', risk: 'write' },
  { letter: 'r', description: 'keyboard out of raw mode', risk: 'write' },
  { letter: 'c', description: 'crash the kernel (panic)', risk: 'dangerous' },
  { letter: 'b', description: 'reboot at once, no sync, no unmount', risk: 'dangerous' },
  { letter: 'o', description: 'power off at once', risk: 'dangerous' },
  { letter: 'R', description: 'replay the kernel log on the consoles', risk: 'read' },
];

/** How risky a raw mconsole command line is. */
export function commandRisk(command: string): Risk {
  const [word = '', arg = ''] = command.trim().split(/\s+/);
  switch (word) {
    case 'version':
    case 'help':
    case 'proc':
    case 'stack':
      return 'read';
    case 'sysrq':
      return SYSRQ.find((s) => s.letter === arg[0])?.risk ?? (arg ? 'dangerous' : 'read');
    case 'log':
    case 'go':
      return 'write';
    case 'config':
      return /=/.test(command) ? 'dangerous' : 'read'; // `config ubd0` only asks
    case 'halt':
    case 'reboot':
    case 'cad':
    case 'stop':
    case 'remove':
      return 'dangerous';
    default:
      return 'dangerous'; // unknown to umltop: assume the worst
  }
}

/** The shutdown ladder for a wedged guest, gentlest first. */
export const LADDER = [
  { step: 'cad', what: "mconsole 'cad' (ctrl-alt-del: the guest's init decides; by default it reboots)" },
  { step: 'halt', what: "mconsole 'halt' (the kernel stops at once: no sync, no unmount)" },
  { step: 'SIGTERM', what: 'SIGTERM to the kernel process on the host (UML exits and removes its umid dir)' },
  { step: 'SIGKILL', what: 'SIGKILL to every host process of the instance (leaves its umid dir behind)' },
] as const;
export type LadderStep = (typeof LADDER)[number]['step'];

export interface SysrqLetter {
  letter: string;
  name: string;
  description: string;
  risk: Risk;
}

/**
 * The letters a guest kernel supports, from its own help line
 * ("sysrq: HELP : loglevel(0-9) reboot(b) crash(c) ... replay-kernel-logs(R)"), described.
 */
export function parseSysrqHelp(text: string): SysrqLetter[] {
  const out: SysrqLetter[] = [];
  for (const m of text.matchAll(/([A-Za-z][\w-]*)\(([0-9A-Za-z](?:-[0-9])?)\)/g)) {
    const [, name, key] = m as unknown as [string, string, string];
    const letters = /^\d-\d$/.test(key)
      ? Array.from({ length: Number(key[2]) - Number(key[0]) + 1 }, (_, i) => String(Number(key[0]) + i))
      : [key];
    for (const letter of letters) {
      const known = SYSRQ.find((s) => s.letter === letter);
      out.push({
        letter,
        name: /^\d$/.test(letter) ? `loglevel ${letter}` : name,
        description:
          known?.description ?? (/^\d$/.test(letter) ? `console log level ${letter}` : name.replace(/-/g, ' ')),
        risk: known?.risk ?? (/^\d$/.test(letter) ? 'write' : 'dangerous'),
      });
    }
  }
  return out;
}
