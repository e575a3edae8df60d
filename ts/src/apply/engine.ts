// engine.ts: plan and apply (or delete) a set of desired objects against
// a running vpcd: read what exists, diff, run the steps.

import type { Vpc } from '../lib/client';
import { execute, Progress } from './execute';
import type { Desired, Live } from './model';
import { Plan, planApply, planDelete, PlanOptions } from './plan';
import { liveTypes, readLive } from './state';
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

/**
 * Read the live state of every desired object that exists, several
 * objects at a time (each on its own descriptor); a failure fails the read.
 */
export async function readState(vpc: Vpc, desired: readonly Desired[]) {
  const types = await liveTypes(vpc);
  const live = new Map<string, Live>();
  const present = desired.filter((d) => types.get(d.id) === d.type);
  const read = await mapLimit(present, READ_PARALLEL, (d) =>
    readLive(vpc, d.type, d.id, d.type === 'switch' ? (d.flood ?? []).map((f) => f.vni) : []));
  present.forEach((d, i) => live.set(d.id, read[i] as Live));
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
