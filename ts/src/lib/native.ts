// native.ts: loads the vpc_native addon.
//
// Tries $VPC_NATIVE (a path to the .node file), then ts/native/build/
// Release, then ts/native/build/Debug, and fails with a message saying how
// to build it.  Loaded once, on first use, so that modules that only
// validate (and their unit tests) work without the addon.

import { existsSync } from 'node:fs';
import path from 'node:path';

import type { VpcNative } from '../../native/native';

let loaded: VpcNative | undefined;

/** Where the addon is looked for, in order. */
export function nativeCandidates(): string[] {
  // this file is ts/dist/src/lib/native.js; the addon is ts/native/build
  const nativeDir = path.resolve(__dirname, '..', '..', '..', 'native');
  const list = [
    path.join(nativeDir, 'build', 'Release', 'vpc_native.node'),
    path.join(nativeDir, 'build', 'Debug', 'vpc_native.node'),
  ];
  const env = process.env['VPC_NATIVE'];
  return env !== undefined && env !== '' ? [path.resolve(env), ...list] : list;
}

/** The addon; throws an Error saying how to build it when absent. */
export function native(): VpcNative {
  if (loaded !== undefined) return loaded;
  const tried: string[] = [];
  for (const p of nativeCandidates()) {
    if (!existsSync(p)) {
      tried.push(`${p} (absent)`);
      continue;
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(p) as VpcNative;
      return loaded;
    } catch (e) {
      tried.push(`${p} (${(e as Error).message})`);
    }
  }
  throw new Error(
    'the vpc_native addon is not built; run `npm install` (or `make ts`) at the repository root.\n' +
      `Looked for:\n  ${tried.join('\n  ')}`,
  );
}
