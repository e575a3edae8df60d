// port stats: Show the counters of a port: packets, bytes and drops by reason.

import { StatsCommand } from '../../cli/verbs';

export default class PortStats extends StatsCommand {
  static override objectType = 'port' as const;
  static override summary = 'Show the counters of a port: packets, bytes and drops by reason.';
  static override description = 'Show the counters of a port: packets, bytes and drops by reason.';
  static override examples = [
    '<%= config.bin %> port stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    '<%= config.bin %> port stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --all --json',
  ];
}
