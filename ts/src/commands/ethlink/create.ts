// ethlink create: create a ethlink and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class EthlinkCreate extends CreateCommand {
  static override objectType = 'ethlink' as const;
  static override required = [];
  static override summary = 'Create a ethlink and commit it.';
  static override description = 'Creating a ethlink that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.ethlink;
  static override examples = [
    '<%= config.bin %> ethlink create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --ifname eth1 --vlan 10',
    '<%= config.bin %> ethlink create --ifname eth1 --vlan 10 --json',
  ];
}
