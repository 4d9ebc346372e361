// The nice value a TUI started from this process should run at (src/runtime/priority.ts): one it
// inherited is kept; from 0 it raises itself to -5 when it may (CAP_SYS_NICE, bit 23 of the
// effective set: a container's root may lack it), else it stays at 0 and says why.
import fs from 'node:fs';
import os from 'node:os';

export function expectedNice(): { value: number; note: string } {
  const inherited = os.getPriority();
  const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]}`);
  if (inherited !== 0)
    return { value: inherited, note: `running at nice ${inherited}, as started (config nice sets one)` };
  if (capEff & (1n << 23n))
    return { value: -5, note: 'running at nice -5 (was 0): keys answered on a busy host; config nice = 0 keeps 0' };
  return { value: 0, note: 'running at nice 0: nice -5 needs root or CAP_SYS_NICE' };
}
