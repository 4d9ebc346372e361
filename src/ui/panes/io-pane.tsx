// Disk and network pane: each of the selected instance's disks and interfaces with its rates and
// a sparkline of bytes a second, busiest first. A stalled disk and an interface losing packets are
// marked `!`; with room (zoomed), the files behind each disk and how full their filesystem is.
import { Text } from 'ink';
import type { DiskView, InstanceRecord, NetView } from '../../state/records.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { fmtBytes } from '../../text/units.js';
import { line, paint, type Span } from '../ink-fork/paint.js';
import type { Theme } from '../theme.js';
import { fit, sparkline } from '../widgets/charts.js';
import { inner, Lines, Pane } from './frame.js';

export interface IoLine {
  kind: 'disk' | 'net';
  label: string;
  /** The figures after the label, already formatted. */
  figures: string;
  bytesPerSec?: number;
  history: number[];
  bad: boolean;
  /** Lines under it (a disk's files), shown when there is room. */
  details: string[];
}

export function ioLines(rec: InstanceRecord): IoLine[] {
  const out: IoLine[] = [];
  for (const d of rec.guest?.disks ?? [])
    out.push(diskLine(d, rec.history.lines.get(`disk:${d.device}`)?.values() ?? []));
  for (const n of rec.network ?? []) out.push(netLine(n, rec.history.lines.get(`net:${n.tap}`)?.values() ?? []));
  return out.sort((a, b) => (b.bytesPerSec ?? -1) - (a.bytesPerSec ?? -1) || (a.label < b.label ? -1 : 1));
}

function diskLine(d: DiskView, history: number[]): IoLine {
  const util = d.utilPercent === undefined ? '-' : `${d.utilPercent.toFixed(0)}%`;
  const wait = d.avgIoMs === undefined ? '-' : `${d.avgIoMs < 10 ? d.avgIoMs.toFixed(1) : d.avgIoMs.toFixed(0)}ms`;
  const stall = d.stalledMs !== undefined ? ` stalled ${Math.round(d.stalledMs / 1000)}s` : '';
  const details = (d.files ?? []).map((f) => {
    const size = f.error
      ? f.error
      : `${fmtBytes(f.sizeBytes)} (${fmtBytes(f.allocatedBytes)} used), fs ${fmtBytes(f.fsAvailBytes)} free of ${fmtBytes(f.fsSizeBytes)}`;
    // the path comes from the guest's `config ubdN`: untrusted text
    return `${f.role === 'image' ? '' : `${f.role} `}${sanitizeLine(f.path)}: ${sanitizeLine(size)}`;
  });
  if (d.filesError) details.push(`files: ${sanitizeLine(d.filesError)}`);
  return {
    kind: 'disk',
    label: d.device,
    figures: `r ${fmtBytes(d.readBytesPerSec)} w ${fmtBytes(d.writeBytesPerSec)} ${util} ${wait} q${d.inFlight}${stall}`,
    bytesPerSec: sum(d.readBytesPerSec, d.writeBytesPerSec),
    history,
    bad: d.stalledMs !== undefined,
    details,
  };
}

function netLine(n: NetView, history: number[]): IoLine {
  const lost = (n.errorsPerSec ?? 0) + (n.dropsPerSec ?? 0);
  return {
    kind: 'net',
    label: sanitizeLine(n.device ? `${n.device}/${n.tap}` : n.tap),
    figures: `rx ${fmtBytes(n.rxBytesPerSec)} tx ${fmtBytes(n.txBytesPerSec)}${lost > 0 ? ` err+drop ${lost.toFixed(0)}/s` : ''}`,
    bytesPerSec: sum(n.rxBytesPerSec, n.txBytesPerSec),
    history,
    bad: lost > 0,
    details: [],
  };
}

const sum = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a + b);

export function IoPane(p: { rec?: InstanceRecord; width: number; height: number; focused: boolean; theme: Theme }) {
  const t = p.theme;
  const { w, h } = inner(p.width, p.height);
  const title = `Disk & network${p.rec ? ` ${t.dot} ${p.rec.umid}` : ''}`;
  const lines = p.rec ? ioLines(p.rec) : [];
  if (!p.rec || lines.length === 0) {
    const why = !p.rec
      ? 'no instance selected'
      : 'no disks or network interfaces (a ubd attached or a tap up shows here)';
    return (
      <Pane title={title} {...p}>
        <Text color={t.c('dim')} wrap="truncate">
          {fit(why, w, 'left', t.ascii)}
        </Text>
      </Pane>
    );
  }
  const labelW = Math.min(18, Math.max(5, ...lines.map((l) => l.label.length + 1)));
  const figW = Math.min(Math.max(...lines.map((l) => l.figures.length)), Math.max(0, w - labelW - 2));
  const sparkW = Math.max(0, w - labelW - figW - 2);
  const withDetails = lines.length + lines.reduce((n, l) => n + l.details.length, 0) <= h;
  const body: string[] = [];
  for (const l of lines) {
    const style = { color: l.bad ? t.c('bad') : undefined, bold: l.bad };
    const spans: Span[] = [
      {
        text: `${fit((l.bad ? '!' : ' ') + l.label, labelW, 'left', t.ascii)} ${fit(l.figures, figW, 'left', t.ascii)} `,
        ...style,
      },
      {
        text: sparkline(l.history, sparkW, { ascii: t.ascii }),
        color: l.kind === 'disk' ? t.c('guest') : t.c('accent'),
      },
    ];
    body.push(line(spans, w, { ascii: t.ascii }));
    if (withDetails)
      for (const d of l.details) body.push(paint(fit(`  ${d}`, w, 'left', t.ascii), { color: t.c('dim') }));
  }
  return (
    <Pane title={title} {...p}>
      <Lines lines={body.slice(0, Math.max(0, h))} />
    </Pane>
  );
}
