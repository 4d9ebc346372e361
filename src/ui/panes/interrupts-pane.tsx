// Interrupts pane: per-IRQ and softirq rates with sparklines, busiest first, storms highlighted.
// umltop's own mconsole requests are shown as such, not as guest activity.
import { Text } from 'ink';
import type { InstanceRecord } from '../../state/records.js';
import type { Theme } from '../theme.js';
import { fit, fmtRate, sparkline } from '../widgets/charts.js';
import { isStorm } from '../../state/alerts.js';
import { line, type Span } from '../ink-fork/paint.js';
import { inner, Lines, Pane } from './frame.js';
import { naturalCompare } from '../../text/compare.js';

export interface IrqLine {
  label: string;
  perSec?: number;
  selfPerSec?: number;
  history: number[];
  storm: boolean;
}

export { isStorm } from '../../state/alerts.js';

export function irqLines(rec: InstanceRecord): IrqLine[] {
  const g = rec.guest;
  if (!g) return [];
  const lines: IrqLine[] = [];
  for (const i of g.interrupts) {
    const history = rec.history.lines.get(`irq:${i.irq}`)?.values() ?? [];
    const foreign = i.self && i.perSec !== undefined ? Math.max(0, i.perSec - (i.self.perSec ?? 0)) : i.perSec;
    lines.push({
      label: `${i.irq} ${i.name}`,
      perSec: foreign,
      selfPerSec: i.self?.perSec,
      history,
      storm: isStorm(foreign, history),
    });
  }
  for (const s of g.softirqs) {
    const history = rec.history.lines.get(`softirq:${s.name}`)?.values() ?? [];
    lines.push({
      label: `soft ${s.name}`,
      perSec: s.perSec,
      history,
      storm: isStorm(s.perSec, history, { stormPerSec: 20000, stormFactor: 10, stormFloor: 500 }),
    });
  }
  return lines.sort(byRateThenLabel);
}

// a module function: per-call closures are compiled again after each full GC (CONTRIBUTING.md)
function byRateThenLabel(a: { perSec?: number; label: string }, b: { perSec?: number; label: string }): number {
  return (b.perSec ?? -1) - (a.perSec ?? -1) || naturalCompare(a.label, b.label);
}

export function InterruptsPane(p: {
  rec?: InstanceRecord;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
}) {
  const t = p.theme;
  const { w, h } = inner(p.width, p.height);
  const title = `Interrupts/s${p.rec ? ` ${t.dot} ${p.rec.umid}` : ''}`;
  if (!p.rec?.guest)
    return (
      <Pane title={title} {...p}>
        <Text color={t.c('dim')}>{p.rec ? 'no guest figures (not answering)' : 'no instance selected'}</Text>
      </Pane>
    );
  const lines = irqLines(p.rec);
  const labelW = Math.min(16, Math.max(8, Math.floor(w * 0.4)));
  const rateW = 6;
  const sparkW = Math.max(0, w - labelW - rateW - 2);
  const body = lines.slice(0, Math.max(0, h)).map((l) => {
    const style = { color: l.storm ? t.c('bad') : undefined, bold: l.storm };
    const tail: Span =
      l.selfPerSec !== undefined
        ? {
            text: fit(
              sparkW >= 20 ? `+${fmtRate(l.selfPerSec)}/s umltop's own` : `+${fmtRate(l.selfPerSec)} self`,
              sparkW,
              'left',
              t.ascii,
            ),
            color: t.c('dim'),
            bold: l.storm,
          }
        : { text: sparkline(l.history, sparkW, { ascii: t.ascii }), color: t.c('accent'), bold: l.storm };
    return line(
      [
        {
          text: `${fit((l.storm ? '!' : ' ') + l.label, labelW, 'left', t.ascii)} ${fit(fmtRate(l.perSec), rateW, 'right')} `,
          ...style,
        },
        tail,
      ],
      w,
      { ascii: t.ascii },
    );
  });
  return (
    <Pane title={title} {...p}>
      <Lines lines={body} />
    </Pane>
  );
}
