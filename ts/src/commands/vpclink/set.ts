// vpclink set: change settings of an existing vpclink.

import { SetCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VpclinkSet extends SetCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'Change settings of an existing vpclink.';
  static override description = 'Only the settings given change; setting what is already set makes no change.';
  static override flags = settingFlags.vpclink;
  static override examples = [
    '<%= config.bin %> vpclink set 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --local 198.51.100.1 --port 4789',
  ];
}
