// list: every object, by type (through the mgmt object).

import { Flags } from '@oclif/core';

import { table } from '../apply/format';
import { VpcCommand } from '../cli/base';
import { OBJECT_TYPES, ObjectType } from '../lib/limits';
import * as v from '../lib/validate';

export interface ObjectsResult { objects: { type: ObjectType; id: string }[]; }

export default class List extends VpcCommand {
  static override summary = 'List every object (or those of one type).';
  static override flags = { type: Flags.string({ char: 't', description: 'only this type', options: [...OBJECT_TYPES] }) };
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --type port --json'];
  async run(): Promise<ObjectsResult> {
    const { flags } = await this.parse(List);
    const types = flags.type !== undefined ? [v.objectType(flags.type, '--type')] : [...OBJECT_TYPES];
    const inv = await (await this.vpc()).inventory();
    const objects = types.flatMap((t) => inv[t].map((id) => ({ type: t, id })));
    this.say(objects.length === 0 ? 'no objects' : table(['type', 'id'], objects.map((o) => [o.type, o.id])));
    return { objects };
  }
}
