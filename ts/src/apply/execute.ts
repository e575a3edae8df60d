// execute.ts: carries out a plan's steps in order through the library.
//
// Descriptors opened along the way are kept until the end (an object is
// committed by its create step before anything depends on it) and are
// closed whatever happens.  The first failing step stops the run; the
// error says which step it was and how many had been done.  What the run
// had taken apart and not finished (a port out of its switch or
// disconnected, an ethlink's VLAN) is put back (restore.ts); the error
// says whether that worked and, where not, exactly what was left changed.

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
import { Undo } from './restore';

export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(readonly step: Step, readonly index: number, readonly done: number, override readonly cause: Error,
    /** What became of what the run had taken apart ("restored port ...", "left changed: port ..."). */
    readonly restored: readonly string[] = []) {
    super(`step ${index + 1} (${describeStep(step)}) failed after ${done} change(s): ${cause.message}` +
      (restored.length > 0 ? `; ${restored.join('; ')}` : ''));
  }
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
  const undo = new Undo();
  const ran = new Set<number>();
  let done = 0;
  try {
    for (const [i, s] of steps.entries()) {
      progress?.(s, i, steps.length);
      try {
        await runStep(d, s, byId);
      } catch (e) {
        const restored = undo.pending ? await undo.restore(d, steps, ran) : [];
        throw new StepError(s, i, done, e as Error, restored);
      }
      undo.track(s);
      ran.add(i);
      done++;
    }
  } finally {
    await d.closeAll();
  }
  return done;
}
