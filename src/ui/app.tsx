// The root component: layout and dispatch. One useInput → the keymap → an action's run(), which
// changes the view state or calls the controller. Data comes in as a store (read-only here); the
// component opens no sockets, starts no timers, reads no files.
import { Box, Text, useInput } from 'ink';
import { useMemo } from 'react';
import type { Scope } from './keys/action.js';
import type { Controller } from '../actions/controller.js';
import { rawKeys, splitKeys } from './keys/key-names.js';
import { type Keymap, makeKeymap } from './keys/keymap.js';
import type { Store } from '../state/store.js';
import { clockTime } from '../text/clock-time.js';
import { sanitize, sanitizeLine } from '../text/sanitize.js';
import { useRawChunk } from './use-raw-chunk.js';
import { actionContext } from './action-context.js';
import { typing } from './dialogs/types.js';
import { CpuPane } from './panes/cpu-pane.js';
import { EventsPane } from './panes/events-pane.js';
import { Footer } from './panes/footer.js';
import { Header } from './panes/header.js';
import { Help, helpLayout } from './panes/help.js';
import { InstanceTable } from './panes/instance-table.js';
import { InterruptsPane } from './panes/interrupts-pane.js';
import { IoPane } from './panes/io-pane.js';
import { MemoryPane } from './panes/memory-pane.js';
import { OutputPane } from './panes/output-pane.js';
import { PromptView } from './panes/prompt.js';
import type { Theme } from './theme.js';
import { useFrame } from './use-frame.js';
import { useViewState } from './use-view-state.js';
import { layoutFor } from './view-model.js';
import type { Pane, ViewState } from './view-state.js';

export interface AppProps {
  store: Store;
  columns: number;
  rows: number;
  theme: Theme;
  controller: Controller;
  /** The keys bound for this run (read-only and replay decided there); default: as shipped, read-write. */
  keymap?: Keymap;
  /** Store changes with gaps under this many ms make one render (0: render on every change)... */
  coalesceMs?: number;
  /** ...drawn at the latest this long after the first of them. */
  coalesceMaxMs?: number;
  initialView?: Partial<ViewState>;
  /** Extra lines for the help screen (e.g. how to start instances with notify). */
  helpNotes?: string[];
  timeZone?: string;
  /** Observe raw key events (debug logging is wired outside the component). */
  onKey?: (input: string, key: object) => void;
  /** False while the terminal is handed to a guest console: Ink lets go of the keyboard. */
  inputActive?: boolean;
}

const DEFAULT_KEYMAP = makeKeymap();

/** Where keys go now: the innermost thing open. */
function scopeOf(v: ViewState): Scope {
  if (v.dialog) return typing(v.dialog) ? 'prompt' : 'dialog';
  return v.help ? 'help' : v.output ? 'output' : v.filterEditing ? 'filter' : 'main';
}

export function App(p: AppProps) {
  const keymap = p.keymap ?? DEFAULT_KEYMAP;
  const { view, latest, dispatch } = useViewState(p.initialView);
  const frame = useFrame(p.store, view, dispatch, { ms: p.coalesceMs, maxMs: p.coalesceMaxMs });
  const L = layoutFor(p.columns, p.rows, frame.rows.length);
  const scope = scopeOf(view);
  const d = view.dialog;
  // guest text, sanitized once per output (not on every redraw)
  const outputLines = useMemo(
    () => (view.output ? sanitize(view.output.text, { multiline: true }).replace(/^\n/, '').split('\n') : []),
    [view.output?.text],
  );
  const ctx = actionContext({
    frame,
    latest,
    dispatch,
    controller: p.controller,
    keymap,
    outputLines,
    rows: p.rows,
    helpOverflow: () => helpLayout(L.width, L.height - 2, (p.helpNotes ?? []).length, keymap, p.theme.ascii).overflow,
  });
  const rawChunk = useRawChunk();
  useInput(
    (input, key) => {
      p.onKey?.(input, key);
      // Over SSH, keys merge: fast typing and pastes arrive as one chunk ("/mem"), a held arrow
      // key as "ESC[B ESC[B ESC[B" (one "down" to Ink), and Esc followed by a key as "ESC key",
      // which Ink reports as Alt+key. Take them apart, following the scope changes the keys
      // themselves make.
      const raw = rawChunk();
      for (const { name, text } of (raw !== undefined ? rawKeys(raw) : undefined) ?? splitKeys(input, key)) {
        const current = scopeOf(latest());
        const action = keymap.find(current, name);
        if (action?.local && current === 'main') {
          const host = frame.rows.find((x) => x.key === frame.selectedKey)?.cells.host;
          if (host && host !== 'local') {
            dispatch({
              type: 'flash',
              text: `${host}: watched over ssh, read-only here; steer it with umltop on ${host}`,
            });
            continue;
          }
        }
        if (action) {
          if (latest().flash && !/^(view\.interval|replay\.)/.test(action.id)) dispatch({ type: 'flash' });
          action.run(ctx);
          continue;
        }
        if (current === 'filter' && text) {
          const clean = sanitizeLine(text);
          if (clean) dispatch({ type: 'filter-input', text: clean });
        }
        if (current === 'prompt' && text) dispatch({ type: 'dialog-input', text: sanitizeLine(text) });
      }
    },
    { isActive: p.inputActive !== false },
  );

  const header = (
    <Header
      width={L.width}
      host={frame.host}
      counts={frame.counts}
      orphans={frame.orphans}
      fromProcessTable={frame.fromProcessTable}
      intervalMs={frame.intervalMs}
      pausedByUmltop={frame.pausedByUmltop}
      remotes={frame.remotes}
      clock={clockTime(frame.wallNow, p.timeZone)}
      paused={view.paused}
      readOnly={keymap.readOnly}
      theme={p.theme}
    />
  );
  const footer = (
    <Footer
      width={L.width}
      scope={scope}
      filter={view.filter}
      flash={view.flash}
      keymap={keymap}
      search={d?.kind === 'search' ? d.input : undefined}
      theme={p.theme}
    />
  );
  const screen = (...children: React.ReactNode[]) => (
    <Box flexDirection="column" width={L.width} height={L.height}>
      {header}
      {children}
      {footer}
    </Box>
  );
  if (view.help) {
    const help = (
      <Help
        key="help"
        width={L.width}
        height={L.height - 2}
        keymap={keymap}
        notes={p.helpNotes ?? []}
        scroll={view.helpScroll}
        theme={p.theme}
      />
    );
    return screen(help);
  }
  const body = L.height - L.headerRows - L.footerRows;
  const pane = (which: Pane, width: number, height: number) => {
    const common = { width, height, focused: view.focus === which, theme: p.theme };
    switch (which) {
      case 'table':
        return (
          <InstanceTable
            key="table"
            rows={frame.rows}
            selectedKey={frame.selectedKey}
            sort={view.sort}
            reverse={view.reverse}
            {...common}
          />
        );
      case 'cpu':
        return <CpuPane key="cpu" rec={frame.selected} {...common} />;
      case 'memory':
        return <MemoryPane key="memory" rec={frame.selected} {...common} />;
      case 'io':
        return <IoPane key="io" rec={frame.selected} {...common} />;
      case 'interrupts':
        return <InterruptsPane key="interrupts" rec={frame.selected} {...common} />;
      case 'events':
        return <EventsPane key="events" events={frame.events} timeZone={p.timeZone} {...common} />;
    }
  };
  // a pane needs 3 rows (borders, title): a shorter one would push the header off
  if (view.zoomed) return screen(body >= 3 ? pane(view.focus, L.width, body) : null);
  const dialog = d && d.kind !== 'search' ? d : undefined;
  if (view.output || dialog) {
    // The dialog or output needs 3 rows (borders, title): on a short terminal the table gives way
    // first, and under 3 rows there is only the header and the footer (which lists the keys).
    const tableRows = body - L.tableRows >= 3 ? L.tableRows : 0;
    const rest = body - tableRows;
    const below =
      rest < 3 ? null : dialog ? (
        <PromptView
          key="prompt"
          prompt={dialog}
          width={L.width}
          height={rest}
          unpluggedKiB={frame.selected?.unpluggedKiB ?? 0}
          theme={p.theme}
        />
      ) : (
        <OutputPane
          key="output"
          output={view.output!}
          lines={outputLines}
          width={L.width}
          height={rest}
          theme={p.theme}
        />
      );
    return screen(tableRows ? pane('table', L.width, tableRows) : null, below);
  }
  // top row: CPU, memory, disk & network in thirds; bottom row: interrupts and events in halves
  const third = Math.floor(L.width / 3);
  const left = Math.floor(L.width / 2);
  const right = L.width - left;
  const top = Math.floor(L.paneRows / 2);
  const bottom = L.paneRows - top;
  const panes =
    L.paneGrid === 'grid' ? (
      <Box key="panes" flexDirection="column" height={L.paneRows}>
        <Box flexDirection="row" height={top}>
          {pane('cpu', third, top)}
          {pane('memory', third, top)}
          {pane('io', L.width - 2 * third, top)}
        </Box>
        <Box flexDirection="row" height={bottom}>
          {pane('interrupts', left, bottom)}
          {pane('events', right, bottom)}
        </Box>
      </Box>
    ) : (
      <Box key="panes" height={L.paneRows}>
        <Text color={p.theme.c('dim')} wrap="truncate">
          (terminal too small for panes: Enter zooms one)
        </Text>
      </Box>
    );
  return screen(pane('table', L.width, L.tableRows), panes);
}
