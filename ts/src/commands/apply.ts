// apply: make a topology file true: plan against live state, then change.

import { Flags } from '@oclif/core';

import { ApplyResult, planFor, runPlan } from '../apply/engine';
import { changes, describeStep, formatPlan } from '../apply/format';
import { topologyFromFile } from '../apply/topology';
import { VpcCommand } from '../cli/base';

export default class Apply extends VpcCommand {
  static override summary = 'Create or change what a topology file (YAML or JSON) describes.';
  static override description = 'Reads the whole file and refuses it, changing nothing, if anything in it is ' +
    'invalid.  Compares it with what exists, prints the plan and carries it out in dependency order ' +
    '(links and NICs, switches, ports, memberships and connections, entries), committing every object. ' +
    'Applying a file again makes no change ("0 changes").  Objects not in the file are left alone.';
  static override flags = {
    file: Flags.string({ char: 'f', description: 'topology file (.yaml, .yml or .json)', required: true }),
    'dry-run': Flags.boolean({ char: 'n', description: 'print the plan; change nothing' }),
  };
  static override examples = [
    '<%= config.bin %> apply -f ts/examples/demo-host1.yaml --dry-run',
    'VPC_SOCKET=/run/vpcd-h1.sock <%= config.bin %> apply -f ts/examples/demo-host1.yaml',
  ];

  async run(): Promise<ApplyResult> {
    const { flags } = await this.parse(Apply);
    const topo = topologyFromFile(flags.file);
    const vpc = await this.vpc();
    const plan = await planFor(vpc, topo.objects);
    const dryRun = flags['dry-run'] === true;
    if (dryRun || plan.steps.length === 0) {
      this.say(formatPlan(plan));
    } else {
      this.say(`Applying ${flags.file}${topo.host !== '' ? ` (host ${topo.host})` : ''}: ${changes(plan.steps.length)}`);
    }
    const width = String(plan.steps.length).length;
    const n = await runPlan(vpc, plan, topo.objects, dryRun, (s, i, total) => {
      this.say(`  [${String(i + 1).padStart(width)}/${total}] ${describeStep(s)}`);
    });
    if (!dryRun && n > 0) this.say(`Done: ${changes(n)}.`);
    return { dryRun, changes: n, steps: plan.steps.map(describeStep), unchanged: plan.unchanged };
  }
}
