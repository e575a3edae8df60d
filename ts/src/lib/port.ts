// port.ts: Port (vpcp), a switch port with a VNI and a VLAN.

import { VpcError } from './errors';
import { CountedObject } from './object';
import * as v from './validate';

export class Port extends CountedObject {
  readonly type = 'port';

  /** VPC_OP_PORT_CONNECT: connect to a vmnic, vpci, ethlink or vpclink. */
  connect(peer: string): Promise<void> {
    const p = v.uuidBytes(v.uuid(peer, 'peer'));
    return this.call((n, vd) => n.portConnect(vd, p));
  }
  disconnect(): Promise<void> { return this.call((n, vd) => n.portDisconnect(vd)); }
  vni(): Promise<number> { return this.call((n, vd) => n.portVniGet(vd)); }
  setVni(vni: number): Promise<void> {
    const x = v.vni(vni);
    return this.call((n, vd) => n.portVniSet(vd, x));
  }
  vlan(): Promise<number> { return this.call((n, vd) => n.portVlanGet(vd)); }
  setVlan(vlan: number): Promise<void> {
    const x = v.vlan(vlan);
    return this.call((n, vd) => n.portVlanSet(vd, x));
  }
  /** The connected object's id, or null (ENOTCONN). */
  async peer(): Promise<string | null> {
    try {
      return v.uuidText(await this.call((n, vd) => n.portPeerGet(vd)));
    } catch (e) {
      if (e instanceof VpcError && e.code === 'ENOTCONN') return null;
      throw e;
    }
  }
  /** The owning switch's id, or null (ENOENT). */
  async switchId(): Promise<string | null> {
    try {
      return v.uuidText(await this.call((n, vd) => n.portSwitchGet(vd)));
    } catch (e) {
      if (e instanceof VpcError && e.code === 'ENOENT') return null;
      throw e;
    }
  }
}
