// mgmt.ts: Mgmt, the enumeration object (the nil id, type mgmt).

import type { NativeDumpRecord } from '../../native/native';
import { OBJECT_TYPES, ObjectType, TYPE_NUMBER } from './limits';
import { VpcObject } from './object';
import * as v from './validate';

/**
 * One record of a configuration dump (VPC_OP_MGMT_DUMP): request 'op'
 * ("MAC_SET", "SW_PORT_ADD", ...) addressed to object 'id', with its input.
 * An object's records start with its "COMMIT"; a relation is listed with
 * both of its objects (see vpc_ctl(2)).
 */
export interface DumpRecord {
  id: string;
  /** null: a type this library does not know. */
  type: ObjectType | null;
  /** The op name without "VPC_OP_"; null for an op the addon does not know. */
  op: string | null;
  mac?: string;
  value?: number;
  /** Id input (SW_PORT_ADD/DEL: the port; PORT_CONNECT: the peer). */
  target?: string;
  neigh?: { vni: number; ip: string | null; mac: string };
  addresses?: (string | null)[];
  name?: string;
  local?: { address: string | null; port: number };
  fwd?: { vni: number; mac: string; remote: string | null };
}

const TYPE_OF_NUMBER = new Map<number, ObjectType>(OBJECT_TYPES.map((t) => [TYPE_NUMBER[t], t]));

function dumpRecord(r: NativeDumpRecord): DumpRecord {
  const out: DumpRecord = {
    id: v.uuidText(r.id),
    type: TYPE_OF_NUMBER.get(r.type) ?? null,
    op: r.opName === null ? null : r.opName.replace(/^VPC_OP_/, ''),
  };
  if (r.mac !== undefined) out.mac = r.mac;
  if (r.value !== undefined) out.value = r.value;
  if (r.target !== undefined) out.target = v.uuidText(r.target);
  if (r.neigh !== undefined) out.neigh = { ...r.neigh };
  if (r.addresses !== undefined) out.addresses = [...r.addresses];
  if (r.name !== undefined) out.name = r.name;
  if (r.local !== undefined) out.local = { ...r.local };
  if (r.fwd !== undefined) out.fwd = { vni: r.fwd.vni, mac: r.fwd.mac, remote: r.fwd.remote };
  return out;
}

export class Mgmt extends VpcObject {
  readonly type = 'mgmt';

  count(type: ObjectType): Promise<number> {
    const t = TYPE_NUMBER[v.objectType(type)];
    return this.call((n, vd) => n.mgmtCount(vd, t));
  }
  /** The ids of every object of 'type', sorted. */
  async list(type: ObjectType): Promise<string[]> {
    const t = TYPE_NUMBER[v.objectType(type)];
    return (await this.call((n, vd) => n.mgmtList(vd, t))).map(v.uuidText).sort();
  }
  /**
   * The configuration of every committed object, read in one consistent
   * pass (EOPNOTSUPP from a kernel or vpcd without VPC_OP_MGMT_DUMP).
   */
  async dump(): Promise<DumpRecord[]> {
    return (await this.call((n, vd) => n.mgmtDump(vd))).map(dumpRecord);
  }
}
