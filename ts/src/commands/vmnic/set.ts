// vmnic set: change settings of an existing vmnic.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VmnicSet extends SetCommand {
  static override objectType = 'vmnic' as const;
  static override summary = 'Change settings of an existing vmnic.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.vmnic;
  static override examples = [
    '<%= config.bin %> vmnic set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mtu 1450 --queues 2',
  ];
}
