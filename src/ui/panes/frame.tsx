// A bordered pane of fixed size with a title; content lines are clipped, never wrapped.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Theme } from '../theme.js';

export function Pane(props: {
  title: string;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
  children: ReactNode;
}) {
  const { theme } = props;
  return (
    <Box
      flexDirection="column"
      width={props.width}
      height={props.height}
      borderStyle={theme.border}
      borderColor={props.focused ? theme.c('accent') : theme.c('dim')}
      overflow="hidden"
    >
      <Text wrap="truncate" bold={props.focused} color={props.focused ? theme.c('accent') : undefined}>
        {props.focused ? (theme.ascii ? '* ' : '● ') : ''}
        {props.title}
      </Text>
      {props.children}
    </Box>
  );
}

/** Inner size of a pane: borders take 2 columns and 2 rows, the title one more row. */
export function inner(width: number, height: number): { w: number; h: number } {
  return { w: Math.max(0, width - 2), h: Math.max(0, height - 3) };
}

/**
 * Painted lines (ink-fork/paint.ts), each fitted to the pane, one Text each: a line Ink measures
 * wider than it was fitted is cut, where one Text for all of them would wrap and push the rest down.
 */
export function Lines(props: { lines: string[] }) {
  return (
    <>
      {props.lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
    </>
  );
}
