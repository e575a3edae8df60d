// vpci create: create a vpci and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VpciCreate extends CreateCommand {
  static override objectType = 'vpci' as const;
  static override required = [];
  static override summary = 'Create a vpci and commit it.';
  static override description = 'Creating a vpci that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.vpci;
  static override examples = [
    '<%= config.bin %> vpci create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mtu 1450 --mac 02:00:00:00:0a:01',
    '<%= config.bin %> vpci create --mtu 1450 --mac 02:00:00:00:0a:01 --json',
  ];
}
