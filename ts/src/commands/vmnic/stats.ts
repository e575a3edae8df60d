// vmnic stats: Show the counters of a guest NIC: packets, bytes and drops by reason.

import { StatsCommand } from '../../cli/verbs';

export default class VmnicStats extends StatsCommand {
  static override objectType = 'vmnic' as const;
  static override summary = 'Show the counters of a guest NIC: packets, bytes and drops by reason.';
  static override description = 'Show the counters of a guest NIC: frames it handed to its port, frames sent to it, and drops by reason (malformed frames are counted here).';
  static override examples = [
    '<%= config.bin %> vmnic stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    '<%= config.bin %> vmnic stats 6ba7b810-9dad-11d1-80b4-00c04fd430c8 --all --json',
  ];
}
