#!/usr/bin/env node
// run-ava.js: run an ava suite (unit, system or all) and end with our summary
// line "N passed, N failed" (", N skipped" when some were), read from
// ava's TAP report; exits with ava's status (1 as well when no test ran).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const suite = process.argv[2];
if (suite !== 'unit' && suite !== 'system' && suite !== 'all') {
  console.error('usage: run-ava.js unit|system|all');
  process.exit(2);
}
const root = path.resolve(__dirname, '..', '..');
const ava = path.join(root, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');
const files = suite === 'all' ? 'ts/dist/test/**/*.test.js' : `ts/dist/test/${suite}/**/*.test.js`;
const r = spawnSync(process.execPath, [ava, '--tap', files], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');
const count = (re) => {
  const m = (r.stdout ?? '').match(re);
  return m ? Number(m[1]) : 0;
};
const passed = count(/^# pass (\d+)$/m);
let failed = count(/^# fail (\d+)$/m);
const skipped = count(/^# skip (\d+)$/m) + count(/^# todo (\d+)$/m);
let status = r.status ?? 1;
if (passed + failed === 0) {
  console.error(`run-ava: the ${suite} suite ran no test (ava exit ${r.status}); counting one failure`);
  failed += 1;
  status = status || 1;
} else if (status !== 0 && failed === 0) {
  console.error(`run-ava: ava exited ${status} without a failed test (uncaught error?); counting one failure`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
