// port set: change settings of an existing port.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class PortSet extends SetCommand {
  static override objectType = 'port' as const;
  static override summary = 'Change settings of an existing port.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.port;
  static override examples = [
    '<%= config.bin %> port set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --vni 100 --switch 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --peer 6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  ];
}
