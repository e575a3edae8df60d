// vpci set: change settings of an existing vpci.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VpciSet extends SetCommand {
  static override objectType = 'vpci' as const;
  static override summary = 'Change settings of an existing vpci.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.vpci;
  static override examples = [
    '<%= config.bin %> vpci set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mtu 1450 --mac 02:00:00:00:0a:01',
  ];
}
