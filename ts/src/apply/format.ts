// format.ts: text forms of plans, steps and tables for vpcctl's output.

import type { Plan, Scalar, Step } from './plan';

/** "tenant-a (6ba7b810-...)" or the bare id. */
export function label(name: string, id: string): string {
  return name !== '' ? `${name} (${id})` : id;
}

function scalar(x: Scalar): string {
  return x === null ? 'none' : String(x);
}

/** Addresses shown of a long list in one line. */
const LIST_SHOWN = 4;

/** "[a, b]", or for a long list "[a, b, c, d, ... (1000 addresses)]". */
export function shortList(list: readonly string[]): string {
  if (list.length <= LIST_SHOWN * 2) return `[${list.join(', ')}]`;
  return `[${list.slice(0, LIST_SHOWN).join(', ')}, ... (${list.length} addresses)]`;
}

/** One line for a step: "create switch tenant-a (...) mode=programmed". */
export function describeStep(s: Step): string {
  const who = `${s.type} ${label(s.name, s.id)}`;
  switch (s.kind) {
    case 'create': {
      const settings = Object.entries(s.settings).map(([k, x]) => `${k}=${scalar(x)}`).join(' ');
      return `create ${who}${settings !== '' ? ` ${settings}` : ''}`;
    }
    case 'set': return `set ${who} ${s.field}: ${scalar(s.from)} -> ${scalar(s.to)}`;
    case 'commit': return `commit ${who}`;
    case 'port-add': return `add port ${label(s.portName, s.port)} to switch ${label(s.name, s.id)}`;
    case 'port-del': return `remove port ${label(s.portName, s.port)} from switch ${label(s.name, s.id)}`;
    case 'connect': return `connect port ${label(s.name, s.id)} to ${label(s.peerName, s.peer)}`;
    case 'disconnect': return `disconnect port ${label(s.name, s.id)} from ${label(s.peerName, s.peer)}`;
    case 'flood-set': return `set flood list of ${who} vni ${s.vni}: ${shortList(s.from)} -> ${shortList(s.to)}`;
    case 'arp-add': return `add ARP proxy entry to ${who}: vni ${s.entry.vni} ${s.entry.ip} is-at ${s.entry.mac}`;
    case 'arp-del': return `remove ARP proxy entry from ${who}: vni ${s.entry.vni} ${s.entry.ip} is-at ${s.entry.mac}`;
    case 'fwd-set': return `set forwarding entry on ${who}: vni ${s.entry.vni} ${s.entry.mac} via ${s.entry.remote}`;
    case 'fwd-del': return `remove forwarding entry from ${who}: vni ${s.entry.vni} ${s.entry.mac} via ${s.entry.remote}`;
    case 'destroy': return `destroy ${who}`;
  }
}

/** "0 changes", "1 change", "5 changes". */
export function changes(n: number): string {
  return `${n} change${n === 1 ? '' : 's'}`;
}

/** The plan as lines for --dry-run. */
export function formatPlan(plan: Plan): string {
  if (plan.steps.length === 0) return `Plan: 0 changes (${plan.unchanged.length} object(s) unchanged)`;
  const width = String(plan.steps.length).length;
  const lines = plan.steps.map((s, i) => `  ${String(i + 1).padStart(width)}. ${describeStep(s)}`);
  return [`Plan: ${changes(plan.steps.length)}`, ...lines].join('\n');
}

/** An aligned text table: header, a rule, rows. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
