// delete -f: remove every object a topology file describes.

import { Flags } from '@oclif/core';

import { ApplyResult, planRemoval, runPlan } from '../apply/engine';
import { changes, describeStep, formatPlan } from '../apply/format';
import { topologyFromFile } from '../apply/topology';
import { VpcCommand } from '../cli/base';

export default class Delete extends VpcCommand {
  static override summary = 'Remove every object a topology file describes.';
  static override description = 'Ports leave their switches and are disconnected, then objects are destroyed, ' +
    'dependents first.  Objects already absent are skipped; deleting again makes no change.';
  static override flags = {
    file: Flags.string({ char: 'f', description: 'topology file (.yaml, .yml or .json)', required: true }),
    'dry-run': Flags.boolean({ char: 'n', description: 'print the plan; change nothing' }),
  };
  static override examples = ['<%= config.bin %> delete -f ts/examples/demo-host1.yaml'];

  async run(): Promise<ApplyResult> {
    const { flags } = await this.parse(Delete);
    const topo = topologyFromFile(flags.file);
    const vpc = await this.vpc();
    const plan = await planRemoval(vpc, topo.objects);
    const dryRun = flags['dry-run'] === true;
    if (dryRun || plan.steps.length === 0) this.say(formatPlan(plan));
    else this.say(`Deleting what ${flags.file} describes: ${changes(plan.steps.length)}`);
    const width = String(plan.steps.length).length;
    const n = await runPlan(vpc, plan, topo.objects, dryRun, (s, i, total) => {
      this.say(`  [${String(i + 1).padStart(width)}/${total}] ${describeStep(s)}`);
    });
    if (!dryRun && n > 0) this.say(`Done: ${changes(n)}.`);
    return { dryRun, changes: n, steps: plan.steps.map(describeStep), unchanged: [] };
  }
}
