// vpci delete: Delete a vpci; succeeds when it is already absent.

import { DeleteCommand } from '../../cli/verbs';

export default class VpciDelete extends DeleteCommand {
  static override objectType = 'vpci' as const;
  static override summary = 'Delete a vpci.';
  static override description = 'Delete a vpci; succeeds when it is already absent.';
  static override examples = [
    '<%= config.bin %> vpci delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
