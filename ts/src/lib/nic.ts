// nic.ts: Vmnic (guest NIC on a TAP) and Vpci (host or jail interface).
// They share their ops; the descriptor's type selects the op word.

import { CountedObject } from './object';
import * as v from './validate';

export abstract class Nic extends CountedObject {
  /** The host interface of the NIC ("vmnic0", "vpci0"). */
  ifname(): Promise<string> { return this.call((n, vd) => n.nicIfnameGet(vd)); }
  queues(): Promise<number> { return this.call((n, vd) => n.nicQueuesGet(vd)); }
  setQueues(queues: number): Promise<void> {
    const q = v.queues(queues);
    return this.call((n, vd) => n.nicQueuesSet(vd, q));
  }
}

export class Vmnic extends Nic {
  readonly type = 'vmnic';
}

export class Vpci extends Nic {
  readonly type = 'vpci';
}
