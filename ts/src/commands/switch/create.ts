// switch create: create a switch and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class SwitchCreate extends CreateCommand {
  static override objectType = 'switch' as const;
  static override required = [];
  static override summary = 'Create a switch and commit it.';
  static override description = 'Creating a switch that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.switch;
  static override examples = [
    '<%= config.bin %> switch create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mode learning --mtu 1450',
    '<%= config.bin %> switch create --mode learning --mtu 1450 --json',
  ];
}
