// mgmt.ts: Mgmt, the enumeration object (the nil id, type mgmt).

import { ObjectType, TYPE_NUMBER } from './limits';
import { VpcObject } from './object';
import * as v from './validate';

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
}
