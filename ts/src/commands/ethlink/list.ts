// ethlink list: List the ids of every ethlink.

import { ListCommand } from '../../cli/verbs';

export default class EthlinkList extends ListCommand {
  static override objectType = 'ethlink' as const;
  static override summary = 'List the ids of every ethlink.';
  static override description = 'List the ids of every ethlink.';
  static override examples = [
    '<%= config.bin %> ethlink list',
    '<%= config.bin %> ethlink list --json',
  ];
}
