// switch show: Show the settings and relations of a switch.

import { ShowCommand } from '../../cli/verbs';

export default class SwitchShow extends ShowCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Show the settings and relations of a switch.';
  static override description = 'Show the settings and relations of a switch.';
  static override examples = [
    '<%= config.bin %> switch show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
