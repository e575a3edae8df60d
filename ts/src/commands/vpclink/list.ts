// vpclink list: List the ids of every vpclink.

import { ListCommand } from '../../cli/verbs';

export default class VpclinkList extends ListCommand {
  static override objectType = 'vpclink' as const;
  static override summary = 'List the ids of every vpclink.';
  static override description = 'List the ids of every vpclink.';
  static override examples = [
    '<%= config.bin %> vpclink list',
    '<%= config.bin %> vpclink list --json',
  ];
}
