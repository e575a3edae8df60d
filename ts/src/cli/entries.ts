// entries.ts: shared flags and results of the entry commands (flood, arp, fwd).

import { Args, Flags } from '@oclif/core';

import type { ChangeResult } from './verbs';

export const switchArg = Args.string({ description: 'switch UUID', required: true });
export const vpclinkArg = Args.string({ description: 'vpclink UUID', required: true });
export const vniFlag = Flags.string({ description: 'segment (VNI)', required: true });

export type EntryResult = ChangeResult;
