// status: which backend serves libvpc, the socket, the ABI, object counts.

import { VpcCommand } from '../cli/base';
import type { Backend } from '../lib/client';
import { OBJECT_TYPES, ObjectType } from '../lib/limits';

export interface StatusResult {
  backend: Backend;
  socket: string;
  abiVersion: number | null;
  counts: Partial<Record<ObjectType, number>>;
}

export default class Status extends VpcCommand {
  static override summary = 'Say whether vpcd (or the kernel module) is reachable, and what it holds.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];
  async run(): Promise<StatusResult> {
    await this.parse(Status);
    const vpc = await this.vpc();
    const backend = await vpc.backend();
    const socket = vpc.socketPath();
    if (backend === 'none') {
      this.say(`vpcd is not running (nothing at ${socket}); start it with: vpcd -s ${socket}`);
      process.exitCode = 3;
      return { backend, socket, abiVersion: null, counts: {} };
    }
    const m = await vpc.mgmt();
    try {
      const counts: Partial<Record<ObjectType, number>> = {};
      for (const t of OBJECT_TYPES) counts[t] = await m.count(t);
      const abiVersion = await m.abiVersion();
      this.say(`backend: ${backend}${backend === 'vpcd' ? ` (socket ${socket})` : ''}\nABI version: ${abiVersion}`);
      this.say(OBJECT_TYPES.map((t) => `${t}: ${counts[t] ?? 0}`).join(', '));
      return { backend, socket, abiVersion, counts };
    } finally {
      await m.close();
    }
  }
}
