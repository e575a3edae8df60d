// port list: List the ids of every port.

import { ListCommand } from '../../cli/verbs';

export default class PortList extends ListCommand {
  static override objectType = 'port' as const;
  static override summary = 'List the ids of every port.';
  static override description = 'List the ids of every port.';
  static override examples = [
    '<%= config.bin %> port list',
    '<%= config.bin %> port list --json',
  ];
}
