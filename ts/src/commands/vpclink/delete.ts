// vpclink delete: Delete a vpclink; succeeds when it is already absent.

import { DeleteCommand } from '../../cli/verbs';

export default class VpclinkDelete extends DeleteCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'Delete a vpclink.';
  static override description = 'Delete a vpclink; succeeds when it is already absent.';
  static override examples = [
    '<%= config.bin %> vpclink delete 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  ];
}
