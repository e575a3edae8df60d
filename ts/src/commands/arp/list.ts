// arp list: the ARP proxy entries of a switch.

import { table } from '../../apply/format';
import { ObjectCommand } from '../../cli/verbs';
import { switchArg } from '../../cli/entries';
import type { ArpEntry } from '../../lib/switch';
import * as v from '../../lib/validate';

export interface ArpListResult { id: string; entries: ArpEntry[]; }

export default class ArpList extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = 'List the ARP proxy entries of a switch.';
  static override args = { switch: switchArg };
  static override examples = ['<%= config.bin %> arp list 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --json'];
  async run(): Promise<ArpListResult> {
    const { args } = await this.parse(ArpList);
    const id = v.uuid(args.switch, 'switch');
    const entries = await (await this.vpc()).with('switch', id, { write: false }, (s) => s.arpList());
    this.say(table(['vni', 'ip', 'mac'], entries.map((e) => [e.vni, e.ip, e.mac])));
    return { id, entries };
  }
}
