// vmnic delete: Delete a vmnic; succeeds when it is already absent.

import { DeleteCommand } from '../../cli/verbs';

export default class VmnicDelete extends DeleteCommand {
  static override objectType = 'vmnic' as const;
  static override summary = 'Delete a vmnic.';
  static override description = 'Delete a vmnic; succeeds when it is already absent.';
  static override examples = [
    '<%= config.bin %> vmnic delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
