// ends.ts: the relations and tags every port will have once a plan is
// done (the input's ports as it makes them, every other live port as it
// is), and how messages name an object of the input.

import type { Desired, Live } from './model';

/** A port as it will be when the plan is done. */
export interface PortEnd {
  id: string;
  /** For messages: "switches[0].ports[1] (port web)", or "port <id>". */
  who: string;
  /** The input names it. */
  named: boolean;
  vni: number;
  vlan: number;
  switch: string | null;
  peer: string | null;
}

/** True when 'd' came from the command line, not from a file. */
export function fromCommandLine(d: Desired): boolean {
  return d.path === 'command line' || d.path === 'id';
}

/** How messages name 'd': its path in the file and its name or id, or "<type> <id>". */
export function whoOf(d: Desired): string {
  return fromCommandLine(d) ? `${d.type} ${d.id}` : `${d.path} (${d.type} ${d.name || d.id})`;
}

/** Every port of the input or of 'live', as the plan will leave it. */
export function portEnds(desired: readonly Desired[], live: ReadonlyMap<string, Live>): Map<string, PortEnd> {
  const named = new Set(desired.map((d) => d.id));
  const ends = new Map<string, PortEnd>();
  for (const l of live.values()) {
    if (l.type !== 'port' || named.has(l.id)) continue;
    ends.set(l.id, {
      id: l.id, who: `port ${l.id}`, named: false, vni: l.vni ?? 0, vlan: l.vlan ?? 0,
      switch: l.switch ?? null, peer: l.peer ?? null,
    });
  }
  for (const d of desired) {
    if (d.type !== 'port') continue;
    const l = live.get(d.id);
    ends.set(d.id, {
      id: d.id, who: whoOf(d), named: true, vni: d.vni ?? l?.vni ?? 0, vlan: d.vlan ?? l?.vlan ?? 0,
      switch: d.switch ?? l?.switch ?? null, peer: d.peer ?? l?.peer ?? null,
    });
  }
  return ends;
}
