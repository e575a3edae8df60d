// vpclink show: Show the settings and relations of a vpclink.

import { ShowCommand } from '../../cli/verbs';

export default class VpclinkShow extends ShowCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'Show the settings and relations of a vpclink.';
  static override description = 'Show the settings and relations of a vpclink.';
  static override examples = [
    '<%= config.bin %> vpclink show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
