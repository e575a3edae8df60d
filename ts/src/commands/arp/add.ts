// arp add: add an ARP proxy entry to a switch; idempotent.

import { Flags } from '@oclif/core';

import { ConflictError } from '../../apply/plan';
import { ChangeResult, ObjectCommand, reportChange } from '../../cli/verbs';
import { switchArg, vniFlag } from '../../cli/entries';
import * as v from '../../lib/validate';

export default class ArpAdd extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Add an ARP proxy entry: the switch answers "who has IP" in VNI with MAC.';
  static override description = 'The same entry again says "unchanged"; an entry for the IP with another MAC ' +
    'is a conflict (delete it first).';
  static override args = { switch: switchArg };
  static override flags = {
    vni: vniFlag,
    ip: Flags.string({ description: 'tenant IPv4 address', required: true }),
    mac: Flags.string({ description: 'MAC address to answer with', required: true }),
  };
  static override examples = ['<%= config.bin %> arp add 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --vni 100 --ip 192.0.2.2 --mac 02:00:00:00:0a:02'];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(ArpAdd);
    const id = v.uuid(args.switch, 'switch');
    const e = { vni: v.vni(flags.vni, '--vni'), ip: v.address(flags.ip, '--ip', 4), mac: v.mac(flags.mac, '--mac') };
    const r = await (await this.vpc()).with('switch', id, {}, async (s): Promise<ChangeResult> => {
      const cur = (await s.arpList()).find((x) => x.vni === e.vni && x.ip === e.ip);
      if (cur !== undefined && cur.mac === e.mac) return { type: 'switch', id, status: 'unchanged', changes: [] };
      if (cur !== undefined) throw ConflictError.settings('switch', id, [{ field: `arp vni ${e.vni} ${e.ip} mac`, live: cur.mac, wanted: e.mac }]);
      await s.arpAdd(e);
      return { type: 'switch', id, status: 'changed', changes: [`add ARP proxy entry to switch ${id}: vni ${e.vni} ${e.ip} is-at ${e.mac}`] };
    });
    reportChange(this, r);
    return r;
  }
}
