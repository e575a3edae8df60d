#!/usr/bin/env node
// build.js: build the vpc_native addon with node-gyp (run by `npm install`).
//
// node-gyp runs in ts/native so that its build/ directory is
// ts/native/build and never the repository's own build/ (which `make`
// owns and node-gyp's rebuild would wipe).  When the headers of the
// running node sit next to it (<prefix>/include/node, as with distribution
// packages), they are used instead of a download: this machine and CI
// reach no header mirror.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const prefix = path.resolve(path.dirname(process.execPath), '..');
const args = ['rebuild'];
if (process.env.npm_config_nodedir === undefined &&
    fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
	args.push(`--nodedir=${prefix}`);
}
if (process.env.VPC_NATIVE_DEBUG === '1') {
	args.push('--debug');
}
let gyp;
try {
	gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
	console.error('vpc_native: node-gyp is not installed; run `npm install` at the repository root');
	process.exit(1);
}
const r = spawnSync(process.execPath, [gyp, ...args], { cwd: here, stdio: 'inherit' });
if (r.status !== 0) {
	console.error(`vpc_native: node-gyp ${args.join(' ')} failed (exit ${r.status})`);
	process.exit(r.status ?? 1);
}
