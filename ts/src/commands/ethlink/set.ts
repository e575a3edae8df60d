// ethlink set: change settings of an existing ethlink.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class EthlinkSet extends SetCommand {
  static override objectType = 'ethlink' as const;
  static override summary = 'Change settings of an existing ethlink.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.ethlink;
  static override examples = [
    '<%= config.bin %> ethlink set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --ifname eth1 --vlan 10',
  ];
}
