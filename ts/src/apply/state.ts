// state.ts: reads the live state of objects through the library.

import type { Vpc } from '../lib/client';
import type { ObjectType } from '../lib/limits';
import { OBJECT_TYPES } from '../lib/limits';
import type { Live } from './model';
import { VpcError } from '../lib/errors';

/** The value of 'p', or null when the object's type has no such op (ENOTTY). */
async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof VpcError && e.code === 'ENOTTY') return null;
    throw e;
  }
}

/** Read object 'id' of 'type' (read only); 'floodVnis': flood lists to read. */
export async function readLive(vpc: Vpc, type: ObjectType, id: string, floodVnis: readonly number[] = []): Promise<Live> {
  const o = await vpc.open(type, id, { write: false });
  try {
    // Ports have neither (ENOTTY): skip two round trips per port.
    const dev = type !== 'port';
    const live: Live = {
      type, id, committed: await o.committed(),
      mtu: dev ? await optional(o.mtu()) : null, mac: dev ? await optional(o.mac()) : null,
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
        live.queues = await o.queues();
        live.ifname = await o.ifname();
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
