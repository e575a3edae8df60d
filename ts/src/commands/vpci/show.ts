// vpci show: Show the settings and relations of a vpci.

import { ShowCommand } from '../../cli/verbs';

export default class VpciShow extends ShowCommand {
  static override objectType = 'vpci' as const;
  static override summary = 'Show the settings and relations of a vpci.';
  static override description = 'Show the settings and relations of a vpci.';
  static override examples = [
    '<%= config.bin %> vpci show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
