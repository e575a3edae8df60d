// port create: create a port and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class PortCreate extends CreateCommand {
  static override objectType = 'port' as const;
  static override required = ['vni'];
  static override summary = 'Create a port and commit it.';
  static override description = 'Creating a port that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.port;
  static override examples = [
    '<%= config.bin %> port create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --vni 100 --switch 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --peer 6ba7b812-9dad-11d1-80b4-00c04fd430c8',
    '<%= config.bin %> port create --vni 100 --switch 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --peer 6ba7b812-9dad-11d1-80b4-00c04fd430c8 --json',
  ];
}
