// vmnic list: List the ids of every vmnic.

import { ListCommand } from '../../cli/verbs';

export default class VmnicList extends ListCommand {
  static override objectType = 'vmnic' as const;
  static override summary = 'List the ids of every vmnic.';
  static override description = 'List the ids of every vmnic.';
  static override examples = [
    '<%= config.bin %> vmnic list',
    '<%= config.bin %> vmnic list --json',
  ];
}
