// Pure selectors from the store to what the panes draw: rows (filtered, sorted), columns that
// fit the width (dropped in a stated order), and the layout arithmetic for a terminal size.
import type { InstanceState } from '../state/liveness.js';
import type { InstanceRecord } from '../state/records.js';
import type { PressureState } from '../state/pressure.js';
import type { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import { fmtBytes } from '../text/units.js';
import { fmtDuration, fmtKiB, fmtPct, fmtRate } from './widgets/charts.js';
import type { SortKey, ViewState } from './view-state.js';
import { naturalCompare } from '../text/compare.js';

export interface Row {
  key: string;
  umid: string;
  state: InstanceState;
  stale: boolean;
  alert: string;
  cells: Record<ColumnId, string>;
  sortValue: Record<SortKey, number | string>;
}

export type ColumnId =
  | 'disk'
  | 'net'
  | 'umid'
  | 'host'
  | 'state'
  | 'hcpu'
  | 'gcpu'
  | 'mem'
  | 'unplug'
  | 'memp'
  | 'irq'
  | 'procs'
  | 'uptime'
  | 'pid'
  | 'age';

export interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align: 'left' | 'right';
}

export const COLUMNS: Column[] = [
  { id: 'umid', title: 'UMID', width: 16, align: 'left' },
  { id: 'host', title: 'HOST', width: 10, align: 'left' },
  { id: 'state', title: 'STATE', width: 7, align: 'left' },
  { id: 'hcpu', title: 'HCPU%', width: 6, align: 'right' },
  { id: 'gcpu', title: 'GCPU%', width: 6, align: 'right' },
  { id: 'mem', title: 'MEM USED/AVAIL', width: 14, align: 'right' },
  { id: 'unplug', title: 'UNPLUG', width: 6, align: 'right' },
  { id: 'memp', title: 'MEMP', width: 5, align: 'left' },
  { id: 'irq', title: 'IRQ/s', width: 6, align: 'right' },
  { id: 'disk', title: 'DISK/s', width: 6, align: 'right' },
  { id: 'net', title: 'NET/s', width: 6, align: 'right' },
  { id: 'procs', title: 'PROCS', width: 5, align: 'right' },
  { id: 'uptime', title: 'UPTIME', width: 8, align: 'right' },
  { id: 'pid', title: 'PID', width: 7, align: 'right' },
  { id: 'age', title: 'AGE', width: 5, align: 'right' },
];

/** When the width is short, columns go in this order (first dropped first). UMID and STATE stay. */
export const DROP_ORDER: ColumnId[] = ['age', 'pid', 'uptime', 'procs', 'memp', 'unplug', 'irq', 'net', 'disk', 'gcpu'];

/** The marker column before UMID: selection (1) + alert (1) + space. */
export const MARKER_WIDTH = 3;

/** `hosts`: show the HOST column (only when other hosts are watched). */
export function columnsFor(width: number, hosts = false): Column[] {
  let cols = COLUMNS.filter((c) => hosts || c.id !== 'host');
  const total = (cs: Column[]) => MARKER_WIDTH + cs.reduce((n, c) => n + c.width + 1, 0);
  for (const id of DROP_ORDER) {
    if (total(cols) <= width) break;
    cols = cols.filter((c) => c.id !== id);
  }
  // give what is left to the umid column
  const spare = width - total(cols);
  if (spare > 0) cols = cols.map((c) => (c.id === 'umid' ? { ...c, width: c.width + Math.min(spare, 24) } : c));
  return cols;
}

export function alertFor(r: InstanceRecord, stale: boolean): string {
  if (r.state === 'dead' || r.state === 'unresponsive') return '!';
  if ([...r.alerts.values()].some((a) => a.alert.severity === 'error')) return '!';
  if (r.alerts.has('low-memory')) return 'm';
  if (r.alerts.has('irq-storm')) return 'i';
  if (r.alerts.has('host-cpu')) return 'c';
  if (r.state === 'invalid') return '?';
  if (r.state === 'stopped') return '=';
  if (stale) return '~';
  const avail = r.guest?.meminfo.MemAvailable;
  const total = r.guest?.meminfo.MemTotal;
  if (avail !== undefined && total && avail / total < 0.1) return 'm';
  return ' ';
}

/** Each record's row as last built, kept while the record does not change (all but its age). */
const built = new WeakMap<InstanceRecord, { changes: number; remotes: boolean; row: Row }>();

/** The last order made per store, kept while no row changed and the view is the same. */
const ordered = new WeakMap<Store, { view: string; count: number; rows: Row[] }>();

/** Every row, dressed (its age, staleness and alert marker as of now), in the view's order. */
export function rowsFor(store: Store, view: Pick<ViewState, 'filter' | 'sort' | 'reverse'>): Row[] {
  const rows = sortedRows(store, view);
  return dressRows(store, rows, 0, rows.length);
}

/**
 * The rows the view shows, in its order, undressed: the same objects from frame to frame while
 * their records do not change (the order too, when none did: a key's frame does not sort again).
 */
export function sortedRows(store: Store, view: Pick<ViewState, 'filter' | 'sort' | 'reverse'>): readonly Row[] {
  const needle = view.filter.toLowerCase();
  const remotes = store.remotes.size > 0;
  const viewKey = `${view.sort}\0${view.reverse}\0${remotes}\0${needle}`;
  let rebuilt = false;
  const rows: Row[] = [];
  for (const r of store.records.values()) {
    let b = built.get(r);
    if (!b || b.changes !== r.changes || b.remotes !== remotes) {
      b = { changes: r.changes, remotes, row: rowOf(r, remotes) };
      built.set(r, b);
      rebuilt = true;
    }
    const row = b.row;
    const hostName = r.hostName ? row.cells.host : '';
    if (needle && !row.umid.toLowerCase().includes(needle) && !hostName.toLowerCase().includes(needle)) continue;
    rows.push(row);
  }
  const last = ordered.get(store);
  if (!rebuilt && last && last.view === viewKey && last.count === store.records.size) return last.rows;
  rows.sort(comparatorFor(view.sort, view.reverse));
  ordered.set(store, { view: viewKey, count: store.records.size, rows });
  return rows;
}

/**
 * The rows with those from `from` to `to` dressed: their age (whole seconds: a fresh sample reads
 * 0s, not a tenth that changes on every frame), staleness and alert marker as of now. A frame
 * dresses the rows the table can show, not the hundreds off screen.
 */
export function dressRows(store: Store, rows: readonly Row[], from: number, to: number): Row[] {
  const out = rows.slice();
  for (let i = Math.max(0, from); i < Math.min(to, rows.length); i++) {
    const row = rows[i]!;
    const r = store.records.get(row.key);
    if (!r) continue;
    const stale = store.isStale(r);
    const age = store.sampleAgeMs(r);
    out[i] = {
      ...row,
      stale,
      alert: alertFor(r, stale),
      cells: { ...row.cells, age: age === undefined ? '-' : `${Math.floor(age / 1000)}s` },
    };
  }
  return out;
}

/** The first row a table of `visible` rows shows: the selection stays on screen, at its foot once past the first page. */
export function tableStart(count: number, selected: number, visible: number): number {
  return Math.min(Math.max(0, selected - visible + 1), Math.max(0, count - visible));
}

const MEMP_CELL: Record<PressureState, string> = { ok: 'ok', tight: 'tight', pressed: 'PRESS' };

/** A record's row, but for its age, staleness and alert marker (rowsFor sets those each frame). */
function rowOf(r: InstanceRecord, remotes: boolean): Row {
  const umid = sanitizeLine(r.umid);
  const hostName = r.hostName ? sanitizeLine(r.hostName) : '';
  const live = r.state !== 'dead' && r.state !== 'invalid';
  const m = live ? r.guest?.meminfo : undefined;
  const used = m?.MemTotal !== undefined && m.MemAvailable !== undefined ? m.MemTotal - m.MemAvailable : undefined;
  return {
    key: r.key,
    umid,
    state: r.state,
    stale: false,
    alert: ' ',
    cells: {
      umid,
      host: r.hostName ? hostName : remotes ? 'local' : '',
      state: r.state === 'unresponsive' ? 'unresp' : r.state,
      hcpu: live ? fmtPct(r.host?.cpuPercent) : '-',
      gcpu: live ? (r.state === 'stopped' ? 'paused' : fmtPct(r.guest?.cpuPercent)) : '-',
      mem: m ? `${fmtKiB(used)}/${fmtKiB(m.MemAvailable)}` : '-',
      unplug: r.unpluggedKiB ? fmtKiB(r.unpluggedKiB) : '-',
      // memory pressure (pressure.ts): ok, tight or PRESS(ed), in the column's five cells
      memp: live && r.guest?.pressure ? MEMP_CELL[r.guest.pressure.state] : '-',
      irq: live ? fmtRate(r.guest?.irqPerSec) : '-',
      // bytes a second read and written over every disk, received and sent over every interface
      disk: live ? fmtBytes(r.guest?.diskBytesPerSec) : '-',
      net: live ? fmtBytes(r.networkBytesPerSec) : '-',
      procs: live && r.guest?.procsRunning !== undefined ? `${r.guest.procsRunning}` : '-',
      uptime: live ? fmtDuration(r.guest?.uptimeSeconds) : '-',
      pid: r.pid ? String(r.pid) : '-',
      age: '-',
    },
    sortValue: {
      name: hostName ? `${hostName}:${umid}` : umid,
      cpu: live ? (r.host?.cpuPercent ?? -1) : -2,
      mem: used ?? -1,
      irq: r.guest?.irqPerSec ?? -1,
      disk: live ? (r.guest?.diskBytesPerSec ?? -1) : -2,
      net: live ? (r.networkBytesPerSec ?? -1) : -2,
    },
  };
}

export interface Layout {
  width: number;
  /** Rows the frame may use: one less than the terminal, so it never reaches the last row. */
  height: number;
  headerRows: number;
  tableRows: number;
  footerRows: number;
  paneRows: number;
  /** Panes laid out 2×2 (two per row) or stacked (one per row) or none. */
  paneGrid: 'grid' | 'none';
}

export function layoutFor(width: number, rows: number, instanceCount: number): Layout {
  const height = Math.max(1, rows - 1);
  const headerRows = 1;
  const footerRows = 1;
  const minPaneRows = 2 * 6; // two rows of panes with borders and 4 lines each
  const wanted = instanceCount + 1; // + column titles
  const maxTable = Math.max(2, height - headerRows - footerRows - minPaneRows);
  const tableRows = Math.max(2, Math.min(wanted, maxTable));
  const paneRows = Math.max(0, height - headerRows - footerRows - tableRows);
  return { width, height, headerRows, tableRows, footerRows, paneRows, paneGrid: paneRows >= 8 ? 'grid' : 'none' };
}

/** The column that shows the sort key, marked in its title. */
export const SORT_COLUMN: Record<SortKey, ColumnId> = {
  name: 'umid',
  cpu: 'hcpu',
  mem: 'mem',
  irq: 'irq',
  disk: 'disk',
  net: 'net',
};

/**
 * One comparator per sort and direction, kept: per-call closures are compiled again after each
 * full GC (CONTRIBUTING.md). Name sorts A→Z; the numeric sorts put the biggest first (as htop
 * does); reverse flips either.
 */
const comparators = new Map<string, (a: Row, b: Row) => number>();

function comparatorFor(sort: SortKey, reverse: boolean): (a: Row, b: Row) => number {
  const key = `${sort}:${reverse}`;
  let c = comparators.get(key);
  if (!c) {
    const dir = reverse ? -1 : 1;
    c = (a, b) => {
      const x = a.sortValue[sort];
      const y = b.sortValue[sort];
      const n = typeof x === 'string' ? naturalCompare(x, y as string) : (y as number) - (x as number);
      return (n || naturalCompare(a.umid, b.umid) || naturalCompare(a.key, b.key)) * dir;
    };
    comparators.set(key, c);
  }
  return c;
}
