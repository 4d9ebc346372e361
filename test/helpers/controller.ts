// A controller that does nothing, for frame tests that render the App without instances to steer.
import type { Controller } from '../../src/actions/controller.js';

export const idleController: Controller = {
  stepInterval: () => 1000,
  quit: () => {},
  redraw: () => {},
  memPlan: async () => ({ ok: false, error: 'not in this test' }),
  memRun: async () => ({ ok: false, message: 'not in this test' }),
  runCommand: async () => ({ ok: false, text: 'not in this test', complete: true }),
  sysrqLetters: async () => undefined,
  ladderStep: async () => ({ ended: false, message: 'not in this test' }),
  bundle: async () => undefined,
};
