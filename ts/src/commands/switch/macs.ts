// switch macs: the switch table (local and learned entries).

import { table } from '../../apply/format';
import { idArg, ObjectCommand } from '../../cli/verbs';
import type { MacEntry } from '../../lib/switch';
import * as v from '../../lib/validate';

export interface MacsResult { id: string; entries: MacEntry[]; }

export default class SwitchMacs extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Show the switch table: (VNI, MAC) -> port, static or learned.';
  static override args = { id: idArg };
  static override examples = ['<%= config.bin %> switch macs 6ba7b810-9dad-11d1-80b4-00c04fd430c8'];
  async run(): Promise<MacsResult> {
    const { args } = await this.parse(SwitchMacs);
    const id = v.uuid(args.id, 'id');
    const entries = await (await this.vpc()).with('switch', id, { write: false }, (s) => s.macTable());
    this.say(table(['vni', 'mac', 'port', 'kind'], entries.map((e) => [e.vni, e.mac, e.port, e.learned ? 'learned' : 'static'])));
    return { id, entries };
  }
}
