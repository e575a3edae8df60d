// switch list: List the ids of every switch.

import { ListCommand } from '../../cli/verbs';

export default class SwitchList extends ListCommand {
  static override objectType = 'switch' as const;
  static override summary = 'List the ids of every switch.';
  static override description = 'List the ids of every switch.';
  static override examples = [
    '<%= config.bin %> switch list',
    '<%= config.bin %> switch list --json',
  ];
}
