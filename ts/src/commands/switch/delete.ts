// switch delete: Delete a switch; succeeds when it is already absent.

import { DeleteCommand } from '../../cli/verbs';

export default class SwitchDelete extends DeleteCommand {
  static override objectType = 'switch' as const;
  static override summary = 'Delete a switch.';
  static override description = 'Delete a switch; succeeds when it is already absent.';
  static override examples = [
    '<%= config.bin %> switch delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
