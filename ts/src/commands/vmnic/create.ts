// vmnic create: create a vmnic and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VmnicCreate extends CreateCommand {
  static override objectType = 'vmnic' as const;
  static override required = [];
  static override summary = 'Create a vmnic and commit it.';
  static override description = 'Creating a vmnic that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.vmnic;
  static override examples = [
    '<%= config.bin %> vmnic create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --mtu 1450 --queues 2',
    '<%= config.bin %> vmnic create --mtu 1450 --queues 2 --json',
  ];
}
