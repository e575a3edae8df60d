// restore.ts: what a run has taken apart on the way to its plan, and
// putting it back when a step fails.
//
// A port the run took out of its switch or disconnected (to change its
// VNI or VLAN, to move it, or out of the way of another object's change)
// and that has not had all its planned attach steps is put back as it
// was: previous VNI and VLAN, switch and peer.  An ethlink whose VLAN the
// run changed while a port it disconnected from it is not back as planned
// gets its previous VLAN too: every port then connected to it is
// disconnected first (vpcd refuses the VLAN while the ethlink has ports),
// and the ports it had are connected again after.  Every undo is tried;
// one line per object says it was restored, or exactly what was left
// changed and why.

import type { AnyObject } from '../lib/client';
import type { Ethlink } from '../lib/ethlink';
import type { ObjectType } from '../lib/limits';
import type { Port } from '../lib/port';
import type { Switch } from '../lib/switch';
import type { Step } from './plan';

/** Relations and tags of a port: undefined where the run did not touch them. */
interface PortState { vni?: number; vlan?: number; switch?: string | null; peer?: string | null; }

/** A port the run detached (or connected to an ethlink it changed): how it was, and how it is now. */
interface Detached { id: string; was: PortState; now: PortState; }

/** An ethlink whose VLAN the run changed. */
interface Relinked { id: string; was: number; now: number; }

/** Where restoring gets its descriptors (the run's). */
export interface Opener {
  get(type: ObjectType, id: string): Promise<AnyObject>;
}

function describePort(p: PortState): string[] {
  const out: string[] = [];
  if (p.vni !== undefined) out.push(`vni ${p.vni}`);
  if (p.vlan !== undefined) out.push(`vlan ${p.vlan}`);
  if (p.switch !== undefined) out.push(p.switch === null ? 'in no switch' : `in switch ${p.switch}`);
  if (p.peer !== undefined) out.push(p.peer === null ? 'not connected' : `connected to ${p.peer}`);
  return out;
}

export class Undo {
  private readonly ports = new Map<string, Detached>();
  private readonly links = new Map<string, Relinked>();

  /** True when the run has taken something apart. */
  get pending(): boolean {
    return this.ports.size > 0 || this.links.size > 0;
  }

  private rec(id: string): Detached {
    let r = this.ports.get(id);
    if (r === undefined) {
      r = { id, was: {}, now: {} };
      this.ports.set(id, r);
    }
    return r;
  }

  /** Follow the effect of step 's', done. */
  track(s: Step): void {
    const first = <K extends keyof PortState>(r: Detached, k: K, x: PortState[K]): void => {
      if (!(k in r.was)) r.was[k] = x;
    };
    switch (s.kind) {
      case 'port-del': { const r = this.rec(s.port); first(r, 'switch', s.id); r.now.switch = null; break; }
      case 'disconnect': { const r = this.rec(s.id); first(r, 'peer', s.peer); r.now.peer = null; break; }
      case 'port-add': {
        const r = this.ports.get(s.port);
        if (r !== undefined) { first(r, 'switch', null); r.now.switch = s.id; }
        break;
      }
      case 'connect': {
        // A port connected to an ethlink the run changed must come off it if that change is undone.
        const r = this.ports.get(s.id) ?? (this.links.has(s.peer) ? this.rec(s.id) : undefined);
        if (r !== undefined) { first(r, 'peer', null); r.now.peer = s.peer; }
        break;
      }
      case 'set': {
        if (s.type === 'ethlink' && s.field === 'vlan') {
          const l = this.links.get(s.id) ?? { id: s.id, was: Number(s.from), now: Number(s.from) };
          l.now = Number(s.to);
          this.links.set(s.id, l);
          break;
        }
        const r = s.type === 'port' ? this.ports.get(s.id) : undefined;
        if (r !== undefined && (s.field === 'vni' || s.field === 'vlan')) {
          first(r, s.field, Number(s.from));
          r.now[s.field] = Number(s.to);
        }
        break;
      }
      case 'destroy': this.ports.delete(s.id); this.links.delete(s.id); break;
      default: break;
    }
  }

  /**
   * Put back what 'steps' (of which the indices in 'ran' are done) had
   * taken apart and not finished; one line per object.
   */
  async restore(d: Opener, steps: readonly Step[], ran: ReadonlySet<number>): Promise<string[]> {
    const complete = (id: string): boolean => {
      const attaches = steps.map((s, i) => ({ s, i })).filter(({ s }) =>
        (s.kind === 'port-add' && s.port === id) || (s.kind === 'connect' && s.id === id));
      return attaches.length > 0 && attaches.every(({ i }) => ran.has(i));
    };
    const todo = new Map([...this.ports].filter(([id]) => !complete(id)));
    const relink = new Map([...this.links].filter(([id, l]) => l.now !== l.was &&
      [...todo.values()].some((r) => r.was.peer === id)));
    for (const r of this.ports.values()) {
      if (r.now.peer !== undefined && r.now.peer !== null && relink.has(r.now.peer)) todo.set(r.id, r);
    }
    const failures = new Map<string, string[]>();
    const attempt = async (id: string, what: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        failures.set(id, [...(failures.get(id) ?? []), `${what}: ${(e as Error).message}`]);
      }
    };
    const port = async (id: string): Promise<Port> => (await d.get('port', id)) as Port;
    const sw = async (id: string): Promise<Switch> => (await d.get('switch', id)) as Switch;
    const retagged = (r: Detached): boolean => (r.was.vni !== undefined && r.now.vni !== r.was.vni) ||
      (r.was.vlan !== undefined && r.now.vlan !== r.was.vlan);
    // Undo in the order vpcd allows: detach (fully, to retag), the ethlinks' VLANs, retag, attach as before.
    for (const { id, was, now } of todo.values()) {
      const retag = retagged({ id, was, now });
      if (now.peer !== undefined && now.peer !== null && (retag || now.peer !== was.peer || relink.has(now.peer))) {
        await attempt(id, 'disconnect', async () => { await (await port(id)).disconnect(); now.peer = null; });
      }
      if (now.switch !== undefined && now.switch !== null && (retag || now.switch !== was.switch)) {
        const s = now.switch;
        await attempt(id, `remove from switch ${s}`, async () => { await (await sw(s)).portDel(id); now.switch = null; });
      }
    }
    for (const l of relink.values()) {
      await attempt(l.id, `set vlan ${l.was}`, async () => {
        await ((await d.get('ethlink', l.id)) as Ethlink).setVlan(l.was);
        l.now = l.was;
      });
    }
    for (const { id, was, now } of todo.values()) {
      if (was.vlan !== undefined && now.vlan !== was.vlan) {
        const x = was.vlan;
        await attempt(id, `set vlan ${x}`, async () => { await (await port(id)).setVlan(x); now.vlan = x; });
      }
      if (was.vni !== undefined && now.vni !== was.vni) {
        const x = was.vni;
        await attempt(id, `set vni ${x}`, async () => { await (await port(id)).setVni(x); now.vni = x; });
      }
    }
    for (const { id, was, now } of todo.values()) {
      if (was.switch !== undefined && was.switch !== null && now.switch !== was.switch) {
        const s = was.switch;
        await attempt(id, `add to switch ${s}`, async () => { await (await sw(s)).portAdd(id); now.switch = s; });
      }
      if (was.peer !== undefined && was.peer !== null && now.peer !== was.peer) {
        const x = was.peer;
        await attempt(id, `connect to ${x}`, async () => { await (await port(id)).connect(x); now.peer = x; });
      }
    }
    const why = (id: string): string => {
      const f = failures.get(id);
      return f !== undefined ? ` (restoring failed: ${f.join('; ')})` : '';
    };
    const lines: string[] = [];
    for (const l of relink.values()) {
      lines.push(l.now === l.was ? `restored ethlink ${l.id}: vlan ${l.was}` :
        `left changed: ethlink ${l.id}: vlan ${l.now} (was ${l.was})${why(l.id)}`);
    }
    for (const { id, was, now } of todo.values()) {
      const keys = (['vni', 'vlan', 'switch', 'peer'] as const).filter((k) => k in was);
      const changed = keys.filter((k) => now[k] !== was[k]);
      if (changed.length === 0) {
        lines.push(`restored port ${id}: ${describePort(was).join(', ')}`);
        continue;
      }
      const parts = changed.map((k) => {
        const [n] = describePort({ [k]: now[k] });
        const [w] = describePort({ [k]: was[k] });
        return `${n ?? ''} (was ${w ?? ''})`;
      });
      lines.push(`left changed: port ${id}: ${parts.join(', ')}${why(id)}`);
    }
    return lines;
  }
}
