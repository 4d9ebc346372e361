// Frame tests of every pane at 80 and 120 columns (ink-testing-library), colour stripped.
import chalk from 'chalk';
import { render } from '../helpers/ink-render.js';
import { describe, expect, it } from 'vitest';
import { CpuPane, cpuOverhead } from '../../src/ui/panes/cpu-pane.js';
import { EventsPane, eventsPaneUnchanged } from '../../src/ui/panes/events-pane.js';
import { Footer } from '../../src/ui/panes/footer.js';
import { Header } from '../../src/ui/panes/header.js';
import { Help } from '../../src/ui/panes/help.js';
import { cellRuns, InstanceTable } from '../../src/ui/panes/instance-table.js';
import { InterruptsPane, irqLines, isStorm } from '../../src/ui/panes/interrupts-pane.js';
import { MemoryPane } from '../../src/ui/panes/memory-pane.js';
import { IoPane, ioLines } from '../../src/ui/panes/io-pane.js';
import { makeTheme } from '../../src/ui/theme.js';
import { fit } from '../../src/ui/widgets/charts.js';
import stringWidth from 'string-width';
import { columnsFor, DROP_ORDER, rowsFor } from '../../src/ui/view-model.js';
import { keyLabel } from '../../src/ui/keys/keymap.js';
import { makeKeymap } from '../../src/ui/keys/keymap.js';
import { ACTIONS } from '../../src/ui/keys/table.js';
import { fixtureStore } from '../helpers/fixture-store.js';

const theme = makeTheme({ color: false, ascii: false });
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const lines = (frame: string | undefined) => strip(frame ?? '').split('\n');
const widthOf = (l: string) => [...l].length;

function rec(umid: string) {
  const { store } = fixtureStore();
  return [...store.records.values()].find((r) => r.umid === umid)!;
}

for (const width of [80, 120]) {
  const half = Math.floor(width / 2);
  describe(`panes at ${width} columns`, () => {
    it('instance table: every instance, states in words, alert markers, nothing wider than the terminal', () => {
      const { store } = fixtureStore();
      const rows = rowsFor(store, { filter: '', sort: 'name', reverse: false });
      const { lastFrame } = render(
        <InstanceTable
          rows={rows}
          selectedKey={rows[0]!.key}
          width={width}
          height={8}
          focused
          sort="name"
          reverse={false}
          theme={theme}
        />,
      );
      const out = lines(lastFrame());
      expect(out[0]).toMatch(/UMID▼ +STATE +HCPU%/);
      expect(
        out
          .slice(1)
          .filter((l) => l.trim())
          .map((l) => l.slice(3).split(/\s+/)[0]),
      ).toEqual(['build-2', 'crashed', 'junk', 'web-1']);
      expect(out[1]!.startsWith('▶')).toBe(true); // selection marker, not colour alone
      expect(out.find((l) => l.includes('crashed'))).toMatch(/^ ! crashed +dead/);
      expect(out.find((l) => l.includes('junk'))).toMatch(/^ \? junk +invalid/);
      expect(out.find((l) => l.includes('build-2'))).toMatch(/running +95\.0 +\d+\.\d/);
      for (const l of out) expect(widthOf(l)).toBeLessThanOrEqual(width);
      if (width === 80) expect(out[0]).not.toMatch(/UPTIME|PID|AGE/);
      else expect(out[0]).toMatch(/UPTIME +PID +AGE/);
    });

    it('CPU pane: host vs guest chart with the overhead ratio', () => {
      const { lastFrame } = render(
        <CpuPane rec={rec('build-2')} width={half} height={9} focused={false} theme={theme} />,
      );
      const out = lines(lastFrame());
      expect(out[1]).toMatch(/CPU · build-2/);
      expect(out[2]).toMatch(
        width === 80
          ? /━ host 95\.0% +━ guest \d+\.\d% +1\.\d\d×/
          : /━ host 95\.0% +━ guest \d+\.\d% +overhead 1\.\d\d×/,
      );
      expect(out.join('\n')).toMatch(/[⠀-⣿]/); // braille line chart
      expect(out.at(-2)).toMatch(/us \d+ sy \d+/);
      for (const l of out) expect(widthOf(l)).toBe(half);
      expect(out).toHaveLength(9);
    });

    it('CPU pane with --ascii: a long overhead note is cut with ASCII, never Ink\'s "…"', () => {
      const idle = {
        ...rec('web-1'),
        host: { ...rec('web-1').host!, cpuPercent: 1.3 },
        guest: { ...rec('web-1').guest!, cpuPercent: 0 },
      };
      const ascii = makeTheme({ color: false, ascii: true });
      const { lastFrame } = render(<CpuPane rec={idle} width={38} height={9} focused={false} theme={ascii} />);
      const out = lines(lastFrame());
      expect(out[2]).toMatch(/^\|h host 1\.3% +g guest 0\.0% +host/);
      expect(out.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
    });

    it('memory pane: meminfo bars, hotplug ledger, host RSS / shmem', () => {
      const { lastFrame } = render(
        <MemoryPane rec={rec('build-2')} width={width - half} height={9} focused theme={theme} />,
      );
      const text = lines(lastFrame()).join('\n');
      expect(text).toMatch(/● Memory · build-2/);
      expect(text).toMatch(/guest +[█▒░]+ 82M/);
      expect(text).toMatch(/avail +[█░▏▎▍▌▋▊▉]+ 37M 45%/);
      expect(text).toMatch(/hotplug unplugged 0K \(umltop ledger\)/);
      expect(text).toMatch(/host +rss 56M +shmem 43M/);
    });

    it("interrupts pane: busiest first, sparklines, umltop's own mconsole requests set apart", () => {
      const { lastFrame } = render(
        <InterruptsPane rec={rec('web-1')} width={half} height={24} focused={false} theme={theme} />,
      );
      const out = lines(lastFrame());
      const rates = irqLines(rec('web-1')).map((l) => l.perSec ?? -1);
      expect(rates).toEqual([...rates].sort((a, b) => b - a));
      expect(out[2]).toMatch(/soft TIMER +12\.0/); // the busiest line first
      expect(out.join('\n')).toMatch(
        width === 80 ? /5 mconsole +[\d.]+ \+[\d.]+ self/ : /5 mconsole +[\d.]+ \+[\d.]+\/s umltop's own/,
      );
      expect(out.join('\n')).toMatch(/soft RCU +[\d.]+ [▁▂▃▄▅▆▇█ ]+/);
    });

    it('events pane and header', () => {
      const { store } = fixtureStore();
      const ev = render(
        <EventsPane
          events={store.recentEvents(20)}
          width={width - half}
          height={7}
          focused={false}
          theme={theme}
          timeZone="UTC"
        />,
      );
      const evText = lines(ev.lastFrame()).join('\n');
      expect(evText).toMatch(/Events/);
      expect(evText).toMatch(/12:00:00\*junk: found/);
      const h = render(
        <Header
          width={width}
          host={store.hostTotals}
          counts={{ running: 2, dead: 1, invalid: 1 }}
          orphans={1}
          intervalMs={1000}
          clock="12:00:29"
          paused
          readOnly={false}
          theme={theme}
        />,
      );
      const head = lines(h.lastFrame())[0]!;
      expect(head).toMatch(/^umltop cpu +42% /);
      expect(head).toMatch(/│ 4 inst: 2 run 1 dead 1 inv \+1 orphan/);
      if (width === 80) expect(head).not.toMatch(/load/);
      else expect(head).toMatch(/load 1\.50 1\.20 0\.90/);
      expect(head).toMatch(/PAUSED 1s 12:00:29$/);
      expect(widthOf(head)).toBe(width);
    });

    it('help names every key of the action table; footer fits', () => {
      const { lastFrame } = render(
        <Help width={width} height={90} keymap={makeKeymap()} notes={['watching /root/.uml']} theme={theme} />,
      );
      const text = lines(lastFrame()).join('\n');
      for (const a of ACTIONS.filter((x) => !x.replay))
        expect(text, a.id).toContain(a.keys.map((k) => keyLabel(k)).join(' '));
      const replayHelp = lines(
        render(
          <Help
            width={width}
            height={90}
            keymap={makeKeymap({ readOnly: true, replay: true })}
            notes={[]}
            theme={theme}
          />,
        ).lastFrame(),
      ).join('\n');
      for (const a of ACTIONS.filter((x) => x.replay))
        expect(replayHelp, a.id).toContain(a.keys.map((k) => keyLabel(k)).join(' '));
      expect(replayHelp).not.toMatch(/Hot-unplug|Memory hotplug/);
      const f = render(<Footer width={width} scope="main" filter="web" keymap={makeKeymap()} theme={theme} />);
      expect(widthOf(lines(f.lastFrame())[0]!)).toBeLessThanOrEqual(width);
    });

    it('footer: two spaces between the typed text or the flash and the keys', () => {
      const typingFilter = render(
        <Footer width={width} scope="filter" filter="we" keymap={makeKeymap()} theme={theme} />,
      );
      expect(lines(typingFilter.lastFrame())[0]).toMatch(/^filter: we_ {2}Enter keep {2}Esc clear/);
      const flash = render(
        <Footer width={width} scope="main" filter="" flash="interval 2s" keymap={makeKeymap()} theme={theme} />,
      );
      expect(lines(flash.lastFrame())[0]).toMatch(/^interval 2s {2}q quit/);
    });
  });
}

describe('the disk and network pane', () => {
  // (ink-testing-library's terminal is 100 columns wide)
  for (const width of [40, 60, 100]) {
    it(`at ${width} columns: each disk and interface with rates and a sparkline, busiest first, files when there is room`, () => {
      const r = rec('build-2');
      const small = lines(
        render(<IoPane rec={r} width={width} height={6} focused={false} theme={theme} />).lastFrame(),
      );
      expect(small[1]).toMatch(/Disk & network · build-2/);
      const body = small.slice(2, -1).map((l) => l.slice(1, -1));
      const order = ioLines(r).map((l) => l.bytesPerSec ?? -1);
      expect(order).toEqual([...order].sort((a, b) => b - a)); // busiest first
      expect(body[0]).toMatch(/^ ubd[bc] +r [\d.]+[KMG]? w /);
      expect(body.some((l) => /^ vec0\/tap-build2 +rx \d/.test(l) || (width < 60 && /^ vec0\/tap/.test(l)))).toBe(true);
      for (const l of small) expect(widthOf(l)).toBe(width);
      if (width >= 100) expect(body[0]).toMatch(/r [\d.]+[KMG] w [\d.]+[KMG]? \d+% [\d.]+ms q\d+ +[▁▂▃▄▅▆▇█]+/);
      const zoomed = lines(render(<IoPane rec={r} width={width} height={20} focused theme={theme} />).lastFrame()).join(
        '\n',
      );
      if (width >= 100) {
        expect(zoomed).toMatch(/\/srv\/uml\/build-2\.img: 8\.0G \(2\.0G used\), fs 40G free of 100G/);
        expect(zoomed).toMatch(/cow \/srv\/uml\/build-2\.cow: 4\.0G .*\n.*backing \/srv\/uml\/base\.img: 4\.0G/);
      } else expect(zoomed).toMatch(/\/srv\/uml\/build/);
    });
  }

  it('a stalled disk and a lossy interface are marked; a path from the guest cannot put escape sequences on the screen', () => {
    const r = rec('build-2');
    const d = r.guest!.disks[0]!;
    r.guest!.disks = [
      { ...d, stalledMs: 12_000, inFlight: 3, files: [{ path: '/x\u001b[2Jevil\u0007.img', role: 'image' }] },
    ];
    r.network = [{ ...r.network![0]!, errorsPerSec: 2, dropsPerSec: 1 }];
    const out = render(
      <IoPane rec={r} width={100} height={10} focused={false} theme={makeTheme({ color: true, ascii: false })} />,
    ).lastFrame()!;
    expect(strip(out)).toMatch(/!ubd[bc] .* q3 stalled 12s/);
    expect(strip(out)).toMatch(/!vec0\/tap-build2 .* err\+drop 3\/s/);
    expect(strip(out)).toContain('/x\\e[2Jevil\\a.img');
    expect(out).not.toMatch(/\u001b\[2J|\u0007/);
    expect(ioLines(r).map((l) => l.bad)).toEqual([true, true]);
  });

  it('with no disk and no interface it says so', () => {
    expect(
      lines(render(<IoPane rec={rec('web-1')} width={80} height={5} focused={false} theme={theme} />).lastFrame())[2],
    ).toMatch(/no disks or network interfaces/);
  });
});

describe('view model details', () => {
  it('the events pane is drawn again when an event comes or the pane changes, not for a new array of the same events', () => {
    const { store } = fixtureStore();
    const events = store.recentEvents(20);
    const props = { events, width: 60, height: 7, focused: false, theme, timeZone: 'UTC' };
    expect(eventsPaneUnchanged(props, { ...props, events: [...events] })).toBe(true);
    expect(eventsPaneUnchanged(props, { ...props, focused: true })).toBe(false);
    expect(eventsPaneUnchanged(props, { ...props, width: 61 })).toBe(false);
    const more = [
      ...events,
      {
        seq: events.at(-1)!.seq + 1,
        wall: events.at(-1)!.wall,
        type: 'error' as const,
        severity: 'error' as const,
        message: 'a new event',
      },
    ];
    expect(eventsPaneUnchanged(props, { ...props, events: more })).toBe(false);
    const { lastFrame, rerender } = render(<EventsPane {...props} />);
    expect(lastFrame()).not.toContain('a new event');
    rerender(<EventsPane {...props} events={more} />);
    expect(lastFrame()).toContain('a new event');
  });

  it('a table row is drawn as runs of one colour: only the state has its own, the text is the same', () => {
    const { store } = fixtureStore();
    const rows = rowsFor(store, { filter: '', sort: 'name', reverse: false });
    const cols = columnsFor(120);
    const colour = makeTheme({ color: true, ascii: false });
    for (const r of rows) {
      const plain = cellRuns(r, cols, theme);
      expect(plain).toHaveLength(1);
      const runs = cellRuns(r, cols, colour);
      expect(runs.map((x) => x.text).join('')).toBe(plain[0]!.text);
      const state = runs.filter((x) => x.color !== undefined);
      expect(state).toHaveLength(1);
      expect(state[0]!.color).toBe(colour.state(r.state));
      expect(state[0]!.text.trim()).toBe(r.cells.state);
    }
    const level = chalk.level;
    chalk.level = 3; // Ink colours through chalk, which sees no terminal here
    let web: string;
    try {
      const { lastFrame } = render(
        <InstanceTable
          rows={rows}
          selectedKey={rows[0]!.key}
          width={120}
          height={8}
          focused
          sort="name"
          reverse={false}
          theme={colour}
        />,
      );
      web = lastFrame()!
        .split('\n')
        .find((l) => l.includes('web-1'))!;
    } finally {
      chalk.level = level;
    }
    expect(web).toMatch(/web-1 +\u001b\[[0-9;]+mrunning +\u001b\[0?m/); // coloured state, and only the state
    expect(web.match(/\u001b\[(?:[0-9]+;)*(3[0-7]|9[0-7]|38;[0-9;]+)m/g)).toHaveLength(1); // one foreground colour set in the whole row
  });

  it('columns drop in the stated order as the terminal narrows; UMID and STATE always stay', () => {
    const ids = (w: number) => columnsFor(w).map((c) => c.id);
    expect(ids(200)).toEqual([
      'umid',
      'state',
      'hcpu',
      'gcpu',
      'mem',
      'unplug',
      'memp',
      'irq',
      'disk',
      'net',
      'procs',
      'uptime',
      'pid',
      'age',
    ]);
    let prev = ids(200);
    const sequence: string[] = [];
    for (let w = 200; w >= 30; w--) {
      const now = ids(w);
      // several may go at one width: among themselves, in DROP_ORDER's order
      const dropped = prev
        .filter((c) => !now.includes(c))
        .sort((a, b) => (DROP_ORDER as string[]).indexOf(a) - (DROP_ORDER as string[]).indexOf(b));
      sequence.push(...dropped);
      prev = now;
      expect(now.slice(0, 2)).toEqual(['umid', 'state']);
    }
    // every droppable column went, one after the other, in the order the README states
    expect(sequence).toEqual(['age', 'pid', 'uptime', 'procs', 'memp', 'unplug', 'irq', 'net', 'disk', 'gcpu']);
  });

  it('sorting and filtering', () => {
    const { store } = fixtureStore({ extraUmids: ['web-2'] });
    expect(rowsFor(store, { filter: '', sort: 'cpu', reverse: false })[0]!.umid).toBe('build-2');
    expect(rowsFor(store, { filter: '', sort: 'cpu', reverse: true }).at(-1)!.umid).toBe('build-2');
    expect(rowsFor(store, { filter: 'WEB', sort: 'name', reverse: false }).map((r) => r.umid)).toEqual([
      'web-1',
      'web-2',
    ]);
  });

  it('storm detection and the overhead ratio', () => {
    expect(isStorm(6000, [])).toBe(true);
    expect(isStorm(300, new Array(20).fill(10))).toBe(true);
    expect(isStorm(50, new Array(20).fill(10))).toBe(false);
    expect(cpuOverhead(60, 40)).toBe('1.50×');
    expect(cpuOverhead(0.2, 0)).toBe('idle');
  });

  it('umids in any script keep the columns after them aligned (a wide character takes 2 columns, a combining mark none)', () => {
    const { store } = fixtureStore({ extraUmids: ['漢字漢字', 'e\u0301te\u0301', 'plain'] });
    const rows = rowsFor(store, { filter: '', sort: 'name', reverse: false });
    const { lastFrame } = render(
      <InstanceTable
        rows={rows}
        selectedKey={rows[0]!.key}
        width={80}
        height={12}
        focused
        sort="name"
        reverse={false}
        theme={theme}
      />,
    );
    const live = lines(lastFrame()).filter((l) => l.includes('running'));
    expect(live.length).toBe(5);
    // where STATE starts, in terminal columns
    expect(new Set(live.map((l) => stringWidth(l.slice(0, l.indexOf('running')))))).toEqual(
      new Set([stringWidth(live[0]!.slice(0, live[0]!.indexOf('running')))]),
    );
    expect(live.every((l) => stringWidth(l) <= 80)).toBe(true);
    expect(fit('漢字漢字', 5)).toBe('漢字…');
    expect(fit('漢字漢字', 4, 'right')).toBe('漢 …'); // exactly 4 columns: a blank where 字 would not fit
    expect(fit('e\u0301te\u0301', 5)).toBe('e\u0301te\u0301  ');
  });
});
