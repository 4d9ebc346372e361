// The action table's part that acts on the selected instance (local ones only, `local`): memory,
// the mconsole command line, sysrq, crash bundles, the guest's console, disks, tasks and log,
// pause, reboot, the shutdown ladder.
import { adviceText, type HostHeadroom } from '../../state/advice.js';
import { sanitize, sanitizeLine } from '../../text/sanitize.js';
import type { Action, ActionContext } from './action.js';

export const INSTANCE_ACTIONS: Action[] = [
  {
    id: 'memory.hotplug',
    keys: ['m'],
    description: 'Memory hotplug of the selected instance: -64M takes, +64M gives back',
    scopes: ['main'],
    local: true,
    footer: 'memory',
    write: true,
    run: (c) => openOn(c, 'mem'),
  },
  {
    id: 'memory.advice',
    keys: ['A'],
    description: "Apply the selected instance's memory advice: the hotplug dialog with its +N or −N typed in",
    scopes: ['main'],
    local: true,
    footer: 'advice',
    write: true,
    run: (c) => {
      const s = c.selected();
      const d = s ? c.advice().get(s.key) : undefined;
      if (!s?.live || !d) c.dispatch({ type: 'flash', text: 'select a running instance first' });
      else if (d.action === 'hold') c.dispatch({ type: 'flash', text: sanitizeLine(`${s.umid}: hold — ${d.reason}`) });
      else
        c.dispatch({
          type: 'dialog-open',
          dialog: { kind: 'mem', key: s.key, umid: s.umid, stage: 'input', input: adviceText(d) },
        });
    },
  },
  {
    id: 'memory.advice-fleet',
    keys: ['W'],
    description: "Where memory is needed: every guest's pressure and advice, and the host's headroom",
    scopes: ['main'],
    run: (c) => {
      const lines = [...c.advice().values()].map(
        (d) =>
          `${d.umid.padEnd(16)} ${(d.signals.pressure ?? '-').padEnd(7)} ${(adviceText(d) || 'hold').padStart(6)}  ${d.reason}`,
      );
      c.dispatch({
        type: 'output-show',
        output: {
          title: 'memory advice (A on a row of the table applies it)',
          text: sanitize(
            `${headroomText(c.headroom())}\n\n${'UMID'.padEnd(16)} ${'MEMP'.padEnd(7)} ${'ADVICE'.padStart(6)}  WHY\n${lines.join('\n')}\n`,
            { multiline: true },
          ),
          complete: true,
        },
      });
    },
  },
  {
    id: 'command.open',
    keys: [':'],
    description: 'mconsole command line (with history): proc, stack PID, log TEXT, config, remove…',
    scopes: ['main'],
    local: true,
    footer: 'cmd',
    run: (c) => openOn(c, 'command'),
  },
  {
    id: 'sysrq.open',
    keys: ['S'],
    description: 'sysrq menu: the letters the guest supports, output captured into a pane',
    scopes: ['main'],
    local: true,
    footer: 'sysrq',
    run: (c) => {
      openOn(c, 'sysrq');
      const s = c.selected();
      if (s?.live) c.loadSysrqLetters(s.key);
    },
  },
  {
    id: 'instance.bundle',
    keys: ['B'],
    description: 'Crash bundle: guest dumps, host threads and history into one directory',
    scopes: ['main'],
    local: true,
    footer: 'bundle',
    run: (c) => {
      const s = c.selected();
      if (s) {
        c.bundle(s.key);
        c.dispatch({ type: 'flash', text: `collecting a crash bundle for ${s.umid}…` });
      }
    },
  },
  {
    id: 'guest.console',
    keys: ['a'],
    description: "Attach to the guest's console (the terminal handed to its pts line); ctrl-] comes back",
    scopes: ['main'],
    local: true,
    footer: 'console',
    write: true,
    run: (c) => onLive(c, () => c.guest('console')),
  },
  {
    id: 'guest.disks',
    keys: ['d'],
    description: 'Disks of the selected guest: add ubdN FILE, remove ubdN (checked first, verified in its diskstats)',
    scopes: ['main'],
    local: true,
    write: true,
    run: (c) => onLive(c, () => c.guest('disks')),
  },
  {
    id: 'guest.tasks',
    keys: ['t'],
    description: "The guest's tasks (sysrq t): uninterruptible (D) first, searchable",
    scopes: ['main'],
    local: true,
    footer: 'tasks',
    run: (c) => onLive(c, () => c.guest('tasks')),
  },
  {
    id: 'guest.log',
    keys: ['L'],
    description: "The guest's console log, followed (when its console goes to a file), searchable",
    scopes: ['main'],
    local: true,
    // a host file: an unresponsive guest's console is the one most worth reading
    run: (c) =>
      c.selected()?.kernelRuns
        ? c.guest('log')
        : c.dispatch({ type: 'flash', text: 'select an instance whose kernel runs first' }),
  },
  {
    id: 'instance.pause',
    keys: ['z'],
    description: "Pause / resume the selected instance (mconsole 'stop' / 'go')",
    scopes: ['main'],
    local: true,
    write: true,
    run: (c) => {
      const s = c.selected();
      if (s?.live)
        c.dispatch({
          type: 'dialog-open',
          dialog: {
            kind: 'confirm',
            key: s.key,
            umid: s.umid,
            stage: 'confirm',
            command: c.selectedPaused() ? 'go' : 'stop',
          },
        });
      else c.dispatch({ type: 'flash', text: 'select a running instance first' });
    },
  },
  {
    id: 'instance.reboot',
    keys: ['R'],
    description: 'Reboot the selected instance (type its umid to confirm)',
    scopes: ['main'],
    local: true,
    write: true,
    dangerous: true,
    run: (c) => {
      const s = c.selected();
      if (s?.live)
        c.dispatch({
          type: 'dialog-open',
          dialog: { kind: 'confirm', key: s.key, umid: s.umid, stage: 'typed', command: 'reboot' },
        });
    },
  },
  {
    id: 'instance.shutdown',
    keys: ['X'],
    description: 'Shutdown ladder for a wedged guest: cad → halt → SIGTERM → SIGKILL, each confirmed',
    scopes: ['main'],
    local: true,
    write: true,
    dangerous: true,
    run: (c) => {
      const s = c.selected();
      if (s)
        c.dispatch({
          type: 'dialog-open',
          dialog: { kind: 'ladder', key: s.key, umid: s.umid, stage: 'typed', step: 0, log: [] },
        });
    },
  },
];

/** The host's side of the advice, in one line. */
export function headroomText(h: HostHeadroom): string {
  const mib = (kib: number | undefined) => (kib === undefined ? '?' : `${Math.round(kib / 1024)} MiB`);
  const spare =
    h.spareKiB === undefined ? '' : h.spareKiB >= 0 ? `, ${mib(h.spareKiB)} over it` : `, ${mib(-h.spareKiB)} UNDER it`;
  const psi = h.psiSome === undefined ? '' : `; PSI memory some ${h.psiSome}% full ${h.psiFull}% (avg10)`;
  const held = h.untouchedKiB >= 1024 ? `, hold ${mib(h.untouchedKiB)} not yet touched` : '';
  return `host: ${mib(h.availableKiB)} available, reserve ${mib(h.reserveKiB)}${spare}; the guests could grow by ${mib(h.growableKiB)} (unplugged by umltop)${held}${psi}`;
}

function onLive(c: ActionContext, run: () => void): void {
  if (c.selected()?.live) run();
  else c.dispatch({ type: 'flash', text: 'select a running instance first' });
}

function openOn(c: ActionContext, kind: 'mem' | 'command' | 'sysrq'): void {
  const s = c.selected();
  if (s?.live) c.dispatch({ type: 'dialog-open', dialog: { kind, key: s.key, umid: s.umid, stage: 'input' } });
  else c.dispatch({ type: 'flash', text: 'select a running instance first' });
}
