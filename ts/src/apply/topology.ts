// topology.ts: reads a topology file (YAML or JSON) into a Topology.
//
// The whole file is checked before anything is planned: every problem is
// reported with the path of the field, and a file with any problem
// changes nothing.  Objects are named by UUID and may carry a human name;
// references (a port's peer) take either.  See ts/examples/*.yaml and
// vpcctl(8) for the schema.

import { readFileSync } from 'node:fs';
import { load as loadYaml, CORE_SCHEMA } from 'js-yaml';

import { describe, TopologyError, ValidationError } from '../lib/errors';
import { VXLAN_PORT } from '../lib/limits';
import * as v from '../lib/validate';
import { label } from './format';
import type { MacUse } from './macs';
import { duplicateMacs } from './macs';
import type {
  ArpSpec, Desired, DesiredEthlink, DesiredNic, DesiredPort, DesiredSwitch, DesiredVpclink, FloodSpec,
  FwdSpec, Topology,
} from './model';
import { TYPE_ORDER } from './model';

type Obj = Record<string, unknown>;

const KEYS: Record<string, readonly string[]> = {
  top: ['version', 'host', 'vpclinks', 'ethlinks', 'nics', 'switches'],
  vpclink: ['id', 'name', 'local', 'port', 'fwd'],
  ethlink: ['id', 'name', 'ifname', 'vlan', 'mtu'],
  nic: ['id', 'name', 'type', 'mtu', 'mac', 'queues'],
  switch: ['id', 'name', 'mode', 'mtu', 'mac', 'flood', 'arp', 'ports'],
  port: ['id', 'name', 'vni', 'vlan', 'peer'],
  flood: ['vni', 'remotes'],
  arp: ['vni', 'ip', 'mac'],
  fwd: ['vni', 'mac', 'remote'],
};

/** Keys vpcd refuses for a type (ENOTTY), with the reason given when a file has one. */
const REFUSED: Record<string, Readonly<Record<string, string>>> = {
  vpclink: { mtu: "a vpclink's MTU is derived from its underlay (vpcd refuses it)" },
  port: { mtu: 'a port has no MTU of its own (vpcd refuses it)', mac: 'a port has no MAC address of its own (vpcd refuses it)' },
};

class Checker {
  readonly problems: string[] = [];

  /** Run 'fn'; a ValidationError becomes a problem at 'path'. */
  field<T>(path: string, fn: (field: string) => T): T | undefined {
    try {
      return fn(path);
    } catch (e) {
      if (e instanceof ValidationError) {
        this.problems.push(e.message);
        return undefined;
      }
      throw e;
    }
  }

  object(value: unknown, path: string, kind: string): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.push(new ValidationError(path, 'a mapping', value).message);
      return undefined;
    }
    const o = value as Obj;
    const allowed = KEYS[kind] ?? [];
    for (const k of Object.keys(o)) {
      const refused = REFUSED[kind]?.[k];
      if (refused !== undefined) {
        this.problems.push(`${path}.${k}: ${refused}; remove the key`);
      } else if (!allowed.includes(k)) {
        this.problems.push(`unknown key ${path}.${k} (expected one of ${allowed.join(', ')})`);
      }
    }
    return o;
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problems.push(new ValidationError(path, 'a list', value).message);
      return [];
    }
    return value;
  }

  optional<T>(o: Obj, key: string, path: string, fn: (x: unknown, f: string) => T): T | undefined {
    const x = o[key];
    if (x === undefined || x === null) return undefined;
    return this.field(`${path}.${key}`, (f) => fn(x, f));
  }
}

function common(c: Checker, o: Obj, path: string): { id: string; name: string } {
  const id = c.field(`${path}.id`, (f) => v.uuid(o['id'], f)) ?? '';
  const name = o['name'] === undefined ? '' : c.field(`${path}.name`, (f) => v.objectName(o['name'], f)) ?? '';
  return { id, name };
}

/**
 * The entries of list 'key' of 'o'; 'unique' names what identifies an
 * entry ("vni 400"): two entries with the same one are a problem naming
 * both paths ('rule' says why: "one flood list per VNI").
 */
function entries<T>(c: Checker, o: Obj, key: string, path: string, kind: string,
  fn: (e: Obj, p: string) => T | undefined, unique: (e: T) => string, rule: string): T[] | undefined {
  if (o[key] === undefined) return undefined;
  const out: T[] = [];
  const seen = new Map<string, string>();
  c.list(o[key], `${path}.${key}`).forEach((x, i) => {
    const p = `${path}.${key}[${i}]`;
    const e = c.object(x, p, kind);
    const r = e === undefined ? undefined : fn(e, p);
    if (r === undefined) return;
    const k = unique(r);
    const other = seen.get(k);
    if (other !== undefined) c.problems.push(`${p}: ${k} is also given by ${other} (${rule})`);
    else seen.set(k, p);
    out.push(r);
  });
  return out;
}

function arpEntry(c: Checker, e: Obj, p: string): ArpSpec | undefined {
  const vni = c.field(`${p}.vni`, (f) => v.vni(e['vni'], f));
  const ip = c.field(`${p}.ip`, (f) => v.address(e['ip'], f, 4));
  const mac = c.field(`${p}.mac`, (f) => v.mac(e['mac'], f));
  return vni === undefined || ip === undefined || mac === undefined ? undefined : { vni, ip, mac };
}

function fwdEntry(c: Checker, e: Obj, p: string): FwdSpec | undefined {
  const vni = c.field(`${p}.vni`, (f) => v.vni(e['vni'], f));
  const mac = c.field(`${p}.mac`, (f) => v.mac(e['mac'], f));
  const remote = c.field(`${p}.remote`, (f) => v.address(e['remote'], f));
  return vni === undefined || mac === undefined || remote === undefined ? undefined : { vni, mac, remote };
}

function floodEntry(c: Checker, e: Obj, p: string): FloodSpec | undefined {
  const vni = c.field(`${p}.vni`, (f) => v.vni(e['vni'], f));
  const remotes = c.field(`${p}.remotes`, (f) => v.floodList(c.list(e['remotes'], f), f));
  return vni === undefined || remotes === undefined ? undefined : { vni, remotes };
}

const floodKey = (e: FloodSpec): string => `vni ${e.vni}`;
const arpKey = (e: ArpSpec): string => `vni ${e.vni} ip ${e.ip}`;
const fwdKey = (e: FwdSpec): string => `vni ${e.vni} mac ${e.mac}`;

/** Check a parsed document 'doc' (from 'source', for messages). */
export function topologyFromDocument(doc: unknown, source = 'topology'): Topology {
  const c = new Checker();
  const top = c.object(doc, source, 'top');
  if (top === undefined) throw new TopologyError(`${source} is not a valid topology`, c.problems);
  if (top['version'] !== undefined && top['version'] !== 1) {
    c.problems.push(new ValidationError('version', 'version 1', top['version']).message);
  }
  const host = typeof top['host'] === 'string' ? top['host'] : '';
  const objects: Desired[] = [];
  // Ports name their peer by name or id: resolved once every object is known.
  const peerRefs: { port: DesiredPort; ref: string; path: string }[] = [];

  c.list(top['vpclinks'], 'vpclinks').forEach((x, i) => {
    const p = `vpclinks[${i}]`;
    const o = c.object(x, p, 'vpclink');
    if (o === undefined) return;
    const d: DesiredVpclink = { type: 'vpclink', ...common(c, o, p), path: p };
    const address = c.optional(o, 'local', p, (y, f) => v.address(y, f));
    const port = c.optional(o, 'port', p, (y, f) => v.udpPort(y, f)) ?? VXLAN_PORT;
    if (address !== undefined) d.local = { address, port: port === 0 ? VXLAN_PORT : port };
    else if (o['port'] !== undefined) c.problems.push(`${p}.port is given without ${p}.local`);
    const fwd = entries(c, o, 'fwd', p, 'fwd', (e, ep) => fwdEntry(c, e, ep), fwdKey, 'one entry per VNI and MAC');
    if (fwd !== undefined) d.fwd = fwd;
    objects.push(d);
  });
  c.list(top['ethlinks'], 'ethlinks').forEach((x, i) => {
    const p = `ethlinks[${i}]`;
    const o = c.object(x, p, 'ethlink');
    if (o === undefined) return;
    const d: DesiredEthlink = { type: 'ethlink', ...common(c, o, p), path: p };
    const ifname = c.optional(o, 'ifname', p, v.ifname);
    if (ifname !== undefined) d.ifname = ifname;
    const vlan = c.optional(o, 'vlan', p, v.vlan);
    if (vlan !== undefined) d.vlan = vlan;
    const mtu = c.optional(o, 'mtu', p, v.mtu);
    if (mtu !== undefined) d.mtu = mtu;
    objects.push(d);
  });
  c.list(top['nics'], 'nics').forEach((x, i) => {
    const p = `nics[${i}]`;
    const o = c.object(x, p, 'nic');
    if (o === undefined) return;
    const type = c.field(`${p}.type`, (f) => {
      if (o['type'] !== 'vpci' && o['type'] !== 'vmnic') throw new ValidationError(f, 'one of vpci, vmnic', o['type']);
      return o['type'];
    });
    const d: DesiredNic = { type: type ?? 'vpci', ...common(c, o, p), path: p };
    const mtu = c.optional(o, 'mtu', p, v.mtu);
    if (mtu !== undefined) d.mtu = mtu;
    const mac = c.optional(o, 'mac', p, v.mac);
    if (mac !== undefined) d.mac = mac;
    const queues = c.optional(o, 'queues', p, v.queues);
    if (queues !== undefined) d.queues = queues;
    objects.push(d);
  });
  c.list(top['switches'], 'switches').forEach((x, i) => {
    const p = `switches[${i}]`;
    const o = c.object(x, p, 'switch');
    if (o === undefined) return;
    const d: DesiredSwitch = { type: 'switch', ...common(c, o, p), path: p };
    const mode = c.optional(o, 'mode', p, v.switchMode);
    if (mode !== undefined) d.mode = mode;
    const mtu = c.optional(o, 'mtu', p, v.mtu);
    if (mtu !== undefined) d.mtu = mtu;
    const mac = c.optional(o, 'mac', p, v.mac);
    if (mac !== undefined) d.mac = mac;
    const flood = entries(c, o, 'flood', p, 'flood', (e, ep) => floodEntry(c, e, ep), floodKey, 'one flood list per VNI');
    if (flood !== undefined) d.flood = flood;
    const arp = entries(c, o, 'arp', p, 'arp', (e, ep) => arpEntry(c, e, ep), arpKey, 'one entry per VNI and address');
    if (arp !== undefined) d.arp = arp;
    objects.push(d);
    c.list(o['ports'], `${p}.ports`).forEach((y, j) => {
      const pp = `${p}.ports[${j}]`;
      const po = c.object(y, pp, 'port');
      if (po === undefined) return;
      const port: DesiredPort = { type: 'port', ...common(c, po, pp), path: pp, switch: d.id };
      port.vni = c.field(`${pp}.vni`, (f) => v.vni(po['vni'], f));
      const vlan = c.optional(po, 'vlan', pp, v.vlan);
      if (vlan !== undefined) port.vlan = vlan;
      if (po['peer'] !== undefined) {
        if (typeof po['peer'] !== 'string') {
          c.problems.push(new ValidationError(`${pp}.peer`, 'the name or UUID of a nic, vpclink or ethlink', po['peer']).message);
        } else {
          peerRefs.push({ port, ref: po['peer'], path: `${pp}.peer` });
        }
      }
      objects.push(port);
    });
  });

  // Unique ids and names.
  const names = new Map<string, string>();
  const byId = new Map<string, Desired>();
  for (const d of objects) {
    if (d.id === '') continue;
    const prev = byId.get(d.id);
    if (prev !== undefined) c.problems.push(`${d.path}.id ${d.id} is also the id of ${prev.path}`);
    byId.set(d.id, d);
    if (d.name !== '') {
      const other = names.get(d.name);
      if (other !== undefined && other !== d.id) c.problems.push(`${d.path}.name ${describe(d.name)} is used twice`);
      names.set(d.name, d.id);
    }
  }
  // Peers: a name in the file, or a UUID (of an object in the file or one that exists already).
  const peerUsers = new Map<string, string>();
  for (const { port, ref, path } of peerRefs) {
    let id = names.get(ref);
    if (id === undefined) {
      id = c.field(path, (f) => {
        if (!v.validateUuid(ref)) throw new ValidationError(f, `the name of an object in the file (${[...names.keys()].join(', ')}) or a UUID`, ref);
        return v.uuid(ref, f);
      });
    }
    if (id === undefined) continue;
    const target = byId.get(id);
    if (target !== undefined && (target.type === 'switch' || target.type === 'port')) {
      c.problems.push(`${path}: a port connects to a nic, vpclink or ethlink, not to the ${target.type} ${describe(ref)}`);
      continue;
    }
    if (target !== undefined && (target.type === 'vmnic' || target.type === 'vpci')) {
      const other = peerUsers.get(id);
      if (other !== undefined) c.problems.push(`${path}: ${describe(ref)} is already the peer of ${other} (a NIC has one port)`);
      peerUsers.set(id, path);
    }
    port.peer = id;
  }
  // A vpclink or ethlink takes one port per VNI (per VLAN for an ethlink): catch duplicates early.
  const links = new Map<string, string>();
  for (const d of objects) {
    if (d.type !== 'port' || d.peer === undefined) continue;
    const t = byId.get(d.peer);
    if (t === undefined || (t.type !== 'vpclink' && t.type !== 'ethlink')) continue;
    const key = t.type === 'vpclink' ? `${d.peer}/vni ${d.vni}` : `${d.peer}/vlan ${d.vlan || (t.vlan ?? 0)}`;
    const other = links.get(key);
    if (other !== undefined) c.problems.push(`${d.path}: ${t.type} ${t.name || t.id} already has a port for ${key.split('/')[1]} (${other})`);
    links.set(key, d.path);
  }
  // One NIC per MAC on a VNI of a switch, among the MACs the file gives
  // (the plan checks the rest against what exists).
  const macUses: MacUse[] = [];
  for (const d of objects) {
    if (d.type !== 'port' || d.peer === undefined || d.switch === undefined || d.vni === undefined) continue;
    const nic = byId.get(d.peer);
    const sw = byId.get(d.switch);
    if ((nic?.type !== 'vmnic' && nic?.type !== 'vpci') || nic.mac === undefined) continue;
    macUses.push({
      what: `${nic.path}.mac`, mac: nic.mac, port: d.path, switch: d.switch,
      switchLabel: label(sw?.name ?? '', d.switch), vni: d.vni, named: true,
    });
  }
  c.problems.push(...duplicateMacs(macUses));
  if (c.problems.length > 0) throw new TopologyError(`${source} is not a valid topology (nothing was changed)`, c.problems);
  objects.sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  return { host, objects, names };
}

/** Where a JSON document's frames are while scanning: an object's key, an array's index. */
type JsonFrame = { object: true; keys: Set<string>; key: string | null; wantKey: boolean } | { object: false; index: number };

function jsonPath(frames: readonly JsonFrame[]): string {
  let out = '';
  for (const f of frames) {
    if (f.object) out += out === '' ? (f.key ?? '') : `.${f.key ?? ''}`;
    else out += `[${f.index}]`;
  }
  return out === '' ? 'the top level' : out;
}

/**
 * The first key that an object of valid JSON 'text' gives twice, with the
 * path of that object ("switches[0]"), or undefined.  JSON.parse keeps the
 * last silently; YAML refuses them, and so do we.
 */
export function duplicateJsonKey(text: string): { key: string; path: string } | undefined {
  const frames: JsonFrame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = frames[frames.length - 1];
      if (top !== undefined && top.object && top.wantKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, path: jsonPath(frames.slice(0, -1)) };
        top.keys.add(key);
        top.key = key;
        top.wantKey = false;
      }
      i = j;
    } else if (ch === '{') {
      frames.push({ object: true, keys: new Set(), key: null, wantKey: true });
    } else if (ch === '[') {
      frames.push({ object: false, index: 0 });
    } else if (ch === '}' || ch === ']') {
      frames.pop();
    } else if (ch === ',') {
      const top = frames[frames.length - 1];
      if (top === undefined) continue;
      if (top.object) top.wantKey = true;
      else top.index++;
    }
  }
  return undefined;
}

/**
 * Parse YAML or JSON text (JSON is YAML).  YAML is read with the 1.2 core
 * schema (no timestamps or other implicit types; duplicate keys are an
 * error).  A '.json' source is read with the JSON parser, which is many
 * times faster on large topologies, under the same rules: a duplicate key
 * is an error, a leading UTF-8 byte order mark is skipped.
 */
export function topologyFromText(text: string, source = 'topology'): Topology {
  let doc: unknown;
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (source.endsWith('.json')) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new TopologyError(`${source}: not JSON: ${(e as Error).message}`);
    }
    const dup = duplicateJsonKey(text);
    if (dup !== undefined) {
      throw new TopologyError(`${source}: duplicate key ${JSON.stringify(dup.key)} in ${dup.path} (each key may be given once; nothing was changed)`);
    }
    return topologyFromDocument(doc, source);
  }
  try {
    doc = loadYaml(text, { schema: CORE_SCHEMA, filename: source });
  } catch (e) {
    throw new TopologyError(`${source}: not YAML or JSON: ${(e as Error).message}`);
  }
  return topologyFromDocument(doc, source);
}

export function topologyFromFile(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TopologyError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return topologyFromText(text, file);
}
