// Tests boot real instances with the same launcher the demo uses.
export * from '../../src/demo/fleet.js';
