// port show: Show the settings and relations of a port.

import { ShowCommand } from '../../cli/verbs';

export default class PortShow extends ShowCommand {
  static override objectType = 'port' as const;
  static override summary = 'Show the settings and relations of a port.';
  static override description = 'Show the settings and relations of a port.';
  static override examples = [
    '<%= config.bin %> port show 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
