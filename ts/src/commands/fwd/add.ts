// fwd add: add a forwarding entry (VNI, MAC) -> remote VTEP to a vpclink; idempotent.

import { Flags } from '@oclif/core';

import { ConflictError } from '../../apply/plan';
import { ChangeResult, ObjectCommand, reportChange } from '../../cli/verbs';
import { vniFlag, vpclinkArg } from '../../cli/entries';
import * as v from '../../lib/validate';

export default class FwdAdd extends ObjectCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'Add a forwarding entry: frames to MAC in VNI go to the remote VTEP.';
  static override description = 'The same entry again says "unchanged"; a static entry for the MAC with another ' +
    'remote is a conflict (delete it first).  A learned entry is replaced.';
  static override args = { vpclink: vpclinkArg };
  static override flags = {
    vni: vniFlag,
    mac: Flags.string({ description: 'inner destination MAC', required: true }),
    remote: Flags.string({ description: 'remote underlay address', required: true }),
  };
  static override examples = ['<%= config.bin %> fwd add 6ba7b813-9dad-11d1-80b4-00c04fd430c8 --vni 100 --mac 02:00:00:00:0a:02 --remote 198.51.100.2'];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(FwdAdd);
    const id = v.uuid(args.vpclink, 'vpclink');
    const e = { vni: v.vni(flags.vni, '--vni'), mac: v.mac(flags.mac, '--mac'), remote: v.address(flags.remote, '--remote') };
    const r = await (await this.vpc()).with('vpclink', id, {}, async (l): Promise<ChangeResult> => {
      const cur = (await l.fwdList()).find((x) => x.vni === e.vni && x.mac === e.mac);
      if (cur !== undefined && !cur.learned && cur.remote === e.remote) return { type: 'vpclink', id, status: 'unchanged', changes: [] };
      if (cur !== undefined && !cur.learned) {
        throw ConflictError.settings('vpclink', id, [{ field: `fwd vni ${e.vni} ${e.mac} remote`, live: cur.remote, wanted: e.remote }]);
      }
      await l.fwdSet(e);
      return { type: 'vpclink', id, status: 'changed', changes: [`set forwarding entry on vpclink ${id}: vni ${e.vni} ${e.mac} via ${e.remote}`] };
    });
    reportChange(this, r);
    return r;
  }
}
