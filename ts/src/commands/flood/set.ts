// flood set: replace the flood list of one VNI of a switch.

import { Args } from '@oclif/core';

import { ChangeResult, ObjectCommand, reportChange } from '../../cli/verbs';
import { switchArg, vniFlag } from '../../cli/entries';
import { shortList } from '../../apply/format';
import * as v from '../../lib/validate';

export default class FloodSet extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = "Replace a switch's flood list for one VNI (remote VTEPs that get BUM copies).";
  static override description = 'Give no address to clear the list; at most 1024 distinct addresses.  Setting the list it already has says "unchanged".';
  static override strict = false;
  static override args = { switch: switchArg, remotes: Args.string({ description: 'remote underlay addresses', required: false }) };
  static override flags = { vni: vniFlag };
  static override examples = ['<%= config.bin %> flood set 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --vni 100 198.51.100.2 198.51.100.3'];
  async run(): Promise<ChangeResult> {
    const { args, argv, flags } = await this.parse(FloodSet);
    const id = v.uuid(args.switch, 'switch');
    const vni = v.vni(flags.vni, '--vni');
    const remotes = v.floodList((argv as string[]).slice(1), 'remotes');
    const r = await (await this.vpc()).with('switch', id, {}, async (s) => {
      const cur = (await s.flood(vni)).sort();
      if (cur.join(',') === remotes.join(',')) return { type: 'switch' as const, id, status: 'unchanged' as const, changes: [] };
      await s.floodSet(vni, remotes);
      return { type: 'switch' as const, id, status: 'changed' as const,
        changes: [`set flood list of switch ${id} vni ${vni}: ${shortList(cur)} -> ${shortList(remotes)}`] };
    });
    reportChange(this, r);
    return r;
  }
}
