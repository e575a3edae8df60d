// engine.ts: plan and apply (or delete) a set of desired objects against
// a running vpcd: read what exists, diff, run the steps.

import type { Vpc } from '../lib/client';
import { execute, Progress } from './execute';
import type { Desired, Live } from './model';
import { Plan, planApply, planDelete, PlanOptions } from './plan';
import { liveFromDump, liveTypes, readDump, readLive } from './state';
import { mapLimit } from './pool';

/** Objects read at once: enough to keep libuv's thread pool busy. */
const READ_PARALLEL = 8;

/** The JSON result of apply and delete (also what --json prints). */
export interface ApplyResult {
  dryRun: boolean;
  /** Changes planned (dry run) or made. */
  changes: number;
  steps: string[];
  unchanged: { type: string; id: string; name: string }[];
}

const floodVnisOf = (d: Desired): number[] => (d.type === 'switch' ? (d.flood ?? []).map((f) => f.vni) : []);

/**
 * Read the live state of every desired object that exists: from one
 * configuration dump where it describes the object whole, otherwise (a
 * vpclink, an object not yet committed, a kernel or vpcd without the dump)
 * object by object, several at a time (each on its own descriptor).  A
 * failure fails the read.
 */
export async function readState(vpc: Vpc, desired: readonly Desired[]) {
  const types = await liveTypes(vpc);
  const present = desired.filter((d) => types.get(d.id) === d.type);
  const dump = await readDump(vpc);
  const dumped = dump === null ? new Map<string, Live>() :
    liveFromDump(dump, new Map(present.map((d) => [d.id, floodVnisOf(d)])));
  const live = new Map<string, Live>();
  const rest: Desired[] = [];
  for (const d of present) {
    const l = dumped.get(d.id);
    if (l !== undefined && l.type === d.type) live.set(d.id, l);
    else rest.push(d);
  }
  const read = await mapLimit(rest, READ_PARALLEL, (d) => readLive(vpc, d.type, d.id, floodVnisOf(d)));
  rest.forEach((d, i) => live.set(d.id, read[i] as Live));
  return { types, live };
}

export async function planFor(vpc: Vpc, desired: readonly Desired[], opts: PlanOptions = {}): Promise<Plan> {
  const { types, live } = await readState(vpc, desired);
  return planApply(desired, live, types, opts);
}

export async function planRemoval(vpc: Vpc, desired: readonly Desired[]): Promise<Plan> {
  const { live } = await readState(vpc, desired);
  return planDelete(desired, live);
}

/** Run 'plan' unless 'dryRun'; returns the count of changes. */
export async function runPlan(vpc: Vpc, plan: Plan, desired: readonly Desired[], dryRun: boolean,
  progress?: Progress): Promise<number> {
  if (dryRun) return plan.steps.length;
  return execute(vpc, plan.steps, desired, progress);
}
