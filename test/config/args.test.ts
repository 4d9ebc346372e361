// The argv reader (node:util parseArgs under umltop's flag table): what the commands rely on.
import { describe, expect, it } from 'vitest';
import { flag, flagList, parseArgs, UsageError } from '../../src/config/args.js';

const SPECS = [
  { name: 'uml-dir', takesValue: true, repeatable: true },
  { name: 'interval', takesValue: true },
  { name: 'iterations', short: 'n', takesValue: true },
  { name: 'once' },
  { name: 'read-only' },
];
const parse = (argv: string[], stop?: number) =>
  parseArgs(argv, SPECS, stop === undefined ? {} : { stopAfterPositionals: stop });

describe('parseArgs', () => {
  it('takes flags before and after positionals, negative-looking words as positionals or values', () => {
    const p = parse(['mem', '--uml-dir', '/a', 'vm1', '-16M', '--uml-dir=/b', '--once', '--interval', '-1']);
    expect(p.positionals).toEqual(['mem', 'vm1', '-16M']);
    expect(flagList(p, 'uml-dir')).toEqual(['/a', '/b']);
    expect(flag(p, 'interval')).toBe('-1');
    expect(flag(p, 'once')).toBe('true');
  });

  it('short flags with a value joined or apart; a flag given twice that is not repeatable keeps the last', () => {
    expect(flag(parse(['-n3']), 'iterations')).toBe('3');
    expect(flag(parse(['-n', '4', '--iterations', '5']), 'iterations')).toBe('5');
    expect(flag(parse(['--interval', '1', '--interval', '2']), 'interval')).toBe('2');
  });

  it("'--' ends flags; stopAfterPositionals keeps the rest verbatim, flags and '--' included", () => {
    expect(parse(['a', '--', '--once', '-x']).positionals).toEqual(['a', '--once', '-x']);
    const p = parse(['--uml-dir', '/d', 'vm1', 'config', '--once', '-1', '--', 'x'], 1);
    expect(p.positionals).toEqual(['vm1', 'config', '--once', '-1', '--', 'x']);
    expect(flag(p, 'once')).toBeUndefined();
    expect(parse(['--', '--weird', 'cmd'], 1).positionals).toEqual(['--weird', 'cmd']);
  });

  it('says what is wrong in umltop words', () => {
    const err = (argv: string[]) => {
      try {
        parse(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(['--nope'])).toBe('unknown option --nope');
    expect(err(['-z'])).toBe('unknown option -z');
    expect(err(['--interval'])).toBe('--interval needs a value');
    expect(err(['--once=yes'])).toBe('--once takes no value');
    expect(err(['--interval', '-x'])).toMatch(
      /^--interval needs a value \(one starting with '-' is written --interval=-VALUE\)$/,
    );
    expect(flag(parse(['--interval=-x']), 'interval')).toBe('-x');
  });
});
