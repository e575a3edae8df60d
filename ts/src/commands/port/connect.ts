// port connect: put a port in a switch and/or connect it to a peer; idempotent.

import { Flags } from '@oclif/core';

import { changeOne, ChangeResult, idArg, ObjectCommand, reportChange } from '../../cli/verbs';
import type { DesiredPort } from '../../apply/model';
import { ValidationError } from '../../lib/errors';
import * as v from '../../lib/validate';

export default class PortConnect extends ObjectCommand {
  static override objectType = 'port' as const;
  static override summary = 'Put a port in a switch and/or connect it to a vmnic, vpci, ethlink or vpclink.';
  static override description = 'Connecting what is already connected says "unchanged"; a port connected ' +
    'elsewhere is a conflict (disconnect it first) and nothing changes.';
  static override args = { id: idArg };
  static override flags = {
    switch: Flags.string({ description: 'UUID of the switch to add the port to' }),
    peer: Flags.string({ description: 'UUID of the object to connect the port to' }),
  };
  static override examples = [
    '<%= config.bin %> port connect 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --switch 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    '<%= config.bin %> port connect 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --peer 6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  ];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(PortConnect);
    if (flags.switch === undefined && flags.peer === undefined) {
      throw new ValidationError('--switch/--peer', 'at least one of --switch and --peer', undefined);
    }
    const d: DesiredPort = { type: 'port', id: v.uuid(args.id, 'id'), name: '', path: 'command line' };
    if (flags.switch !== undefined) d.switch = v.uuid(flags.switch, '--switch');
    if (flags.peer !== undefined) d.peer = v.uuid(flags.peer, '--peer');
    const r = await changeOne(await this.vpc(), d, true, true);
    reportChange(this, r);
    return r;
  }
}
