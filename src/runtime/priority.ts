// The TUI's scheduling priority. A host whose guests hold every core (three flooding guests on 2
// cores, bench section 8) made keys wait for the scheduler more than for umltop's own work; as
// atop does, the TUI asks for a higher priority when it may. It uses a few % of a core, so the
// weight only matters while the host is contended.
import os from 'node:os';

/** The TUI's nice value when none is configured and it inherited the default (0). */
export const DEFAULT_TUI_NICE = -5;

export interface PriorityApi {
  get(): number;
  set(nice: number): void;
}

export const processPriority: PriorityApi = {
  get: () => os.getPriority(),
  set: (nice) => os.setPriority(nice),
};

/**
 * Set this process's nice value: `wanted` when configured, else DEFAULT_TUI_NICE, but only over
 * the default (an inherited `nice -n 10 umltop` is kept). Returns a line for the help screen.
 */
export function choosePriority(wanted: number | undefined, api: PriorityApi = processPriority): string {
  const was = api.get();
  const target = wanted ?? (was === 0 ? DEFAULT_TUI_NICE : undefined);
  if (target === undefined) return `running at nice ${was}, as started (config nice sets one)`;
  if (target === was) return `running at nice ${was}`;
  try {
    api.set(target);
    return `running at nice ${target} (was ${was}): keys answered on a busy host; config nice = 0 keeps 0`;
  } catch (e) {
    // os.setPriority throws a SystemError: code ERR_SYSTEM_ERROR, the errno's name in info.code
    const code = (e as { info?: { code?: string } }).info?.code ?? (e as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw e;
    return `running at nice ${was}: nice ${target} needs root or CAP_SYS_NICE`;
  }
}
