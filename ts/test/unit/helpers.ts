// helpers.ts: what several unit tests of the apply engine share.

import type { Live } from '../../src/apply/model';
import { topologyFromText } from '../../src/apply/topology';
import { TopologyError } from '../../src/lib/errors';
import type { ObjectType } from '../../src/lib/limits';

/** id -> type of every object of 'live' (planApply's 'types'). */
export function typesOf(live: ReadonlyMap<string, Live>): Map<string, ObjectType> {
  return new Map([...live.values()].map((l) => [l.id, l.type]));
}

/** The problems reading topology 'text' reports; none if it is valid. */
export function fileProblems(text: string): readonly string[] {
  try {
    topologyFromText(text, 'f.yaml');
  } catch (e) {
    if (e instanceof TopologyError) return e.problems;
    throw e;
  }
  return [];
}
