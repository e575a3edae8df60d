#!/usr/bin/env node
// vpcctl: the command-line tool of vpc (oclif; commands in ts/src/commands).
'use strict';
const path = require('node:path');
const { execute } = require('@oclif/core');

execute({ dir: path.join(__dirname, '..', '..', 'package.json') }).catch((e) => {
  console.error(`vpcctl: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = process.exitCode || 1;
});
