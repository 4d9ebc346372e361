// The footer legend, generated from the action table (or the filter prompt while typing).
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Scope } from '../keys/action.js';
import { keyLabel } from '../keys/keymap.js';
import type { Keymap } from '../keys/keymap.js';
import type { Theme } from '../theme.js';
import { fit } from '../widgets/charts.js';

export function footerText(scope: Scope, keymap: Keymap, ascii = false): string {
  return keymap
    .actionsFor(scope)
    .filter((a) => a.footer)
    .map((a) => `${keyLabel(a.keys[0]!, ascii)} ${a.footer}`)
    .join('  ');
}

/** Its props are plain values: drawn again only when one changes (rarely: a key, a flash). */
export const Footer = memo(FooterView);

function FooterView(p: {
  width: number;
  scope: Scope;
  filter: string;
  flash?: string;
  keymap: Keymap;
  search?: string;
  theme: Theme;
}) {
  const t = p.theme;
  if (p.search !== undefined) {
    return (
      <Box width={p.width} height={1}>
        <Text wrap="truncate">
          <Text bold color={t.c('accent')}>
            search:{' '}
          </Text>
          {p.search}
          <Text inverse={t.color}>{t.color ? ' ' : '_'}</Text>
          {'  '}
          <Text color={t.c('dim')}>{footerText('prompt', p.keymap, t.ascii)}</Text>
        </Text>
      </Box>
    );
  }
  if (p.scope === 'filter') {
    return (
      <Box width={p.width} height={1}>
        <Text wrap="truncate">
          <Text bold color={t.c('accent')}>
            filter:{' '}
          </Text>
          {p.filter}
          <Text inverse={t.color}>{t.color ? ' ' : '_'}</Text>
          {'  '}
          <Text color={t.c('dim')}>{footerText('filter', p.keymap, t.ascii)}</Text>
        </Text>
      </Box>
    );
  }
  const legend = footerText(p.scope, p.keymap, t.ascii);
  const extra = [p.filter ? `filter "${p.filter}"` : '', p.flash ?? ''].filter(Boolean).join('  ');
  return (
    <Box width={p.width} height={1}>
      <Text wrap="truncate">
        {extra ? <Text color={t.c('warn')}>{`${extra}  `}</Text> : null}
        <Text color={t.c('dim')}>
          {fit(legend, Math.max(0, p.width - (extra ? extra.length + 2 : 0)), 'left', t.ascii)}
        </Text>
      </Text>
    </Box>
  );
}
