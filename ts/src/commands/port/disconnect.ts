// port disconnect: disconnect a port from its peer and/or take it out of its switch.

import { Flags } from '@oclif/core';

import { describeStep } from '../../apply/format';
import type { Step } from '../../apply/plan';
import { execute } from '../../apply/execute';
import { readLive } from '../../apply/state';
import { ChangeResult, idArg, ObjectCommand, reportChange } from '../../cli/verbs';
import * as v from '../../lib/validate';

export default class PortDisconnect extends ObjectCommand {
  static override objectType = 'port' as const;
  static override summary = 'Disconnect a port from its peer and take it out of its switch.';
  static override description = 'With --peer-only or --switch-only, only that.  A port already ' +
    'disconnected says "unchanged".';
  static override args = { id: idArg };
  static override flags = {
    'peer-only': Flags.boolean({ description: 'only disconnect the peer', exclusive: ['switch-only'] }),
    'switch-only': Flags.boolean({ description: 'only leave the switch' }),
  };
  static override examples = ['<%= config.bin %> port disconnect 6ba7b811-9dad-11d1-80b4-00c04fd430c8'];
  async run(): Promise<ChangeResult> {
    const { args, flags } = await this.parse(PortDisconnect);
    const id = v.uuid(args.id, 'id');
    const vpc = await this.vpc();
    const l = await readLive(vpc, 'port', id);
    const steps: Step[] = [];
    if (!flags['peer-only'] && l.switch) steps.push({ kind: 'port-del', type: 'switch', id: l.switch, name: '', port: id, portName: '' });
    if (!flags['switch-only'] && l.peer) steps.push({ kind: 'disconnect', type: 'port', id, name: '', peer: l.peer, peerName: '' });
    await execute(vpc, steps);
    const r: ChangeResult = { type: 'port', id, status: steps.length === 0 ? 'unchanged' : 'changed', changes: steps.map(describeStep) };
    reportChange(this, r);
    return r;
  }
}
