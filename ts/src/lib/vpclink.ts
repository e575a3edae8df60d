// vpclink.ts: Vpclink, a VXLAN tunnel endpoint.

import { FWD_F_LEARNED, VXLAN_PORT } from './limits';
import { CountedObject } from './object';
import * as v from './validate';

/** The local underlay endpoint; address null when unbound. */
export interface LocalAddress { address: string | null; port: number; }

/** A forwarding entry (vni, inner MAC) -> remote VTEP. */
export interface FwdEntry { vni: number; mac: string; remote: string; }
export interface FwdListEntry extends FwdEntry { learned: boolean; }

export class Vpclink extends CountedObject {
  readonly type = 'vpclink';

  /** VPC_OP_VPCLINK_LOCAL_SET (privileged): bind to 'address':'port' (0 or absent: 4789). */
  setLocal(address: string, port = VXLAN_PORT): Promise<void> {
    const a = { address: v.address(address, 'local'), port: v.udpPort(port) };
    return this.call((n, vd) => n.vpclinkLocalSet(vd, a));
  }
  local(): Promise<LocalAddress> { return this.call((n, vd) => n.vpclinkLocalGet(vd)); }
  /** Insert or replace an entry. */
  fwdSet(e: FwdEntry): Promise<void> {
    const f = { vni: v.vni(e.vni), mac: v.mac(e.mac), remote: v.address(e.remote, 'remote') };
    return this.call((n, vd) => n.vpclinkFwdSet(vd, f));
  }
  /** Remove the entry for ('vni', 'mac'); ENOENT if none. */
  fwdDel(e: { vni: number; mac: string }): Promise<void> {
    const f = { vni: v.vni(e.vni), mac: v.mac(e.mac) };
    return this.call((n, vd) => n.vpclinkFwdDel(vd, f));
  }
  async fwdList(): Promise<FwdListEntry[]> {
    const list = await this.call((n, vd) => n.vpclinkFwdList(vd));
    return list.map((f) => ({ vni: f.vni, mac: f.mac, remote: f.remote ?? '', learned: (f.flags & FWD_F_LEARNED) !== 0 }));
  }
}
