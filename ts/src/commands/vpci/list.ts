// vpci list: List the ids of every vpci.

import { ListCommand } from '../../cli/verbs';

export default class VpciList extends ListCommand {
  static override objectType = 'vpci' as const;
  static override summary = 'List the ids of every vpci.';
  static override description = 'List the ids of every vpci.';
  static override examples = [
    '<%= config.bin %> vpci list',
    '<%= config.bin %> vpci list --json',
  ];
}
