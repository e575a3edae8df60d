// fwd list: the forwarding entries of a vpclink (static and learned).

import { table } from '../../apply/format';
import { ObjectCommand } from '../../cli/verbs';
import { vpclinkArg } from '../../cli/entries';
import type { FwdListEntry } from '../../lib/vpclink';
import * as v from '../../lib/validate';

export interface FwdListResult { id: string; entries: FwdListEntry[]; }

export default class FwdList extends ObjectCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'List the forwarding entries of a vpclink.';
  static override args = { vpclink: vpclinkArg };
  static override examples = ['<%= config.bin %> fwd list 6ba7b813-9dad-11d1-80b4-00c04fd430c8'];
  async run(): Promise<FwdListResult> {
    const { args } = await this.parse(FwdList);
    const id = v.uuid(args.vpclink, 'vpclink');
    const entries = await (await this.vpc()).with('vpclink', id, { write: false }, (l) => l.fwdList());
    this.say(table(['vni', 'mac', 'remote', 'kind'], entries.map((e) => [e.vni, e.mac, e.remote, e.learned ? 'learned' : 'static'])));
    return { id, entries };
  }
}
