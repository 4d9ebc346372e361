// The screen for one frame: header, the table and the panes (or a zoomed pane, the help, a dialog
// or captured output), footer. Pure layout: data and view state in, elements out.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { clockTime } from '../text/clock-time.js';
import type { FrameModel } from './frame-model.js';
import type { Keymap } from './keys/keymap.js';
import { CpuPane } from './panes/cpu-pane.js';
import { EventsPane } from './panes/events-pane.js';
import { Footer } from './panes/footer.js';
import { Header } from './panes/header.js';
import { Help } from './panes/help.js';
import { InstanceTable } from './panes/instance-table.js';
import { InterruptsPane } from './panes/interrupts-pane.js';
import { IoPane } from './panes/io-pane.js';
import { MemoryPane } from './panes/memory-pane.js';
import { OutputPane } from './panes/output-pane.js';
import { PromptView } from './panes/prompt.js';
import type { Theme } from './theme.js';
import type { Layout } from './view-model.js';
import type { Pane, ViewState } from './view-state.js';
import type { Scope } from './keys/action.js';

export interface ScreenProps {
  frame: FrameModel;
  view: ViewState;
  layout: Layout;
  scope: Scope;
  keymap: Keymap;
  theme: Theme;
  /** The output pane's lines, sanitised. */
  outputLines: string[];
  helpNotes: string[];
  timeZone?: string;
}

export function Screen(p: ScreenProps) {
  const L = p.layout;
  const screen = (...children: ReactNode[]) => (
    <Box flexDirection="column" width={L.width} height={L.height}>
      {header(p)}
      {children}
      {footer(p)}
    </Box>
  );
  const v = p.view;
  if (v.help)
    return screen(
      <Help
        key="help"
        width={L.width}
        height={L.height - 2}
        keymap={p.keymap}
        notes={p.helpNotes}
        scroll={v.helpScroll}
        theme={p.theme}
      />,
    );
  const body = L.height - L.headerRows - L.footerRows;
  // a pane needs 3 rows (borders, title): a shorter one would push the header off
  if (v.zoomed) return screen(body >= 3 ? pane(p, v.focus, L.width, body) : null);
  const dialog = v.dialog && v.dialog.kind !== 'search' ? v.dialog : undefined;
  if (v.output || dialog) return screen(...belowTable(p, body, dialog));
  return screen(pane(p, 'table', L.width, L.tableRows), panes(p));
}

function header(p: ScreenProps) {
  const f = p.frame;
  return (
    <Header
      width={p.layout.width}
      host={f.host}
      counts={f.counts}
      orphans={f.orphans}
      fromProcessTable={f.fromProcessTable}
      intervalMs={f.intervalMs}
      pausedByUmltop={f.pausedByUmltop}
      remotes={f.remotes}
      clock={clockTime(f.wallNow, p.timeZone)}
      paused={p.view.paused}
      readOnly={p.keymap.readOnly}
      theme={p.theme}
    />
  );
}

function footer(p: ScreenProps) {
  const d = p.view.dialog;
  return (
    <Footer
      width={p.layout.width}
      scope={p.scope}
      filter={p.view.filter}
      flash={p.view.flash}
      keymap={p.keymap}
      search={d?.kind === 'search' ? d.input : undefined}
      theme={p.theme}
    />
  );
}

function pane(p: ScreenProps, which: Pane, width: number, height: number) {
  const common = { width, height, focused: p.view.focus === which, theme: p.theme };
  const rec = p.frame.selected;
  switch (which) {
    case 'table':
      return (
        <InstanceTable
          key="table"
          rows={p.frame.rows}
          selectedKey={p.frame.selectedKey}
          sort={p.view.sort}
          reverse={p.view.reverse}
          {...common}
        />
      );
    case 'cpu':
      return <CpuPane key="cpu" rec={rec} {...common} />;
    case 'memory':
      return (
        <MemoryPane
          key="memory"
          rec={rec}
          advice={p.frame.selectedKey ? p.frame.advice.get(p.frame.selectedKey) : undefined}
          {...common}
        />
      );
    case 'io':
      return <IoPane key="io" rec={rec} {...common} />;
    case 'interrupts':
      return <InterruptsPane key="interrupts" rec={rec} {...common} />;
    case 'events':
      return <EventsPane key="events" events={p.frame.events} timeZone={p.timeZone} {...common} />;
  }
}

/** A dialog or captured output below the table. */
function belowTable(p: ScreenProps, body: number, dialog: ViewState['dialog']): ReactNode[] {
  const L = p.layout;
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
        unpluggedKiB={p.frame.selected?.unpluggedKiB ?? 0}
        theme={p.theme}
      />
    ) : (
      <OutputPane
        key="output"
        output={p.view.output!}
        lines={p.outputLines}
        width={L.width}
        height={rest}
        theme={p.theme}
      />
    );
  return [tableRows ? pane(p, 'table', L.width, tableRows) : null, below];
}

/** Top row: CPU, memory, disk & network in thirds; bottom row: interrupts and events in halves. */
function panes(p: ScreenProps) {
  const L = p.layout;
  if (L.paneGrid !== 'grid')
    return (
      <Box key="panes" height={L.paneRows}>
        <Text color={p.theme.c('dim')} wrap="truncate">
          (terminal too small for panes: Enter zooms one)
        </Text>
      </Box>
    );
  const third = Math.floor(L.width / 3);
  const left = Math.floor(L.width / 2);
  const top = Math.floor(L.paneRows / 2);
  const bottom = L.paneRows - top;
  return (
    <Box key="panes" flexDirection="column" height={L.paneRows}>
      <Box flexDirection="row" height={top}>
        {pane(p, 'cpu', third, top)}
        {pane(p, 'memory', third, top)}
        {pane(p, 'io', L.width - 2 * third, top)}
      </Box>
      <Box flexDirection="row" height={bottom}>
        {pane(p, 'interrupts', left, bottom)}
        {pane(p, 'events', L.width - left, bottom)}
      </Box>
    </Box>
  );
}
