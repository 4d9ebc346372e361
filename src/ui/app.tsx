// The root component: one useInput → the action table → view state or controller. Data comes in
// as a store (read-only here); the component opens no sockets, starts no timers, reads no files.
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { findAction, keyName, type ActionContext, type InkKey, type Scope } from '../actions/table.js';
import type { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import { buildFrame, type FrameModel } from './frame-model.js';
import { CpuPane } from './panes/cpu-pane.js';
import { EventsPane } from './panes/events-pane.js';
import { Footer } from './panes/footer.js';
import { Header } from './panes/header.js';
import { Help } from './panes/help.js';
import { InstanceTable } from './panes/instance-table.js';
import { InterruptsPane } from './panes/interrupts-pane.js';
import { MemDialogView } from './panes/mem-dialog.js';
import { MemoryPane } from './panes/memory-pane.js';
import type { Theme } from './theme.js';
import { layoutFor } from './view-model.js';
import { initialViewState, viewReducer, type Pane, type ViewState } from './view-state.js';

/** One Ink input event → the keys it stands for. `text` is set for printable characters. */
export function splitKeys(input: string, key: InkKey): Array<{ name: string; text?: string }> {
  const printable = input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input);
  if (key.meta && !key.escape && printable && !key.ctrl) {
    return [{ name: 'escape' }, ...[...input].map((ch) => ({ name: keyName(ch, {}), text: ch }))];
  }
  if (input.length > 1 && !key.ctrl && !key.meta && !key.escape && /^[\t\r\u007f\u0020-\u007e\u00a0-\uffff]+$/.test(input)) {
    // printable text mixed with Tab / Enter / Backspace, merged into one chunk
    const special: Record<string, string> = { '\t': 'tab', '\r': 'enter', '\u007f': 'backspace' };
    return [...input].map((ch) => (special[ch] ? { name: special[ch]! } : { name: keyName(ch, {}), text: ch }));
  }
  const name = keyName(input, key);
  return [{ name, text: printable && !key.ctrl && !key.meta && !key.return && !key.tab && !key.escape ? input : undefined }];
}

/** Actions that change which scope the next key is read in. */
const SCOPE_AFTER: Record<string, Scope> = { 'filter.start': 'filter', 'filter.accept': 'main', 'filter.cancel': 'main', 'app.help': 'help', 'help.close': 'main', 'memory.hotplug': 'dialog' };

export interface Controller {
  stepInterval(direction: 1 | -1): number;
  quit(): void;
  redraw(): void;
  /** Check a hotplug amount for an instance (no change made). */
  memPlan?(key: string, amount: string): Promise<{ ok: true; message: string; warning?: string } | { ok: false; error: string }>;
  /** Run the checked operation; progress lines as it goes. */
  memRun?(key: string, onProgress: (text: string) => void): Promise<{ ok: boolean; message: string }>;
}

export interface AppProps {
  store: Store;
  columns: number;
  rows: number;
  theme: Theme;
  controller: Controller;
  readOnly?: boolean;
  initialView?: Partial<ViewState>;
  /** Extra lines for the help screen (e.g. how to start instances with notify). */
  helpNotes?: string[];
  timeZone?: string;
  /** Observe raw key events (debug logging is wired outside the component). */
  onKey?: (input: string, key: object) => void;
}

export function App(p: AppProps) {
  const [view, dispatch] = useReducer(viewReducer, { ...initialViewState, ...p.initialView });
  const [version, setVersion] = useState(0);
  useEffect(() => p.store.subscribe(() => setVersion((v) => v + 1)), [p.store]);
  const frozen = useRef<FrameModel | undefined>(undefined);
  const live = useMemo(() => buildFrame(p.store, view), [p.store, version, view.filter, view.sort, view.reverse, view.selectedKey]);
  if (!view.paused) frozen.current = undefined;
  else frozen.current ??= live;
  const frame = view.paused ? frozen.current! : live;

  const scope: Scope = view.dialog ? 'dialog' : view.help ? 'help' : view.filterEditing ? 'filter' : 'main';
  const ctx: ActionContext = {
    dispatch,
    visibleKeys: () => frame.rows.map((r) => r.key),
    stepInterval: (d) => p.controller.stepInterval(d),
    quit: () => p.controller.quit(),
    redraw: () => { p.controller.redraw(); dispatch({ type: 'redraw' }); },
    selected: () => {
      const r = frame.selectedKey ? frame.rows.find((x) => x.key === frame.selectedKey) : undefined;
      return r ? { key: r.key, umid: r.umid, live: r.state === 'running' || r.state === 'stopped' } : undefined;
    },
    submitDialog: () => {
      const d = view.dialog;
      if (!d || d.stage !== 'input' || !p.controller.memPlan) return;
      dispatch({ type: 'dialog-update', patch: { stage: 'planning', error: undefined } });
      void p.controller.memPlan(d.key, d.input).then((r) => dispatch({ type: 'dialog-update', patch: r.ok
        ? { stage: 'confirm', message: r.message, warning: r.warning }
        : { stage: 'input', error: r.error } }));
    },
    confirmDialog: () => {
      const d = view.dialog;
      if (!d || d.stage !== 'confirm' || !p.controller.memRun) return;
      dispatch({ type: 'dialog-update', patch: { stage: 'running' } });
      void p.controller.memRun(d.key, (progress) => dispatch({ type: 'dialog-update', patch: { progress } }))
        .then((r) => dispatch({ type: 'dialog-update', patch: { stage: 'done', message: r.message, error: r.ok ? undefined : r.message } }));
    },
  };
  useInput((input, key) => {
    p.onKey?.(input, key);
    // Over SSH, keys merge: fast typing and pastes arrive as one chunk ("/mem"), and Esc followed
    // by a key arrives as "ESC key", which Ink reports as Alt+key. Take them apart, following
    // the scope changes the keys themselves make.
    let current = scope;
    for (const { name, text } of splitKeys(input, key)) {
      const action = findAction(current, name, { readOnly: p.readOnly });
      if (action) {
        if (view.flash && action.id !== 'view.interval-up' && action.id !== 'view.interval-down') dispatch({ type: 'flash' });
        action.run(ctx);
        current = SCOPE_AFTER[action.id] ?? current;
        continue;
      }
      if (current === 'filter' && text) {
        const clean = sanitizeLine(text);
        if (clean) dispatch({ type: 'filter-input', text: clean });
      }
      if (current === 'dialog' && text && /^[-+0-9.KMGkmgiB]$/.test(text)) dispatch({ type: 'dialog-input', text });
    }
  });

  const L = layoutFor(p.columns, p.rows, frame.rows.length);
  const clock = new Date(frame.wallNow).toLocaleTimeString('en-GB', { hour12: false, timeZone: p.timeZone });
  const header = (
    <Header width={L.width} host={frame.host} counts={frame.counts} orphans={frame.orphans} intervalMs={frame.intervalMs}
            clock={clock} paused={view.paused} readOnly={p.readOnly ?? false} theme={p.theme} />
  );
  const footer = <Footer width={L.width} scope={scope} filter={view.filter} flash={view.flash} readOnly={p.readOnly ?? false} theme={p.theme} />;
  if (view.help) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        <Help width={L.width} height={L.height - 2} readOnly={p.readOnly ?? false} notes={p.helpNotes ?? []} theme={p.theme} />
        {footer}
      </Box>
    );
  }
  const body = L.height - L.headerRows - L.footerRows;
  const pane = (which: Pane, width: number, height: number) => {
    const common = { width, height, focused: view.focus === which, theme: p.theme };
    switch (which) {
      case 'table': return <InstanceTable key="table" rows={frame.rows} selectedKey={frame.selectedKey} sort={view.sort} reverse={view.reverse} {...common} />;
      case 'cpu': return <CpuPane key="cpu" rec={frame.selected} {...common} />;
      case 'memory': return <MemoryPane key="memory" rec={frame.selected} {...common} />;
      case 'interrupts': return <InterruptsPane key="interrupts" rec={frame.selected} {...common} />;
      case 'events': return <EventsPane key="events" events={frame.events} timeZone={p.timeZone} {...common} />;
    }
  };
  if (view.zoomed) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        {pane(view.focus, L.width, body)}
        {footer}
      </Box>
    );
  }
  if (view.dialog) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        {pane('table', L.width, L.tableRows)}
        <MemDialogView dialog={view.dialog} width={L.width} height={L.paneRows} unpluggedKiB={frame.selected?.unpluggedKiB ?? 0} theme={p.theme} />
        {footer}
      </Box>
    );
  }
  const left = Math.floor(L.width / 2);
  const right = L.width - left;
  const top = Math.floor(L.paneRows / 2);
  const bottom = L.paneRows - top;
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      {header}
      {pane('table', L.width, L.tableRows)}
      {L.paneGrid === 'grid' ? (
        <Box flexDirection="column" height={L.paneRows}>
          <Box flexDirection="row" height={top}>{pane('cpu', left, top)}{pane('memory', right, top)}</Box>
          <Box flexDirection="row" height={bottom}>{pane('interrupts', left, bottom)}{pane('events', right, bottom)}</Box>
        </Box>
      ) : <Box height={L.paneRows}><Text color={p.theme.c('dim')} wrap="truncate">(terminal too small for panes: Enter zooms one)</Text></Box>}
      {footer}
    </Box>
  );
}
