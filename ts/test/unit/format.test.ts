// Unit tests of format.ts and errors.ts: what people and scripts read.

import test from 'ava';

import { changes, formatPlan, table } from '../../src/apply/format';
import { errnoName, VpcError } from '../../src/lib/errors';

test('table aligns columns under a rule', (t) => {
  t.is(table(['host', 'object', 'rx'], [['h1', 'vpclink', 12], ['h2', 'port', null]]),
    'host  object   rx\n----  -------  --\nh1    vpclink  12\nh2    port     -');
});

test('counts of changes', (t) => {
  t.is(changes(0), '0 changes');
  t.is(changes(1), '1 change');
  t.is(changes(7), '7 changes');
});

test('an empty plan says 0 changes', (t) => {
  t.is(formatPlan({ steps: [], unchanged: [{ type: 'switch', id: 'x', name: '' }] }), 'Plan: 0 changes (1 object(s) unchanged)');
});

test('VpcError carries the errno name, number, op and object', (t) => {
  const e = new VpcError('VPC_OP_PORT_VNI_SET: Device or resource busy', 16, 'VPC_OP_PORT_VNI_SET', 'libvpc_port_vni_set',
    '6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'port');
  t.is(e.code, 'EBUSY');
  t.deepEqual(e.toJSON(), {
    name: 'VpcError', code: 'EBUSY', errno: 16, op: 'VPC_OP_PORT_VNI_SET', call: 'libvpc_port_vni_set',
    objectId: '6ba7b811-9dad-11d1-80b4-00c04fd430c8', objectType: 'port', message: 'VPC_OP_PORT_VNI_SET: Device or resource busy',
  });
  t.false(e.vpcdNotRunning);
  t.is(errnoName(17), 'EEXIST');
  t.is(errnoName(99999), 'E99999');
});
