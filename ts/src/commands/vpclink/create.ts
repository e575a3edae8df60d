// vpclink create: create a vpclink and commit it; idempotent.

import { CreateCommand } from '../../cli/verbs';
import { settingFlags } from '../../cli/settings';

export default class VpclinkCreate extends CreateCommand {
  static override objectType = 'vpclink' as const;
  static override required = ['local'];
  static override summary = 'Create a vpclink and commit it.';
  static override description = 'Creating a vpclink that exists with the same settings succeeds and says "unchanged"; ' +
    'one that exists with other settings fails, naming each differing field, and changes nothing.';
  static override flags = settingFlags.vpclink;
  static override examples = [
    '<%= config.bin %> vpclink create 6ba7b811-9dad-11d1-80b4-00c04fd430c8 --local 198.51.100.1 --port 4789',
    '<%= config.bin %> vpclink create --local 198.51.100.1 --port 4789 --json',
  ];
}
