// arp delete: remove an ARP proxy entry; succeeds when it is absent.

import { Flags } from '@oclif/core';

import { ChangeResult, ObjectCommand, reportChange } from '../../cli/verbs';
import { switchArg, vniFlag } from '../../cli/entries';
import * as v from '../../lib/validate';

export default class ArpDelete extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Remove the ARP proxy entry for an IP in a VNI.';
  static override args = { switch: switchArg };
  static override flags = { vni: vniFlag, ip: Flags.string({ description: 'tenant IPv4 address', required: true }) };
  static override examples = ['<%= config.bin %> arp delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --vni 100 --ip 192.0.2.2'];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(ArpDelete);
    const id = v.uuid(args.switch, 'switch');
    const e = { vni: v.vni(flags.vni, '--vni'), ip: v.address(flags.ip, '--ip', 4) };
    const r = await (await this.vpc()).with('switch', id, {}, async (s): Promise<ChangeResult> => {
      const cur = (await s.arpList()).find((x) => x.vni === e.vni && x.ip === e.ip);
      if (cur === undefined) return { type: 'switch', id, status: 'unchanged', changes: [] };
      await s.arpDel(e);
      return { type: 'switch', id, status: 'changed', changes: [`remove ARP proxy entry from switch ${id}: vni ${e.vni} ${e.ip} is-at ${cur.mac}`] };
    });
    reportChange(this, r);
    return r;
  }
}
