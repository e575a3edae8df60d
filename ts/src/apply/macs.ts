// macs.ts: one NIC per MAC on a VNI of a switch.
//
// A switch keeps an entry (VNI, MAC) for every vmnic or vpci whose port is
// in it, and vpcd refuses a second NIC with the same MAC on the same VNI of
// the same switch (EEXIST, at port add, connect or MAC set: in the middle
// of an apply).  These checks find it before anything changes: in a file
// alone (the MACs it gives), and in the state a plan would end in (every
// NIC's MAC as it will be: given, as it is now, or for a new NIC the
// default vpcd derives from its id), counting NICs the input does not name.

import { label } from './format';
import type { Desired, Live } from './model';
import type { PortEnd } from './ends';
import { fromCommandLine, whoOf } from './ends';

/**
 * The MAC vpcd gives an object created without one: the last 6 bytes of
 * its id, with the multicast bit cleared and the locally administered bit
 * set.  Ids that share those bytes (version 1 UUIDs of one host) share it.
 */
export function defaultMac(id: string): string {
  const octets = id.replace(/-/g, '').toLowerCase().slice(20).match(/../g) ?? [];
  const first = (parseInt(octets[0] ?? '0', 16) & ~0x01) | 0x02;
  return [first.toString(16).padStart(2, '0'), ...octets.slice(1)].join(':');
}

/** A NIC on a VNI of a switch, for the check. */
export interface MacUse {
  /** Its MAC, and where that comes from: "nics[1].mac", "the MAC of vmnic <id> (not in the input)". */
  what: string;
  mac: string;
  /** Its port, for messages. */
  port: string;
  switch: string;
  /** The switch, for messages. */
  switchLabel: string;
  vni: number;
  /** The input names the NIC or its port. */
  named: boolean;
}

/**
 * One problem for each use of 'uses' whose switch, VNI and MAC an earlier
 * one has, when the input names either; it is about the one the input
 * names (the later of two it names).
 */
export function duplicateMacs(uses: readonly MacUse[]): string[] {
  const seen = new Map<string, MacUse>();
  const problems: string[] = [];
  for (const u of uses) {
    const key = `${u.switch}/${u.vni}/${u.mac}`;
    const other = seen.get(key);
    if (other === undefined) {
      seen.set(key, u);
      continue;
    }
    if (!u.named && !other.named) continue;
    const [mine, theirs] = u.named ? [u, other] : [other, u];
    problems.push(`${mine.what} is ${u.mac}, as is ${theirs.what}; both NICs are on vni ${u.vni} of switch ` +
      `${u.switchLabel} (${mine.port}, ${theirs.port}), and vpcd takes one NIC per MAC on a VNI of a switch`);
  }
  return problems;
}

/**
 * Problems with the MACs the plan would end in: every vmnic and vpci whose
 * port will be in a switch, with the MAC it will have.  'live' must hold
 * every NIC that is a port's peer (else that NIC is not checked).
 */
export function macProblems(desired: readonly Desired[], live: ReadonlyMap<string, Live>,
  ends: ReadonlyMap<string, PortEnd>): string[] {
  const byId = new Map(desired.map((d) => [d.id, d]));
  const uses: MacUse[] = [];
  // The input's own first, in its order, so that a message is about a later one.
  const order = [...ends.values()].sort((a, b) => Number(b.named) - Number(a.named));
  for (const p of order) {
    if (p.switch === null || p.peer === null) continue;
    const d = byId.get(p.peer);
    const l = live.get(p.peer);
    const type = d?.type ?? l?.type;
    if (type !== 'vmnic' && type !== 'vpci') continue;
    let mac: string;
    let what: string;
    if (d !== undefined && (d.type === 'vmnic' || d.type === 'vpci') && d.mac !== undefined) {
      mac = d.mac;
      what = fromCommandLine(d) ? `the new MAC of ${whoOf(d)}` : `${d.path}.mac`;
    } else if (l !== undefined && l.mac !== null) {
      mac = l.mac;
      what = d !== undefined ? `the current MAC of ${whoOf(d)}` : `the MAC of ${type} ${p.peer} (not in the input)`;
    } else if (d !== undefined && l === undefined) {
      mac = defaultMac(d.id);
      what = `the default MAC of ${whoOf(d)} (from the last 6 bytes of its id; none is given)`;
    } else {
      continue;
    }
    const sw = byId.get(p.switch);
    uses.push({
      what, mac, port: p.who, switch: p.switch, switchLabel: label(sw?.name ?? '', p.switch), vni: p.vni,
      named: d !== undefined || p.named,
    });
  }
  return duplicateMacs(uses);
}
