// vmnic show: Show the settings and relations of a vmnic.

import { ShowCommand } from '../../cli/verbs';

export default class VmnicShow extends ShowCommand {
  static override objectType = 'vmnic' as const;
  static override summary = 'Show the settings and relations of a vmnic.';
  static override description = 'Show the settings and relations of a vmnic.';
  static override examples = [
    '<%= config.bin %> vmnic show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
