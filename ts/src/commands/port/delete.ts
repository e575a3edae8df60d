// port delete: Delete a port; succeeds when it is already absent. A port is first removed from its switch and disconnected.

import { DeleteCommand } from '../../cli/verbs';

export default class PortDelete extends DeleteCommand {
  static override objectType = 'port' as const;
  static override summary = 'Delete a port.';
  static override description = 'Delete a port; succeeds when it is already absent. A port is first removed from its switch and disconnected.';
  static override examples = [
    '<%= config.bin %> port delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
