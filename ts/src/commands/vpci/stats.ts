// vpci stats: Show the counters of a host or jail interface: packets, bytes and drops by reason.

import { StatsCommand } from '../../cli/verbs';

export default class VpciStats extends StatsCommand {
  static override objectType = 'vpci' as const;
  static override summary = 'Show the counters of a host or jail interface: packets, bytes and drops by reason.';
  static override description = 'Show the counters of a host or jail interface: frames it handed to its port, frames sent to it, and drops by reason (malformed frames are counted here).';
  static override examples = [
    '<%= config.bin %> vpci stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    '<%= config.bin %> vpci stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --all --json',
  ];
}
