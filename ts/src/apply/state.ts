// state.ts: reads the live state of objects through the library.

import type { Vpc } from '../lib/client';
import type { ObjectType } from '../lib/limits';
import { MODE_NUMBER, OBJECT_TYPES } from '../lib/limits';
import type { DumpRecord } from '../lib/mgmt';
import type { Live } from './model';
import { VpcError } from '../lib/errors';

/**
 * The value of 'p', or null when the object's type has no such op
 * (ENOTTY) or, with 'unbound', when it has none yet (ENOTCONN: the MTU of
 * a vpclink not bound to an underlay, which it derives from it).
 */
async function optional<T>(p: Promise<T>, unbound = false): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof VpcError && (e.code === 'ENOTTY' || (unbound && e.code === 'ENOTCONN'))) return null;
    throw e;
  }
}

/**
 * Read object 'id' of 'type' (read only); 'floodVnis': flood lists to read;
 * 'names': also the interface name of a vmnic or vpci (for show: apply
 * leaves it to the host).
 */
export async function readLive(
  vpc: Vpc, type: ObjectType, id: string, floodVnis: readonly number[] = [], names = false,
): Promise<Live> {
  const o = await vpc.open(type, id, { write: false });
  try {
    // Ports have neither (ENOTTY): skip two round trips per port.
    const dev = type !== 'port';
    const live: Live = {
      type, id, committed: await o.committed(),
      mtu: dev ? await optional(o.mtu(), type === 'vpclink') : null, mac: dev ? await optional(o.mac()) : null,
    };
    switch (o.type) {
      case 'switch':
        live.mode = await o.mode();
        live.ports = await o.ports();
        live.arp = await o.arpList();
        live.flood = [];
        for (const vni of floodVnis) live.flood.push({ vni, remotes: (await o.flood(vni)).sort() });
        break;
      case 'port':
        live.vni = await o.vni();
        live.vlan = await o.vlan();
        live.switch = await o.switchId();
        live.peer = await o.peer();
        break;
      case 'vmnic':
      case 'vpci':
        // Its interface name is the host's choice, not state to manage.
        live.queues = await o.queues();
        if (names) live.ifname = await o.ifname();
        break;
      case 'ethlink':
        live.ifname = await o.ifname();
        live.vlan = await o.vlan();
        break;
      case 'vpclink':
        live.local = await o.local();
        live.fwd = (await o.fwdList()).filter((f) => !f.learned).map(({ vni, mac, remote }) => ({ vni, mac, remote }));
        break;
    }
    return live;
  } finally {
    await o.close();
  }
}

/** Every existing object's type, by id. */
export async function liveTypes(vpc: Vpc): Promise<Map<string, ObjectType>> {
  const inv = await vpc.inventory();
  const out = new Map<string, ObjectType>();
  for (const t of OBJECT_TYPES) for (const id of inv[t]) out.set(id, t);
  return out;
}

/**
 * The records of a configuration dump, or null when the kernel or vpcd
 * predates VPC_OP_MGMT_DUMP (EOPNOTSUPP) or the dump would exceed the
 * largest ctl output (EFBIG): then callers read object by object.
 */
export async function readDump(vpc: Vpc): Promise<DumpRecord[] | null> {
  const m = await vpc.mgmt();
  try {
    return await m.dump();
  } catch (e) {
    if (e instanceof VpcError && (e.code === 'EOPNOTSUPP' || e.code === 'EFBIG')) return null;
    throw e;
  } finally {
    await m.close();
  }
}

/** Types whose every Live field a dump carries (a vpclink's MTU is derived). */
const FROM_DUMP: ReadonlySet<ObjectType> = new Set<ObjectType>(['switch', 'port', 'vmnic', 'vpci', 'ethlink']);

/**
 * Live state, as readLive() gives it, of every committed object of 'dump'
 * whose type the dump fully describes; 'floodVnis' (id -> VNIs) says which
 * flood lists of a switch to report, as readLive's argument does.
 */
export function liveFromDump(dump: readonly DumpRecord[],
  floodVnis: ReadonlyMap<string, readonly number[]> = new Map()): Map<string, Live> {
  const live = new Map<string, Live>();
  const floods = new Map<string, Map<number, string[]>>();
  let cur: Live | undefined;
  for (const r of dump) {
    if (r.op === 'COMMIT') {
      cur = undefined;
      if (r.type === null || !FROM_DUMP.has(r.type)) continue;
      const dev = r.type !== 'port';
      cur = { type: r.type, id: r.id, committed: true, mtu: dev ? 0 : null, mac: null };
      switch (r.type) {
        case 'switch': cur.mode = 'programmed'; cur.ports = []; cur.arp = []; floods.set(r.id, new Map()); break;
        case 'port': cur.vni = 0; cur.vlan = 0; cur.switch = null; cur.peer = null; break;
        case 'vmnic': case 'vpci': cur.queues = 1; break;
        case 'ethlink': cur.ifname = ''; cur.vlan = 0; break;
        default: break;
      }
      live.set(r.id, cur);
      continue;
    }
    if (cur === undefined) continue;
    if (r.id !== cur.id) {
      // Addressed to the other object of a relation: only a port learns
      // its switch this way (SW_PORT_ADD to the switch, or the marker).
      if (cur.type === 'port' && r.target === cur.id) {
        if (r.op === 'SW_PORT_ADD') cur.switch = r.id;
        else if (r.op === 'SW_PORT_DEL') cur.switch = null;
      }
      continue;
    }
    switch (r.op) {
      case 'MAC_SET': if (r.mac !== undefined) cur.mac = r.mac; break;
      case 'MTU_SET': if (r.value !== undefined) cur.mtu = r.value; break;
      case 'SW_MODE_SET': cur.mode = r.value === MODE_NUMBER.learning ? 'learning' : 'programmed'; break;
      case 'SW_PORT_ADD': if (r.target !== undefined) cur.ports?.push(r.target); break;
      case 'SW_ARP_ADD':
        if (r.neigh !== undefined) cur.arp?.push({ vni: r.neigh.vni, ip: r.neigh.ip ?? '', mac: r.neigh.mac });
        break;
      case 'SW_FLOOD_SET':
        if (r.value !== undefined && r.addresses !== undefined) {
          floods.get(cur.id)?.set(r.value, r.addresses.filter((a): a is string => a !== null));
        }
        break;
      case 'PORT_VNI_SET': if (r.value !== undefined) cur.vni = r.value; break;
      case 'PORT_VLAN_SET': case 'ETHLINK_VLAN_SET': if (r.value !== undefined) cur.vlan = r.value; break;
      case 'PORT_CONNECT': if (r.target !== undefined) cur.peer = r.target; break;
      case 'PORT_DISCONNECT': cur.peer = null; break;
      case 'VMNIC_QUEUES_SET': case 'VPCI_QUEUES_SET': if (r.value !== undefined) cur.queues = r.value; break;
      case 'ETHLINK_ATTACH': if (r.name !== undefined) cur.ifname = r.name; break;
      default: break;
    }
  }
  for (const [id, l] of live) {
    if (l.type !== 'switch') continue;
    l.ports?.sort();
    const lists = floods.get(id);
    l.flood = (floodVnis.get(id) ?? []).map((vni) => ({ vni, remotes: [...(lists?.get(vni) ?? [])].sort() }));
  }
  return live;
}
