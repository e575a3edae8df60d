// engine.ts: plan and apply (or delete) a set of desired objects against
// a running vpcd: read what exists, diff, run the steps.

import { isNotFound, Vpc } from '../lib/client';
import type { ObjectType } from '../lib/limits';
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

/** Types read whole, named or not, for planApply's checks. */
const RELATED: ReadonlySet<ObjectType> = new Set<ObjectType>(['port', 'ethlink', 'vmnic', 'vpci']);

const floodVnisOf = (d: Desired): number[] => (d.type === 'switch' ? (d.flood ?? []).map((f) => f.vni) : []);

/**
 * Read the live state of every desired object that exists and, with
 * 'relations', of every other port, ethlink, vmnic and vpci too (what
 * planApply checks relations and MACs against, and the ports it may take
 * out of the way): from one configuration dump where it describes
 * the object whole, otherwise (a vpclink, an object not yet committed, a
 * kernel or vpcd without the dump) object by object, several at a time
 * (each on its own descriptor).  A failure fails the read.
 */
export async function readState(vpc: Vpc, desired: readonly Desired[], relations = false) {
  const types = await liveTypes(vpc);
  const wanted = new Map<string, { type: ObjectType; floodVnis: number[] }>();
  for (const d of desired) if (types.get(d.id) === d.type) wanted.set(d.id, { type: d.type, floodVnis: floodVnisOf(d) });
  if (relations) {
    for (const [id, type] of types) {
      if (RELATED.has(type) && !wanted.has(id)) wanted.set(id, { type, floodVnis: [] });
    }
  }
  const dump = await readDump(vpc);
  const dumped = dump === null ? new Map<string, Live>() :
    liveFromDump(dump, new Map([...wanted].map(([id, w]) => [id, w.floodVnis])));
  const live = new Map<string, Live>();
  const rest: { id: string; type: ObjectType; floodVnis: number[] }[] = [];
  for (const [id, w] of wanted) {
    const l = dumped.get(id);
    if (l !== undefined && l.type === w.type) live.set(id, l);
    else rest.push({ id, ...w });
  }
  // An object read only for the relation checks may go away meanwhile.
  const desiredIds = new Set(desired.map((d) => d.id));
  const read = await mapLimit(rest, READ_PARALLEL, (r) => readLive(vpc, r.type, r.id, r.floodVnis)
    .catch((e: unknown) => {
      if (isNotFound(e) && !desiredIds.has(r.id)) return null;
      throw e;
    }));
  rest.forEach((r, i) => {
    const l = read[i];
    if (l !== null && l !== undefined) live.set(r.id, l);
  });
  return { types, live };
}

export async function planFor(vpc: Vpc, desired: readonly Desired[], opts: PlanOptions = {}): Promise<Plan> {
  const { types, live } = await readState(vpc, desired, true);
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
