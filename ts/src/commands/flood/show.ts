// flood show: the flood list of one VNI of a switch.

import { ObjectCommand } from '../../cli/verbs';
import { switchArg, vniFlag } from '../../cli/entries';
import * as v from '../../lib/validate';

export interface FloodResult { id: string; vni: number; remotes: string[]; }

export default class FloodShow extends ObjectCommand {
  static override objectType = 'switch' as const;
  static override summary = "Show a switch's flood list for one VNI.";
  static override args = { switch: switchArg };
  static override flags = { vni: vniFlag };
  static override examples = ['<%= config.bin %> flood show 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --vni 100'];
  async run(): Promise<FloodResult> {
    const { args, flags } = await this.parse(FloodShow);
    const id = v.uuid(args.switch, 'switch');
    const vni = v.vni(flags.vni, '--vni');
    const remotes = await (await this.vpc()).with('switch', id, { write: false }, (s) => s.flood(vni));
    for (const r of remotes) this.say(r);
    return { id, vni, remotes };
  }
}
