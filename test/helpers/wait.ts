// Waits for a condition with a deadline (the unit tier's way in: it needs no fleet).
export { waitFor } from '../../src/runtime/wait.js';
