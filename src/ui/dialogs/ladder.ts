// The shutdown ladder: each step runs once the umid is typed, and the next is offered only when
// the controller found that this one did not end the instance.
import { LADDER } from '../../actions/commands.js';
import type { DialogEnv } from './env.js';
import { typedUmid, update } from './env.js';
import type { LadderPrompt } from './types.js';

export function submitLadder(env: DialogEnv, d: LadderPrompt): void {
  if (d.stage !== 'typed' || !typedUmid(env, d)) return;
  const step = LADDER[d.step]!;
  update(env, d, (cur) => ({ ...cur, stage: 'running', input: '', error: undefined }));
  void env.controller.ladderStep(d.key, step.step).then((r) => {
    const log = [...d.log, r.message];
    const next = d.step + 1;
    update(env, d, (cur) =>
      r.ended || next >= LADDER.length
        ? {
            ...cur,
            stage: 'done',
            log,
            step: next,
            message: r.ended ? 'done: the wedge is cleared' : 'the ladder has no further step',
          }
        : { ...cur, stage: 'typed', log, step: next },
    );
  });
}
