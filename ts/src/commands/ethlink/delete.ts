// ethlink delete: Delete a ethlink; succeeds when it is already absent.

import { DeleteCommand } from '../../cli/verbs';

export default class EthlinkDelete extends DeleteCommand {
  static override objectType = 'ethlink' as const;
  static override summary = 'Delete a ethlink.';
  static override description = 'Delete a ethlink; succeeds when it is already absent.';
  static override examples = [
    '<%= config.bin %> ethlink delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
