// switch set: change settings of an existing switch.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class SwitchSet extends SetCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Change settings of an existing switch.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.switch;
  static override examples = [
    '<%= config.bin %> switch set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mode learning --mtu 1450',
  ];
}
