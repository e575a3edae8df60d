// ethlink.ts: Ethlink, a plain uplink over a host NIC.

import { CountedObject } from './object';
import * as v from './validate';

export class Ethlink extends CountedObject {
  readonly type = 'ethlink';

  /** VPC_OP_ETHLINK_ATTACH (privileged): attach to host interface 'ifname'. */
  attach(ifname: string): Promise<void> {
    const name = v.ifname(ifname);
    return this.call((n, vd) => n.ethlinkAttach(vd, name));
  }
  /** Detach (attach to ""). */
  detach(): Promise<void> { return this.call((n, vd) => n.ethlinkAttach(vd, '')); }
  /** The attached interface, "" if none. */
  ifname(): Promise<string> { return this.call((n, vd) => n.ethlinkIfnameGet(vd)); }
  vlan(): Promise<number> { return this.call((n, vd) => n.ethlinkVlanGet(vd)); }
  setVlan(vlan: number): Promise<void> {
    const x = v.vlan(vlan);
    return this.call((n, vd) => n.ethlinkVlanSet(vd, x));
  }
}
