// verbs.ts: the shared bodies of the per-type commands (list, show,
// create, set, delete, stats).  Each command file is a small class that
// names its object type, its flags and examples, and extends one of these.

import { Args, Flags } from '@oclif/core';
import { v4 as uuidv4 } from 'uuid';

import { planFor, planRemoval } from '../apply/engine';
import { execute } from '../apply/execute';
import { describeStep, label, table } from '../apply/format';
import type { Desired, Live } from '../apply/model';
import { liveTypes, readLive } from '../apply/state';
import type { Vpc } from '../lib/client';
import { ValidationError, VpcError } from '../lib/errors';
import type { ObjectType } from '../lib/limits';
import { nonzeroDrops, Stats } from '../lib/object';
import * as v from '../lib/validate';
import { VpcCommand } from './base';
import { desiredFromFlags, SettingValues } from './settings';

/** --json result of create, set, connect and the entry commands. */
export interface ChangeResult {
  type: ObjectType;
  id: string;
  /** "created", "changed" or "unchanged". */
  status: 'created' | 'changed' | 'unchanged';
  changes: string[];
}

/** --json result of delete. */
export interface DeleteResult {
  type: ObjectType;
  id: string;
  status: 'deleted' | 'absent';
  changes: string[];
}

/** --json result of list. */
export interface ListResult { type: ObjectType; ids: string[]; }

/** --json result of stats. */
export interface StatsResult extends Stats { type: ObjectType; id: string; }

export const idArg = Args.string({ description: 'object UUID', required: true });

/** Render a Live object as "key: value" lines. */
export function renderLive(l: Live): string {
  const rows: [string, unknown][] = [['type', l.type], ['id', l.id], ['committed', l.committed ? 'yes' : 'no'],
    ['mtu', l.mtu ?? 'none'], ['mac', l.mac ?? 'none']];
  if (l.mode !== undefined) rows.push(['mode', l.mode]);
  if (l.ports !== undefined) rows.push(['ports', l.ports.length > 0 ? l.ports.join(', ') : 'none']);
  if (l.vni !== undefined) rows.push(['vni', l.vni]);
  if (l.vlan !== undefined) rows.push(['vlan', l.vlan === 0 ? '0 (untagged)' : l.vlan]);
  if (l.switch !== undefined) rows.push(['switch', l.switch ?? 'none']);
  if (l.peer !== undefined) rows.push(['peer', l.peer ?? 'none']);
  if (l.queues !== undefined) rows.push(['queues', l.queues]);
  if (l.ifname !== undefined) rows.push(['ifname', l.ifname === '' ? 'none' : l.ifname]);
  if (l.local !== undefined) rows.push(['local', l.local.address === null ? 'unbound' : `${l.local.address} port ${l.local.port}`]);
  if (l.arp !== undefined) rows.push(['arp entries', l.arp.length]);
  if (l.fwd !== undefined) rows.push(['fwd entries (static)', l.fwd.length]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, x]) => `${`${k}:`.padEnd(w + 1)} ${String(x)}`).join('\n');
}

export function renderStats(s: Stats, all: boolean): string {
  const rows: [string, number][] = [['rx packets', s.rxPkts], ['rx bytes', s.rxBytes], ['tx packets', s.txPkts],
    ['tx bytes', s.txBytes], ['drops', s.dropsTotal]];
  const drops = all ? Object.entries(s.drops).filter(([k]) => k !== 'none') : Object.entries(nonzeroDrops(s));
  return table(['counter', 'value'], [...rows, ...drops.map(([k, n]): [string, number] => [`  drop ${k}`, n])]);
}

/** Apply one desired object; 'strict' refuses to change an existing one. */
export async function changeOne(vpc: Vpc, d: Desired, strict: boolean, mustExist: boolean): Promise<ChangeResult> {
  if (mustExist) {
    const types = await liveTypes(vpc);
    const t = types.get(d.id);
    if (t === undefined) throw new VpcError(`no ${d.type} ${d.id} exists; create it with: vpcctl ${d.type} create ${d.id}`, 2, '', 'vpc_open', d.id, d.type);
  }
  const plan = await planFor(vpc, [d], { strict });
  const existed = plan.steps.every((s) => s.kind !== 'create');
  await execute(vpc, plan.steps, [d]);
  return {
    type: d.type, id: d.id,
    status: plan.steps.length === 0 ? 'unchanged' : existed ? 'changed' : 'created',
    changes: plan.steps.map(describeStep),
  };
}

export function reportChange(cmd: { log(s: string): void; jsonEnabled(): boolean }, r: ChangeResult): void {
  if (cmd.jsonEnabled()) return;
  if (r.status === 'unchanged') {
    cmd.log(`${r.type} ${r.id} unchanged`);
    return;
  }
  for (const c of r.changes) cmd.log(c);
  cmd.log(`${r.type} ${r.id} ${r.status}`);
}

/** Base of the commands that take one object. */
export abstract class ObjectCommand extends VpcCommand {
  static objectType: ObjectType;
  protected get objectType(): ObjectType {
    return (this.constructor as typeof ObjectCommand).objectType;
  }
}

export abstract class ListCommand extends ObjectCommand {
  async run(): Promise<ListResult> {
    await this.parse(this.constructor as typeof ListCommand);
    const vpc = await this.vpc();
    const m = await vpc.mgmt();
    try {
      const ids = await m.list(this.objectType);
      for (const id of ids) this.say(id);
      return { type: this.objectType, ids };
    } finally {
      await m.close();
    }
  }
}

export abstract class ShowCommand extends ObjectCommand {
  static override args = { id: idArg };
  static override flags = {
    vni: Flags.integer({ description: 'also show the flood list of this VNI (switch)', multiple: true }),
  };
  async run(): Promise<Live> {
    const { args, flags } = await this.parse(this.constructor as typeof ShowCommand);
    const id = v.uuid(args.id, 'id');
    const vnis = (flags.vni ?? []).map((x, i) => v.vni(x, `--vni[${i}]`));
    const live = await readLive(await this.vpc(), this.objectType, id, vnis, true);
    this.say(renderLive(live));
    if (live.arp !== undefined && live.arp.length > 0) {
      this.say(`\nARP proxy entries\n${table(['vni', 'ip', 'mac'], live.arp.map((e) => [e.vni, e.ip, e.mac]))}`);
    }
    if (live.fwd !== undefined && live.fwd.length > 0) {
      this.say(`\nforwarding entries\n${table(['vni', 'mac', 'remote'], live.fwd.map((e) => [e.vni, e.mac, e.remote]))}`);
    }
    for (const f of live.flood ?? []) this.say(`flood vni ${f.vni}: ${f.remotes.join(', ') || 'empty'}`);
    return live;
  }
}

export abstract class DeleteCommand extends ObjectCommand {
  static override args = { id: idArg };
  async run(): Promise<DeleteResult> {
    const { args } = await this.parse(this.constructor as typeof DeleteCommand);
    const id = v.uuid(args.id, 'id');
    const vpc = await this.vpc();
    const types = await liveTypes(vpc);
    const t = types.get(id);
    if (t === undefined) {
      this.say(`${this.objectType} ${id} is absent: nothing to delete`);
      return { type: this.objectType, id, status: 'absent', changes: [] };
    }
    if (t !== this.objectType) {
      throw new VpcError(`${id} is a ${t}, not a ${this.objectType}: use vpcctl ${t} delete ${id}`, 91, '', 'vpc_open', id, this.objectType);
    }
    const d: Desired = { type: this.objectType, id, name: '', path: 'id' } as Desired;
    const plan = await planRemoval(vpc, [d]);
    await execute(vpc, plan.steps, [d]);
    const changes = plan.steps.map(describeStep);
    for (const c of changes) this.say(c);
    this.say(`${this.objectType} ${id} deleted`);
    return { type: this.objectType, id, status: 'deleted', changes };
  }
}

export abstract class StatsCommand extends ObjectCommand {
  static override args = { id: idArg };
  static override flags = { all: Flags.boolean({ description: 'list every drop reason, zero or not' }) };
  async run(): Promise<StatsResult> {
    const { args, flags } = await this.parse(this.constructor as typeof StatsCommand);
    const id = v.uuid(args.id, 'id');
    const vpc = await this.vpc();
    const t = this.objectType;
    const s = await vpc.with(t, id, { write: false }, (o) => o.stats());
    this.say(`${t} ${label('', id)}\n${renderStats(s, flags.all)}`);
    return { type: t, id, ...s };
  }
}

/** The id argument of create: optional, a new UUID (v4) when absent. */
export const newIdArg = Args.string({ description: 'object UUID (default: a new random UUID)', required: false });

export function idOrNew(id: string | undefined): string {
  return id === undefined ? uuidv4() : v.uuid(id, 'id');
}

/** create: make the object, or say "unchanged" if it exists with these settings. */
export abstract class CreateCommand extends ObjectCommand {
  static override args = { id: newIdArg };
  /** Settings that create needs ("vni" for a port). */
  static required: readonly string[] = [];
  async run(): Promise<ChangeResult> {
    const ctor = this.constructor as typeof CreateCommand;
    const { args, flags } = await this.parse(ctor);
    const values = flags as SettingValues;
    for (const r of ctor.required) {
      if (values[r] === undefined) throw new ValidationError(`--${r}`, `a value (${this.objectType} create needs --${r})`, undefined);
    }
    const d = desiredFromFlags(this.objectType, idOrNew(args.id), values);
    const r = await changeOne(await this.vpc(), d, true, false);
    reportChange(this, r);
    return r;
  }
}

/** set: change settings of an existing object; unchanged ones are left alone. */
export abstract class SetCommand extends ObjectCommand {
  static override args = { id: idArg };
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(this.constructor as typeof SetCommand);
    const d = desiredFromFlags(this.objectType, v.uuid(args.id, 'id'), flags as SettingValues);
    const r = await changeOne(await this.vpc(), d, false, true);
    reportChange(this, r);
    return r;
  }
}
