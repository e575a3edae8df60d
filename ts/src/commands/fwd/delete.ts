// fwd delete: remove a forwarding entry; succeeds when it is absent.

import { Flags } from '@oclif/core';

import { ChangeResult, ObjectCommand, reportChange } from '../../cli/verbs';
import { vniFlag, vpclinkArg } from '../../cli/entries';
import * as v from '../../lib/validate';

export default class FwdDelete extends ObjectCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'Remove the forwarding entry for a MAC in a VNI.';
  static override args = { vpclink: vpclinkArg };
  static override flags = { vni: vniFlag, mac: Flags.string({ description: 'inner destination MAC', required: true }) };
  static override examples = ['<%= config.bin %> fwd delete 6ba7b813-9dad-11d1-80b4-00c04fd430c8 --vni 100 --mac 02:00:00:00:0a:02'];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(FwdDelete);
    const id = v.uuid(args.vpclink, 'vpclink');
    const e = { vni: v.vni(flags.vni, '--vni'), mac: v.mac(flags.mac, '--mac') };
    const r = await (await this.vpc()).with('vpclink', id, {}, async (l): Promise<ChangeResult> => {
      const cur = (await l.fwdList()).find((x) => x.vni === e.vni && x.mac === e.mac);
      if (cur === undefined) return { type: 'vpclink', id, status: 'unchanged', changes: [] };
      await l.fwdDel(e);
      return { type: 'vpclink', id, status: 'changed', changes: [`remove forwarding entry from vpclink ${id}: vni ${e.vni} ${e.mac} via ${cur.remote}`] };
    });
    reportChange(this, r);
    return r;
  }
}
