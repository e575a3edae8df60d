// execute.ts: carries out a plan's steps in order through the library.
//
// Descriptors opened along the way are kept until the end (an object is
// committed by its create step before anything depends on it) and are
// closed whatever happens.  The first failing step stops the run; the
// error says which step it was and how many had been done.  A port the run
// had taken out of its switch or disconnected (to change its VNI or VLAN,
// or to move it) and not yet attached as planned is put back as it was:
// previous VNI and VLAN, switch and peer; the error says whether that
// worked and, where not, exactly what was left changed.

import type { AnyObject, Vpc } from '../lib/client';
import type { ObjectType } from '../lib/limits';
import type { Ethlink } from '../lib/ethlink';
import type { Nic } from '../lib/nic';
import type { Port } from '../lib/port';
import type { Switch } from '../lib/switch';
import type { Vpclink } from '../lib/vpclink';
import type { VpcObject } from '../lib/object';
import { describeStep } from './format';
import type { Desired } from './model';
import type { Scalar, Step } from './plan';

export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(readonly step: Step, readonly index: number, readonly done: number, override readonly cause: Error,
    /** What became of ports the run had detached ("restored port ...", "left changed: port ..."). */
    readonly restored: readonly string[] = []) {
    super(`step ${index + 1} (${describeStep(step)}) failed after ${done} change(s): ${cause.message}` +
      (restored.length > 0 ? `; ${restored.join('; ')}` : ''));
  }
}

/** Relations and tags of a port: undefined where the run did not touch them. */
interface PortState { vni?: number; vlan?: number; switch?: string | null; peer?: string | null; }

/** A port the run detached: how it was, and how it is now. */
interface Detached { id: string; was: PortState; now: PortState; }

/** Follow the effect of step 's' (done) on the ports the run detached. */
function track(ports: Map<string, Detached>, s: Step): void {
  const rec = (id: string): Detached => {
    let r = ports.get(id);
    if (r === undefined) {
      r = { id, was: {}, now: {} };
      ports.set(id, r);
    }
    return r;
  };
  const first = <K extends keyof PortState>(r: Detached, k: K, x: PortState[K]): void => {
    if (!(k in r.was)) r.was[k] = x;
  };
  switch (s.kind) {
    case 'port-del': { const r = rec(s.port); first(r, 'switch', s.id); r.now.switch = null; break; }
    case 'disconnect': { const r = rec(s.id); first(r, 'peer', s.peer); r.now.peer = null; break; }
    case 'port-add': { const r = ports.get(s.port); if (r !== undefined) { first(r, 'switch', null); r.now.switch = s.id; } break; }
    case 'connect': { const r = ports.get(s.id); if (r !== undefined) { first(r, 'peer', null); r.now.peer = s.peer; } break; }
    case 'set': {
      const r = s.type === 'port' ? ports.get(s.id) : undefined;
      if (r !== undefined && (s.field === 'vni' || s.field === 'vlan')) {
        first(r, s.field, Number(s.from));
        r.now[s.field] = Number(s.to);
      }
      break;
    }
    case 'destroy': ports.delete(s.id); break;
    default: break;
  }
}

function describePort(p: PortState): string[] {
  const out: string[] = [];
  if (p.vni !== undefined) out.push(`vni ${p.vni}`);
  if (p.vlan !== undefined) out.push(`vlan ${p.vlan}`);
  if (p.switch !== undefined) out.push(p.switch === null ? 'in no switch' : `in switch ${p.switch}`);
  if (p.peer !== undefined) out.push(p.peer === null ? 'not connected' : `connected to ${p.peer}`);
  return out;
}

/**
 * Put back the detached ports of 'ports' whose planned attach steps (in
 * 'steps') did not all run; one line per port saying what it is now.
 */
async function restorePorts(d: Descriptors, ports: ReadonlyMap<string, Detached>, steps: readonly Step[],
  ran: ReadonlySet<number>): Promise<string[]> {
  const lines: string[] = [];
  for (const r of ports.values()) {
    const attaches = steps.map((s, i) => ({ s, i })).filter(({ s }) =>
      (s.kind === 'port-add' && s.port === r.id) || (s.kind === 'connect' && s.id === r.id));
    if (attaches.length > 0 && attaches.every(({ i }) => ran.has(i))) continue;
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        failures.push(`${what}: ${(e as Error).message}`);
      }
    };
    const port = async (): Promise<Port> => (await d.get('port', r.id)) as Port;
    const sw = async (id: string): Promise<Switch> => (await d.get('switch', id)) as Switch;
    const { was, now } = r;
    // Undo in the order vpcd allows: detach (fully, to retag), retag, attach as before.
    const retag = (was.vni !== undefined && now.vni !== was.vni) || (was.vlan !== undefined && now.vlan !== was.vlan);
    if (now.peer !== undefined && now.peer !== null && (retag || now.peer !== was.peer)) {
      await attempt('disconnect', async () => { await (await port()).disconnect(); now.peer = null; });
    }
    if (now.switch !== undefined && now.switch !== null && (retag || now.switch !== was.switch)) {
      const s = now.switch;
      await attempt(`remove from switch ${s}`, async () => { await (await sw(s)).portDel(r.id); now.switch = null; });
    }
    if (was.vlan !== undefined && now.vlan !== was.vlan) {
      const x = was.vlan;
      await attempt(`set vlan ${x}`, async () => { await (await port()).setVlan(x); now.vlan = x; });
    }
    if (was.vni !== undefined && now.vni !== was.vni) {
      const x = was.vni;
      await attempt(`set vni ${x}`, async () => { await (await port()).setVni(x); now.vni = x; });
    }
    if (was.switch !== undefined && was.switch !== null && now.switch !== was.switch) {
      const s = was.switch;
      await attempt(`add to switch ${s}`, async () => { await (await sw(s)).portAdd(r.id); now.switch = s; });
    }
    if (was.peer !== undefined && was.peer !== null && now.peer !== was.peer) {
      const x = was.peer;
      await attempt(`connect to ${x}`, async () => { await (await port()).connect(x); now.peer = x; });
    }
    const keys = (['vni', 'vlan', 'switch', 'peer'] as const).filter((k) => k in was);
    const changed = keys.filter((k) => now[k] !== was[k]);
    if (changed.length === 0) {
      lines.push(`restored port ${r.id}: ${describePort(was).join(', ')}`);
    } else {
      const parts = changed.map((k) => {
        const [n] = describePort({ [k]: now[k] });
        const [w] = describePort({ [k]: was[k] });
        return `${n ?? ''} (was ${w ?? ''})`;
      });
      lines.push(`left changed: port ${r.id}: ${parts.join(', ')}` +
        (failures.length > 0 ? ` (restoring failed: ${failures.join('; ')})` : ''));
    }
  }
  return lines;
}

export type Progress = (step: Step, index: number, total: number) => void;

class Descriptors {
  private readonly open = new Map<string, AnyObject>();
  constructor(private readonly vpc: Vpc) {}

  async get<K extends ObjectType>(type: K, id: string): Promise<AnyObject> {
    let o = this.open.get(id);
    if (o === undefined) {
      o = await this.vpc.open(type, id);
      this.open.set(id, o);
    }
    return o;
  }

  async created(type: ObjectType, id: string): Promise<AnyObject> {
    const o = await this.vpc.create(type, id);
    this.open.set(id, o);
    return o;
  }

  forget(id: string): void {
    this.open.delete(id);
  }

  async closeAll(): Promise<void> {
    for (const o of this.open.values()) {
      try {
        await o.close();
      } catch {
        // nothing more to do about a descriptor that will not close
      }
    }
    this.open.clear();
  }
}

async function setField(o: VpcObject, field: string, value: Scalar, desired: Desired | undefined): Promise<void> {
  switch (field) {
    case 'mtu': return o.setMtu(Number(value));
    case 'mac': return o.setMac(String(value));
    case 'mode': return (o as Switch).setMode(value === 'learning' ? 'learning' : 'programmed');
    case 'vni': return (o as Port).setVni(Number(value));
    case 'vlan': return o.type === 'port' ? (o as Port).setVlan(Number(value)) : (o as Ethlink).setVlan(Number(value));
    case 'queues': return (o as Nic).setQueues(Number(value));
    case 'ifname': return (o as Ethlink).attach(String(value));
    case 'local':
    case 'port': {
      if (desired?.type !== 'vpclink' || desired.local === undefined) throw new Error(`no local address to set for ${o.id}`);
      return (o as Vpclink).setLocal(desired.local.address, desired.local.port);
    }
    default:
      throw new Error(`unknown setting ${field}`);
  }
}

/** The order settings are made in at creation: the binding before the MTU it bounds. */
const SETTING_ORDER = ['local', 'port', 'ifname', 'vni', 'vlan', 'mode', 'queues', 'mtu', 'mac'];

async function runStep(d: Descriptors, s: Step, desired: ReadonlyMap<string, Desired>): Promise<void> {
  switch (s.kind) {
    case 'create': {
      const o = await d.created(s.type, s.id);
      const fields = Object.keys(s.settings).sort((a, b) => SETTING_ORDER.indexOf(a) - SETTING_ORDER.indexOf(b));
      let localDone = false;
      for (const f of fields) {
        if (f === 'local' || f === 'port') {
          if (localDone) continue;
          localDone = true;
        }
        await setField(o, f, s.settings[f] ?? null, desired.get(s.id));
      }
      await o.commit();
      return;
    }
    case 'set':
      return setField(await d.get(s.type, s.id), s.field, s.to, desired.get(s.id));
    case 'commit':
      return (await d.get(s.type, s.id)).commit();
    case 'port-add':
      return ((await d.get('switch', s.id)) as Switch).portAdd(s.port);
    case 'port-del':
      return ((await d.get('switch', s.id)) as Switch).portDel(s.port);
    case 'connect':
      return ((await d.get('port', s.id)) as Port).connect(s.peer);
    case 'disconnect':
      return ((await d.get('port', s.id)) as Port).disconnect();
    case 'flood-set':
      return ((await d.get('switch', s.id)) as Switch).floodSet(s.vni, s.to);
    case 'arp-add':
      return ((await d.get('switch', s.id)) as Switch).arpAdd(s.entry);
    case 'arp-del':
      return ((await d.get('switch', s.id)) as Switch).arpDel(s.entry);
    case 'fwd-set':
      return ((await d.get('vpclink', s.id)) as Vpclink).fwdSet(s.entry);
    case 'fwd-del':
      return ((await d.get('vpclink', s.id)) as Vpclink).fwdDel(s.entry);
    case 'destroy': {
      const o = await d.get(s.type, s.id);
      await o.destroy();
      d.forget(s.id);
      await o.close();
      return;
    }
  }
}

/** Run 'steps' in order; 'desired' gives settings that need the whole object. */
export async function execute(vpc: Vpc, steps: readonly Step[], desired: readonly Desired[] = [],
  progress?: Progress): Promise<number> {
  const d = new Descriptors(vpc);
  const byId = new Map(desired.map((x) => [x.id, x]));
  const detached = new Map<string, Detached>();
  const ran = new Set<number>();
  let done = 0;
  try {
    for (const [i, s] of steps.entries()) {
      progress?.(s, i, steps.length);
      try {
        await runStep(d, s, byId);
      } catch (e) {
        const restored = detached.size > 0 ? await restorePorts(d, detached, steps, ran) : [];
        throw new StepError(s, i, done, e as Error, restored);
      }
      track(detached, s);
      ran.add(i);
      done++;
    }
  } finally {
    await d.closeAll();
  }
  return done;
}
