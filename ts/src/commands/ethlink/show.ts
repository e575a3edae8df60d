// ethlink show: Show the settings and relations of a ethlink.

import { ShowCommand } from '../../cli/verbs';

export default class EthlinkShow extends ShowCommand {
  static override objectType = 'ethlink' as const;
  static override summary = 'Show the settings and relations of a ethlink.';
  static override description = 'Show the settings and relations of a ethlink.';
  static override examples = [
    '<%= config.bin %> ethlink show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
