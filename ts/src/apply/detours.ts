// detours.ts: ports a plan takes out and puts back though nothing of
// their own changes, because vpcd refuses a change of another object
// while they are attached:
//   - every port connected to an ethlink whose VLAN changes (vpcd refuses
//     VPC_OP_ETHLINK_VLAN_SET with EBUSY while the ethlink has ports): it
//     is disconnected before the change and connected again after;
//   - the port of a vmnic or vpci that takes a MAC another NIC of its
//     switch and VNI has now and gives up in the same plan (vpcd refuses
//     the MAC with EEXIST until the other has changed): it leaves its
//     switch before the change and joins it again after.

import type { Desired, Live } from './model';

export interface Detours {
  /** Ports to disconnect from their peer and connect again. */
  unplug: Set<string>;
  /** Ports to take out of their switch and add again. */
  unswitch: Set<string>;
  /** Ethlinks whose VLAN changes. */
  relinked: Set<string>;
}

export function detours(desired: readonly Desired[], live: ReadonlyMap<string, Live>): Detours {
  const relinked = new Set<string>();
  for (const d of desired) {
    const l = live.get(d.id);
    if (d.type === 'ethlink' && l?.type === 'ethlink' && d.vlan !== undefined && d.vlan !== (l.vlan ?? 0)) relinked.add(d.id);
  }
  const unplug = new Set<string>();
  const portOf = new Map<string, Live>();
  for (const l of live.values()) {
    if (l.type !== 'port' || l.peer === undefined || l.peer === null) continue;
    if (relinked.has(l.peer)) unplug.add(l.id);
    portOf.set(l.peer, l);
  }
  const unswitch = new Set<string>();
  for (const d of desired) {
    if ((d.type !== 'vmnic' && d.type !== 'vpci') || d.mac === undefined) continue;
    const l = live.get(d.id);
    const p = portOf.get(d.id);
    if (l === undefined || l.mac === d.mac || p?.switch === undefined || p.switch === null) continue;
    // Another NIC on the same switch and VNI holds the new MAC now.
    const held = [...portOf.entries()].some(([nic, q]) => {
      const n = live.get(nic);
      return nic !== d.id && (n?.type === 'vmnic' || n?.type === 'vpci') && n.mac === d.mac &&
        q.switch === p.switch && q.vni === p.vni;
    });
    if (held) unswitch.add(p.id);
  }
  return { unplug, unswitch, relinked };
}
