// The root component: one useInput → the action table → view state or controller. Data comes in
// as a store (read-only here); the component opens no sockets, starts no timers, reads no files.
import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { commandRisk, LADDER, SYSRQ, type LadderStep } from '../actions/commands.js';
import { findAction, keyName, type ActionContext, type InkKey, type Scope } from '../actions/table.js';
import { sanitize } from '../text/sanitize.js';
import type { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import { buildFrame, type FrameModel } from './frame-model.js';
import { CpuPane } from './panes/cpu-pane.js';
import { EventsPane } from './panes/events-pane.js';
import { Footer } from './panes/footer.js';
import { Header } from './panes/header.js';
import { Help, helpLayout } from './panes/help.js';
import { InstanceTable } from './panes/instance-table.js';
import { InterruptsPane } from './panes/interrupts-pane.js';
import { OutputPane } from './panes/output-pane.js';
import { PromptView } from './panes/prompt.js';
import { redrawGate } from './redraw-gate.js';
import { MemoryPane } from './panes/memory-pane.js';
import { clockTime } from '../text/clock-time.js';
import type { Theme } from './theme.js';
import { layoutFor } from './view-model.js';
import { initialViewState, typing, viewReducer, type Pane, type ViewAction, type ViewState } from './view-state.js';

/** One Ink input event → the keys it stands for. `text` is set for printable characters. */
export function splitKeys(input: string, key: InkKey): Array<{ name: string; text?: string }> {
  const printable = input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input);
  if (key.meta && !key.escape && printable && !key.ctrl) {
    return [{ name: 'escape' }, ...[...input].map((ch) => ({ name: keyName(ch, {}), text: ch }))];
  }
  if (
    input.length > 1 &&
    !key.ctrl &&
    !key.meta &&
    !key.escape &&
    /^[\t\r\u007f\u0020-\u007e\u00a0-\uffff]+$/.test(input)
  ) {
    // printable text mixed with Tab / Enter / Backspace, merged into one chunk
    const special: Record<string, string> = { '\t': 'tab', '\r': 'enter', '\u007f': 'backspace' };
    return [...input].map((ch) => (special[ch] ? { name: special[ch]! } : { name: keyName(ch, {}), text: ch }));
  }
  const name = keyName(input, key);
  return [
    { name, text: printable && !key.ctrl && !key.meta && !key.return && !key.tab && !key.escape ? input : undefined },
  ];
}

export interface Controller {
  stepInterval(direction: 1 | -1): number;
  quit(): void;
  redraw(): void;
  /** Check a hotplug amount for an instance (no change made). */
  memPlan?(
    key: string,
    amount: string,
  ): Promise<{ ok: true; message: string; warning?: string } | { ok: false; error: string }>;
  /** Run the checked operation; progress lines as it goes. */
  memRun?(key: string, onProgress: (text: string) => void): Promise<{ ok: boolean; message: string }>;
  /** A raw mconsole command (journaled when it writes). */
  runCommand?(key: string, command: string): Promise<{ ok: boolean; text: string; complete: boolean; note?: string }>;
  /** Replay controls (replaying a recording). */
  replay?: { togglePause(): string; step(): string; faster(): string; slower(): string };
  /** Collect a crash bundle; resolves with its directory. */
  bundle?(key: string): Promise<string | undefined>;
  /** The sysrq letters the guest supports (from its own help line). */
  sysrqLetters?(
    key: string,
  ): Promise<Array<{ letter: string; description: string; risk: 'read' | 'write' | 'dangerous' }> | undefined>;
  /** One rung of the shutdown ladder, with its checked result. */
  ladderStep?(key: string, step: LadderStep): Promise<{ ended: boolean; message: string }>;
}

export interface AppProps {
  store: Store;
  columns: number;
  rows: number;
  theme: Theme;
  controller: Controller;
  readOnly?: boolean;
  /** Store changes with gaps under this many ms make one render (0: render on every change)... */
  coalesceMs?: number;
  /** ...drawn at the latest this long after the first of them. */
  coalesceMaxMs?: number;
  /** Replaying a recording: replay keys on, write keys off. */
  replay?: boolean;
  initialView?: Partial<ViewState>;
  /** Extra lines for the help screen (e.g. how to start instances with notify). */
  helpNotes?: string[];
  timeZone?: string;
  /** Observe raw key events (debug logging is wired outside the component). */
  onKey?: (input: string, key: object) => void;
}

export function App(p: AppProps) {
  const [view, reactDispatch] = useReducer(viewReducer, { ...initialViewState, ...p.initialView });
  // Keys can arrive faster than React re-renders (over SSH they often do): the handler must see
  // the state the previous key produced, not the last rendered one. The reducer is pure, so
  // applying it here gives exactly what React will compute.
  const latest = useRef<ViewState>(view);
  const dispatch = useCallback((a: ViewAction) => {
    latest.current = viewReducer(latest.current, a);
    reactDispatch(a);
  }, []);
  const [version, setVersion] = useState(0);
  // One render per beat: a beat's samples are each a store change; drawing them one by one cost a
  // frame per instance (38 % of a core for 10 instances). redraw-gate.ts says how they are joined.
  useEffect(() => {
    const gate = redrawGate(() => setVersion((v) => v + 1), p.coalesceMs ?? 40, p.coalesceMaxMs ?? 300);
    const unsubscribe = p.store.subscribe(() => gate.changed());
    return () => {
      unsubscribe();
      gate.cancel();
    };
  }, [p.store, p.coalesceMs, p.coalesceMaxMs]);
  const frozen = useRef<FrameModel | undefined>(undefined);
  const live = useMemo(
    () => (view.paused ? undefined : buildFrame(p.store, view)),
    [p.store, version, view.paused, view.filter, view.sort, view.reverse, view.selectedKey],
  );
  if (!view.paused) frozen.current = undefined;
  else frozen.current ??= buildFrame(p.store, view, { detach: true });
  const frame = live ?? frozen.current!;
  // The row the frame selects by default (the first, or the next when the selected one went) is
  // pinned: the selection then stays with its instance when the order changes, and a key acts on
  // the instance the screen showed, not on whichever is first after a re-sort.
  useEffect(() => {
    if (frame.selectedKey && frame.selectedKey !== view.selectedKey)
      dispatch({ type: 'select', key: frame.selectedKey });
  }, [frame.selectedKey, view.selectedKey, dispatch]);

  const L = layoutFor(p.columns, p.rows, frame.rows.length);
  const scopeOf = (v: ViewState): Scope =>
    v.dialog
      ? typing(v.dialog)
        ? 'prompt'
        : 'dialog'
      : v.help
        ? 'help'
        : v.output
          ? 'output'
          : v.filterEditing
            ? 'filter'
            : 'main';
  const scope = scopeOf(view);
  const d = view.dialog;
  // guest text, sanitized once per output (not on every redraw)
  const outputLines = useMemo(
    () => (view.output ? sanitize(view.output.text, { multiline: true }).replace(/^\n/, '').split('\n') : []),
    [view.output?.text],
  );
  const readOnly = p.readOnly ?? false;
  const run = (dlg: NonNullable<ViewState['dialog']>, command: string) => {
    if (!p.controller.runCommand) return;
    dispatch({ type: 'dialog-update', patch: { stage: 'running', input: '' } });
    void p.controller.runCommand(dlg.key, command).then((r) => {
      if (r.text.trim() === '' || !r.ok) {
        dispatch({
          type: 'dialog-update',
          patch: {
            stage: 'done',
            message: r.ok ? `${command}: OK` : `${command}: ${r.text}`,
            error: r.ok ? undefined : r.text,
          },
        });
      } else {
        dispatch({ type: 'dialog-close', force: true });
        dispatch({
          type: 'output-show',
          output: { title: `${dlg.umid}: ${command}`, text: r.text, complete: r.complete, note: r.note },
        });
      }
    });
  };
  const typedOk = (dlg: NonNullable<ViewState['dialog']>) => {
    if (dlg.input.trim() === dlg.umid) return true;
    dispatch({ type: 'dialog-update', patch: { error: `type the umid exactly (${dlg.umid}) to confirm`, input: '' } });
    return false;
  };
  const ctx: ActionContext = {
    dispatch,
    visibleKeys: () => frame.rows.map((r) => r.key),
    stepInterval: (d) => p.controller.stepInterval(d),
    quit: () => p.controller.quit(),
    redraw: () => {
      p.controller.redraw();
      dispatch({ type: 'redraw' });
    },
    selected: () => {
      const r = frame.selectedKey ? frame.rows.find((x) => x.key === frame.selectedKey) : undefined;
      return r ? { key: r.key, umid: r.umid, live: r.state === 'running' || r.state === 'stopped' } : undefined;
    },
    outputLines: () => outputLines,
    outputPage: () => Math.max(1, p.rows - 8),
    selectedPaused: () => frame.rows.find((x) => x.key === frame.selectedKey)?.state === 'stopped',
    replay: (what) => {
      const r = p.controller.replay;
      if (r) dispatch({ type: 'flash', text: r[what]() });
    },
    bundle: (key) => {
      void p.controller
        .bundle?.(key)
        .then((dir) =>
          dispatch({ type: 'flash', text: dir ? `crash bundle: ${dir}` : 'crash bundle failed (see events)' }),
        );
    },
    loadSysrqLetters: (key) => {
      void p.controller.sysrqLetters?.(key).then((letters) => {
        const cur = latest.current.dialog;
        if (letters && cur?.kind === 'sysrq' && cur.key === key)
          dispatch({ type: 'dialog-update', patch: { letters } });
      });
    },
    helpOverflow: () =>
      helpLayout(L.width, L.height - 2, (p.helpNotes ?? []).length, readOnly, p.theme.ascii, p.replay).overflow,
    submit: () => {
      const d = latest.current.dialog;
      if (!d) return;
      if (d.stage === 'done') {
        dispatch({ type: 'dialog-close' });
        return;
      }
      const text = d.input.trim();
      switch (d.kind) {
        case 'search':
          dispatch({ type: 'dialog-close' });
          if (text) dispatch({ type: 'output-search', search: text, lines: outputLines });
          return;
        case 'mem':
          if (d.stage !== 'input' || !p.controller.memPlan) return;
          dispatch({ type: 'dialog-update', patch: { stage: 'planning', error: undefined } });
          void p.controller.memPlan(d.key, d.input).then((r) =>
            dispatch({
              type: 'dialog-update',
              patch: r.ok
                ? { stage: 'confirm', message: r.message, warning: r.warning }
                : { stage: 'input', error: r.error },
            }),
          );
          return;
        case 'command':
        case 'sysrq': {
          if (d.stage === 'typed') {
            if (typedOk(d)) run(d, d.pending!);
            return;
          }
          if (!text) return;
          const command = d.kind === 'sysrq' ? `sysrq ${text[0]}` : text;
          if (d.kind === 'command') dispatch({ type: 'history-add', command });
          if (d.kind === 'sysrq' && !(d.letters ?? SYSRQ).some((x) => x.letter === text[0])) {
            dispatch({
              type: 'dialog-update',
              patch: {
                error: `'${text[0]}' is not a sysrq letter ${d.letters ? 'this guest supports' : 'umltop knows'}`,
                input: '',
              },
            });
            return;
          }
          const risk = commandRisk(command);
          if (readOnly && risk !== 'read') {
            dispatch({
              type: 'dialog-update',
              patch: { error: `read-only: '${command}' writes to the instance`, input: '' },
            });
            return;
          }
          if (risk === 'dangerous')
            dispatch({
              type: 'dialog-update',
              patch: { stage: 'typed', pending: command, input: '', error: undefined },
            });
          else run(d, command);
          return;
        }
        case 'confirm':
          if (d.stage === 'typed' && typedOk(d)) run(d, d.pending!);
          return;
        case 'ladder': {
          if (d.stage !== 'typed' || !typedOk(d) || !p.controller.ladderStep) return;
          const step = LADDER[d.step ?? 0]!;
          dispatch({ type: 'dialog-update', patch: { stage: 'running', input: '', error: undefined } });
          void p.controller.ladderStep(d.key, step.step).then((r) => {
            const log = [...(d.log ?? []), r.message];
            const next = (d.step ?? 0) + 1;
            dispatch({
              type: 'dialog-update',
              patch:
                r.ended || next >= LADDER.length
                  ? {
                      stage: 'done',
                      log,
                      step: next,
                      message: r.ended ? 'done: the wedge is cleared' : 'the ladder has no further step',
                    }
                  : { stage: 'typed', log, step: next },
            });
          });
          return;
        }
      }
    },
    confirm: () => {
      const d = latest.current.dialog;
      if (!d || d.stage !== 'confirm') return;
      if (d.kind === 'mem' && p.controller.memRun) {
        dispatch({ type: 'dialog-update', patch: { stage: 'running' } });
        void p.controller
          .memRun(d.key, (progress) => dispatch({ type: 'dialog-update', patch: { progress } }))
          .then((r) =>
            dispatch({
              type: 'dialog-update',
              patch: { stage: 'done', message: r.message, error: r.ok ? undefined : r.message },
            }),
          );
      } else if (d.kind === 'confirm' && d.pending) {
        run(d, d.pending);
      }
    },
  };
  useInput((input, key) => {
    p.onKey?.(input, key);
    // Over SSH, keys merge: fast typing and pastes arrive as one chunk ("/mem"), and Esc followed
    // by a key arrives as "ESC key", which Ink reports as Alt+key. Take them apart, following
    // the scope changes the keys themselves make.
    for (const { name, text } of splitKeys(input, key)) {
      const current = scopeOf(latest.current);
      const action = findAction(current, name, { readOnly: p.readOnly, replay: p.replay });
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
        if (latest.current.flash && !/^(view\.interval|replay\.)/.test(action.id)) dispatch({ type: 'flash' });
        action.run(ctx);
        continue;
      }
      if (current === 'filter' && text) {
        const clean = sanitizeLine(text);
        if (clean) dispatch({ type: 'filter-input', text: clean });
      }
      if (current === 'prompt' && text) dispatch({ type: 'dialog-input', text: sanitizeLine(text) });
    }
  });

  const clock = clockTime(frame.wallNow, p.timeZone);
  const header = (
    <Header
      width={L.width}
      host={frame.host}
      counts={frame.counts}
      orphans={frame.orphans}
      intervalMs={frame.intervalMs}
      pausedByUmltop={frame.pausedByUmltop}
      remotes={frame.remotes}
      clock={clock}
      paused={view.paused}
      readOnly={p.readOnly ?? false}
      theme={p.theme}
    />
  );
  const footer = (
    <Footer
      width={L.width}
      scope={scope}
      filter={view.filter}
      flash={view.flash}
      readOnly={readOnly}
      replay={p.replay}
      search={d?.kind === 'search' ? d.input : undefined}
      theme={p.theme}
    />
  );
  if (view.help) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        <Help
          width={L.width}
          height={L.height - 2}
          readOnly={readOnly}
          replay={p.replay}
          notes={p.helpNotes ?? []}
          scroll={view.helpScroll}
          theme={p.theme}
        />
        {footer}
      </Box>
    );
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
      case 'interrupts':
        return <InterruptsPane key="interrupts" rec={frame.selected} {...common} />;
      case 'events':
        return <EventsPane key="events" events={frame.events} timeZone={p.timeZone} {...common} />;
    }
  };
  if (view.zoomed) {
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        {/* a pane needs 3 rows (borders, title): a shorter one would push the header off */}
        {body >= 3 ? pane(view.focus, L.width, body) : null}
        {footer}
      </Box>
    );
  }
  if (view.output || (d && d.kind !== 'search')) {
    // The dialog or output needs 3 rows (borders, title): on a short terminal the table gives way
    // first, and under 3 rows there is only the header and the footer (which lists the keys).
    const tableRows = body - L.tableRows >= 3 ? L.tableRows : 0;
    const rest = body - tableRows;
    const outputRows = view.output ? (d && d.kind !== 'search' ? 0 : rest) : 0;
    return (
      <Box flexDirection="column" width={L.width} height={L.height}>
        {header}
        {tableRows ? pane('table', L.width, tableRows) : null}
        {rest < 3 ? null : d && d.kind !== 'search' ? (
          <PromptView
            prompt={d}
            width={L.width}
            height={rest}
            unpluggedKiB={frame.selected?.unpluggedKiB ?? 0}
            theme={p.theme}
          />
        ) : (
          <OutputPane output={view.output!} lines={outputLines} width={L.width} height={outputRows} theme={p.theme} />
        )}
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
          <Box flexDirection="row" height={top}>
            {pane('cpu', left, top)}
            {pane('memory', right, top)}
          </Box>
          <Box flexDirection="row" height={bottom}>
            {pane('interrupts', left, bottom)}
            {pane('events', right, bottom)}
          </Box>
        </Box>
      ) : (
        <Box height={L.paneRows}>
          <Text color={p.theme.c('dim')} wrap="truncate">
            (terminal too small for panes: Enter zooms one)
          </Text>
        </Box>
      )}
      {footer}
    </Box>
  );
}
