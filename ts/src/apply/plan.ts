// plan.ts: the difference between desired objects and live state, as an
// ordered list of steps.
//
// Pure: takes the desired objects and what was read, returns steps (or
// throws ConflictError), so it is unit-tested without vpcd.  Before any
// step it checks the state the plan would end in against what vpcd allows
// of relations: one port per NIC, one port per VNI on a vpclink (per
// effective VLAN on an ethlink), one link-connected port per VNI in a
// switch, and one NIC per MAC on a VNI of a switch (macs.ts), counting the
// live ports and NICs the input does not name.  Order: detach ports that
// must move or change, or that must be out of the way of another's change
// (detours.ts: the ports of an ethlink whose VLAN changes, the port of a
// NIC that takes a MAC another NIC of its segment gives up), create in
// dependency order (links and NICs, switches, ports; each committed),
// change settings, attach ports (switch, then peer), then entries.
// Deleting goes the other way: ports out of switches and disconnected,
// then destroyed, then the rest.

import { TopologyError } from '../lib/errors';
import type { ObjectType } from '../lib/limits';
import type { PortEnd } from './ends';
import { portEnds } from './ends';
import { detours } from './detours';
import { macProblems } from './macs';
import type { ArpSpec, Desired, FloodSpec, FwdSpec, Live } from './model';
import { TYPE_ORDER } from './model';

export type Scalar = string | number | null;

export type Step =
  | { kind: 'create'; type: ObjectType; id: string; name: string; settings: Record<string, Scalar> }
  | { kind: 'set'; type: ObjectType; id: string; name: string; field: string; from: Scalar; to: Scalar }
  | { kind: 'commit'; type: ObjectType; id: string; name: string }
  | { kind: 'port-add'; type: 'switch'; id: string; name: string; port: string; portName: string }
  | { kind: 'port-del'; type: 'switch'; id: string; name: string; port: string; portName: string }
  | { kind: 'connect'; type: 'port'; id: string; name: string; peer: string; peerName: string }
  | { kind: 'disconnect'; type: 'port'; id: string; name: string; peer: string; peerName: string }
  | { kind: 'flood-set'; type: 'switch'; id: string; name: string; vni: number; from: string[]; to: string[] }
  | { kind: 'arp-add'; type: 'switch'; id: string; name: string; entry: ArpSpec }
  | { kind: 'arp-del'; type: 'switch'; id: string; name: string; entry: ArpSpec }
  | { kind: 'fwd-set'; type: 'vpclink'; id: string; name: string; entry: FwdSpec }
  | { kind: 'fwd-del'; type: 'vpclink'; id: string; name: string; entry: FwdSpec }
  | { kind: 'destroy'; type: ObjectType; id: string; name: string };

export interface Plan {
  steps: Step[];
  /** Objects of the input that need no change. */
  unchanged: { type: ObjectType; id: string; name: string }[];
}

export interface FieldConflict { field: string; live: Scalar; wanted: Scalar; }

/**
 * The input conflicts with what exists: settings of an existing object
 * that may not change (strict), references to what does not exist or is
 * of another type, or relations vpcd would refuse (also two NICs with one
 * MAC on a VNI of a switch, even two new ones).  Nothing was changed.
 */
export class ConflictError extends TopologyError {
  override readonly name = 'ConflictError';
  constructor(message: string, problems: readonly string[],
    /** The object whose settings differ (settings()), else null. */
    readonly type: ObjectType | null = null,
    readonly id: string | null = null,
    readonly fields: readonly FieldConflict[] = []) {
    super(message, problems);
  }

  /** Settings of existing object 'id' differ from those wanted. */
  static settings(type: ObjectType, id: string, fields: readonly FieldConflict[]): ConflictError {
    return new ConflictError(`${type} ${id} exists with different settings (nothing was changed)`,
      fields.map((f) => `${f.field}: it has ${String(f.live)}, wanted ${String(f.wanted)}`), type, id, fields);
  }
}

/** The scalar settings of 'd' that are given (for create and compare). */
export function settingsOf(d: Desired): Record<string, Scalar> {
  const s: Record<string, Scalar> = {};
  const put = (k: string, x: Scalar | undefined): void => {
    if (x !== undefined) s[k] = x;
  };
  switch (d.type) {
    case 'switch': put('mtu', d.mtu); put('mac', d.mac); put('mode', d.mode); break;
    case 'port': put('vni', d.vni); put('vlan', d.vlan); break;
    case 'vmnic': case 'vpci': put('mtu', d.mtu); put('mac', d.mac); put('queues', d.queues); break;
    case 'ethlink': put('mtu', d.mtu); put('ifname', d.ifname); put('vlan', d.vlan); break;
    case 'vpclink':
      if (d.local !== undefined) { put('local', d.local.address); put('port', d.local.port); }
      break;
  }
  return s;
}

/**
 * Settings a new object gets when the input does not give them: written
 * out at creation so the plan shows them (vpcd's defaults too).  An
 * existing object keeps what it has.
 */
function withCreateDefaults(d: Desired, settings: Record<string, Scalar>): Record<string, Scalar> {
  const defaults: Record<string, Scalar> = d.type === 'switch' ? { mode: 'programmed' } : d.type === 'port' ? { vlan: 0 } : {};
  const out = { ...settings };
  for (const [k, x] of Object.entries(defaults)) if (!(k in out)) out[k] = x;
  return out;
}

function liveSetting(l: Live, field: string): Scalar {
  switch (field) {
    case 'mtu': return l.mtu;
    case 'mac': return l.mac;
    case 'mode': return l.mode ?? null;
    case 'vni': return l.vni ?? null;
    case 'vlan': return l.vlan ?? null;
    case 'queues': return l.queues ?? null;
    case 'ifname': return l.ifname ?? null;
    case 'local': return l.local?.address ?? null;
    case 'port': return l.local?.port ?? null;
    default: return null;
  }
}

const arpKey = (e: ArpSpec): string => `${e.vni}/${e.ip}`;
const fwdKey = (e: FwdSpec): string => `${e.vni}/${e.mac}`;

export interface PlanOptions {
  /** Refuse (ConflictError) to change any setting of an existing object. */
  strict?: boolean;
}

/**
 * Problems with the relations the plan would end in ('ends': ports as
 * 'desired' makes them, every other live port as it is).  Ports are
 * detached before any is attached, so an end state without a problem is
 * reached without one: vpcd refuses only what is a problem here (EBUSY,
 * EEXIST).
 */
function relationProblems(desired: readonly Desired[], live: ReadonlyMap<string, Live>,
  types: ReadonlyMap<string, ObjectType>, ends: ReadonlyMap<string, PortEnd>): string[] {
  const byId = new Map(desired.map((d) => [d.id, d]));
  const typeOf = (id: string): ObjectType | undefined => byId.get(id)?.type ?? types.get(id) ?? live.get(id)?.type;
  const ethVlan = (id: string): number => {
    const d = byId.get(id);
    return (d?.type === 'ethlink' ? d.vlan : undefined) ?? live.get(id)?.vlan ?? 0;
  };
  // Ports the input names first, so that a message is about them.
  const order = [...ends.values()].sort((a, b) => Number(b.named) - Number(a.named));
  const problems: string[] = [];
  const peerTaken = new Map<string, PortEnd>();
  const uplinkTaken = new Map<string, PortEnd>();
  const claim = (taken: Map<string, PortEnd>, key: string, p: PortEnd, what: (other: PortEnd) => string): void => {
    const other = taken.get(key);
    if (other === undefined) {
      taken.set(key, p);
    } else {
      const [mine, theirs] = p.named || !other.named ? [p, other] : [other, p];
      problems.push(`${mine.who}: ${what(theirs)}`);
    }
  };
  for (const p of [...order].reverse()) {
    if (p.peer === null) continue;
    const t = typeOf(p.peer);
    if (t === 'vmnic' || t === 'vpci') {
      claim(peerTaken, p.peer, p, (o) => `${t} ${p.peer} already has port ${o.id} (a NIC has one port)`);
    } else if (t === 'vpclink') {
      claim(peerTaken, `${p.peer}/${p.vni}`, p, (o) => `vpclink ${p.peer} already has port ${o.id} on vni ${p.vni}`);
    } else if (t === 'ethlink') {
      const vlan = p.vlan !== 0 ? p.vlan : ethVlan(p.peer);
      claim(peerTaken, `${p.peer}/${vlan}`, p, (o) => `ethlink ${p.peer} already has port ${o.id} on vlan ${vlan}`);
    }
    if (p.switch !== null && (t === 'vpclink' || t === 'ethlink')) {
      claim(uplinkTaken, `${p.switch}/${p.vni}`, p,
        (o) => `switch ${p.switch} already has port ${o.id} on vni ${p.vni} through a link (one per VNI)`);
    }
  }
  return problems;
}

/**
 * Plan the changes that make 'desired' true, given 'live' (id -> state of
 * every desired object that exists, and of every existing port, ethlink,
 * vmnic and vpci, for the relation and MAC checks and the detours) and
 * 'types' (id -> type of every existing object, to check references).
 */
export function planApply(desired: readonly Desired[], live: ReadonlyMap<string, Live>,
  types: ReadonlyMap<string, ObjectType>, opts: PlanOptions = {}): Plan {
  const names = new Map(desired.map((d) => [d.id, d.name]));
  const label = (id: string): string => names.get(id) ?? '';
  const problems: string[] = [];
  // Type mismatches and dangling references: refuse before anything changes.
  for (const d of desired) {
    const t = types.get(d.id);
    if (t !== undefined && t !== d.type) problems.push(`${d.path}: ${d.id} exists as a ${t}, not a ${d.type} (field type)`);
    if (d.type === 'port' && d.peer !== undefined && !names.has(d.peer)) {
      const pt = types.get(d.peer);
      if (pt === undefined) problems.push(`${d.path}.peer: no object ${d.peer} exists`);
      else if (pt === 'switch' || pt === 'port') problems.push(`${d.path}.peer: ${d.peer} is a ${pt}; a port connects to a nic, vpclink or ethlink`);
    }
    if (d.type === 'port' && d.switch !== undefined && !names.has(d.switch)) {
      const st = types.get(d.switch);
      if (st !== 'switch') problems.push(`${d.path}: switch ${d.switch} ${st === undefined ? 'does not exist' : `is a ${st}`}`);
    }
  }
  let macs: string[] = [];
  if (problems.length === 0) {
    const ends = portEnds(desired, live);
    macs = macProblems(desired, live, ends);
    problems.push(...relationProblems(desired, live, types, ends), ...macs);
  }
  if (problems.length > 0) {
    // Two new NICs of the input with one default MAC conflict with nothing that exists.
    const what = problems.length === macs.length ? 'the input would leave two NICs with one MAC on a VNI of a switch' :
      'the input conflicts with what exists';
    throw new ConflictError(`${what} (nothing was changed)`, problems);
  }

  const detach: Step[] = [];
  const create: Step[] = [];
  const set: Step[] = [];
  const attach: Step[] = [];
  const entries: Step[] = [];
  const unchanged: Plan['unchanged'] = [];

  const { unplug, unswitch } = detours(desired, live);
  const sorted = [...desired].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  for (const d of sorted) {
    const l = live.get(d.id);
    const before = detach.length + create.length + set.length + attach.length + entries.length;
    const settings = settingsOf(d);
    if (l === undefined) {
      create.push({ kind: 'create', type: d.type, id: d.id, name: d.name, settings: withCreateDefaults(d, settings) });
    } else {
      const diffs = Object.entries(settings)
        .map(([field, wanted]) => ({ field, live: liveSetting(l, field), wanted }))
        .filter((f) => f.live !== f.wanted);
      if (d.type === 'port' && opts.strict) {
        if (d.switch !== undefined && l.switch !== d.switch) diffs.push({ field: 'switch', live: l.switch ?? null, wanted: d.switch });
        if (d.peer !== undefined && l.peer !== d.peer) diffs.push({ field: 'peer', live: l.peer ?? null, wanted: d.peer });
      }
      if (opts.strict && diffs.length > 0) throw ConflictError.settings(d.type, d.id, diffs);
      for (const f of diffs) set.push({ kind: 'set', type: d.type, id: d.id, name: d.name, field: f.field, from: f.live, to: f.wanted });
      if (!l.committed) set.push({ kind: 'commit', type: d.type, id: d.id, name: d.name });
    }
    if (d.type === 'port') {
      // A port's VNI and VLAN change only while it is neither in a switch
      // nor connected; a detour (detours.ts) takes it out for another's change.
      const retag = l !== undefined && diffs(l, d);
      const curSwitch = l?.switch ?? null;
      const curPeer = l?.peer ?? null;
      const wantSwitch = d.switch !== undefined ? d.switch : curSwitch;
      const wantPeer = d.peer !== undefined ? d.peer : curPeer;
      const reswitch = retag || curSwitch !== wantSwitch || unswitch.has(d.id);
      const repeer = retag || curPeer !== wantPeer || unplug.has(d.id);
      if (curSwitch !== null && reswitch) {
        detach.push({ kind: 'port-del', type: 'switch', id: curSwitch, name: label(curSwitch), port: d.id, portName: d.name });
      }
      if (curPeer !== null && repeer) {
        detach.push({ kind: 'disconnect', type: 'port', id: d.id, name: d.name, peer: curPeer, peerName: label(curPeer) });
      }
      if (wantSwitch !== null && reswitch) {
        attach.push({ kind: 'port-add', type: 'switch', id: wantSwitch, name: label(wantSwitch), port: d.id, portName: d.name });
      }
      if (wantPeer !== null && repeer) {
        attach.push({ kind: 'connect', type: 'port', id: d.id, name: d.name, peer: wantPeer, peerName: label(wantPeer) });
      }
    }
    if (d.type === 'switch') {
      for (const f of d.flood ?? []) {
        const cur: FloodSpec | undefined = l?.flood?.find((x) => x.vni === f.vni);
        const from = cur?.remotes ?? [];
        if (from.join(',') !== f.remotes.join(',')) {
          entries.push({ kind: 'flood-set', type: 'switch', id: d.id, name: d.name, vni: f.vni, from, to: f.remotes });
        }
      }
      if (d.arp !== undefined) {
        const cur = new Map((l?.arp ?? []).map((e) => [arpKey(e), e]));
        const want = new Map(d.arp.map((e) => [arpKey(e), e]));
        for (const [k, e] of cur) {
          const w = want.get(k);
          if (w === undefined || w.mac !== e.mac) entries.push({ kind: 'arp-del', type: 'switch', id: d.id, name: d.name, entry: e });
        }
        for (const [k, e] of want) {
          const c = cur.get(k);
          if (c === undefined || c.mac !== e.mac) entries.push({ kind: 'arp-add', type: 'switch', id: d.id, name: d.name, entry: e });
        }
      }
    }
    if (d.type === 'vpclink' && d.fwd !== undefined) {
      const cur = new Map((l?.fwd ?? []).map((e) => [fwdKey(e), e]));
      const want = new Map(d.fwd.map((e) => [fwdKey(e), e]));
      for (const [k, e] of cur) {
        if (!want.has(k)) entries.push({ kind: 'fwd-del', type: 'vpclink', id: d.id, name: d.name, entry: e });
      }
      for (const [k, e] of want) {
        const c = cur.get(k);
        if (c === undefined || c.remote !== e.remote) entries.push({ kind: 'fwd-set', type: 'vpclink', id: d.id, name: d.name, entry: e });
      }
    }
    const after = detach.length + create.length + set.length + attach.length + entries.length;
    if (after === before && l !== undefined) unchanged.push({ type: d.type, id: d.id, name: d.name });
  }
  // Detours of live ports the input does not name: out and back as they are.
  const named = new Set(desired.map((d) => d.id));
  for (const l of live.values()) {
    if (l.type !== 'port' || named.has(l.id)) continue;
    const sw = l.switch ?? null;
    const peer = l.peer ?? null;
    if (sw !== null && unswitch.has(l.id)) {
      detach.push({ kind: 'port-del', type: 'switch', id: sw, name: label(sw), port: l.id, portName: '' });
      attach.push({ kind: 'port-add', type: 'switch', id: sw, name: label(sw), port: l.id, portName: '' });
    }
    if (peer !== null && unplug.has(l.id)) {
      detach.push({ kind: 'disconnect', type: 'port', id: l.id, name: '', peer, peerName: label(peer) });
      attach.push({ kind: 'connect', type: 'port', id: l.id, name: '', peer, peerName: label(peer) });
    }
  }
  return { steps: [...detach, ...create, ...set, ...attach, ...entries], unchanged };
}

/** True when the port's VNI or VLAN must change. */
function diffs(l: Live, d: Desired): boolean {
  return d.type === 'port' && ((d.vni !== undefined && d.vni !== l.vni) || (d.vlan !== undefined && d.vlan !== l.vlan));
}

/** Plan the removal of every desired object that exists. */
export function planDelete(desired: readonly Desired[], live: ReadonlyMap<string, Live>): Plan {
  const names = new Map(desired.map((d) => [d.id, d.name]));
  const steps: Step[] = [];
  const sorted = [...desired].sort((a, b) => TYPE_ORDER.indexOf(b.type) - TYPE_ORDER.indexOf(a.type));
  for (const d of sorted) {
    const l = live.get(d.id);
    if (l === undefined || l.type !== d.type) continue;
    if (l.type === 'port') {
      if (l.switch) steps.push({ kind: 'port-del', type: 'switch', id: l.switch, name: names.get(l.switch) ?? '', port: d.id, portName: d.name });
      if (l.peer) steps.push({ kind: 'disconnect', type: 'port', id: d.id, name: d.name, peer: l.peer, peerName: names.get(l.peer) ?? '' });
    }
    steps.push({ kind: 'destroy', type: d.type, id: d.id, name: d.name });
  }
  return { steps, unchanged: [] };
}
