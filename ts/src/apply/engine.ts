// engine.ts: plan and apply (or delete) a set of desired objects against
// a running vpcd: read what exists, diff, run the steps.

import type { Vpc } from '../lib/client';
import { execute, Progress } from './execute';
import type { Desired, Live } from './model';
import { Plan, planApply, planDelete, PlanOptions } from './plan';
import { liveTypes, readLive } from './state';

/** The JSON result of apply and delete (also what --json prints). */
export interface ApplyResult {
  dryRun: boolean;
  /** Changes planned (dry run) or made. */
  changes: number;
  steps: string[];
  unchanged: { type: string; id: string; name: string }[];
}

/** Read the live state of every desired object that exists. */
export async function readState(vpc: Vpc, desired: readonly Desired[]) {
  const types = await liveTypes(vpc);
  const live = new Map<string, Live>();
  for (const d of desired) {
    const t = types.get(d.id);
    if (t === undefined || t !== d.type) continue;
    const vnis = d.type === 'switch' ? (d.flood ?? []).map((f) => f.vni) : [];
    live.set(d.id, await readLive(vpc, t, d.id, vnis));
  }
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
