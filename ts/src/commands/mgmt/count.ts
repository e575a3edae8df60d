// mgmt count: how many objects of each type exist (VPC_OP_MGMT_COUNT).

import { VpcCommand } from '../../cli/base';
import { OBJECT_TYPES, ObjectType } from '../../lib/limits';

export type CountResult = Record<ObjectType, number>;

export default class MgmtCount extends VpcCommand {
  static override summary = 'Count the objects of each type.';
  static override examples = ['<%= config.bin %> mgmt count --json'];
  async run(): Promise<CountResult> {
    await this.parse(MgmtCount);
    const m = await (await this.vpc()).mgmt();
    try {
      const out = {} as CountResult;
      for (const t of OBJECT_TYPES) out[t] = await m.count(t);
      for (const t of OBJECT_TYPES) this.say(`${t.padEnd(8)} ${out[t]}`);
      return out;
    } finally {
      await m.close();
    }
  }
}
