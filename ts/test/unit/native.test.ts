// Unit tests of the addon that need no vpcd: the constants validation
// uses agree with <net/vpc.h> (through the addon), names, and the clear
// failure when vpcd is not running.

import test from 'ava';

import { Vpc } from '../../src/lib/client';
import { VpcError } from '../../src/lib/errors';
import * as limits from '../../src/lib/limits';
import { native } from '../../src/lib/native';

test('limits.ts agrees with vpc.h', (t) => {
  const c = native().constants;
  t.is(limits.VNI_MAX, c.VPC_VNI_MAX);
  t.is(limits.VLAN_MAX, c.VPC_VLAN_MAX);
  t.is(limits.MAX_QUEUES, c.VPC_MAX_QUEUES);
  t.is(limits.MTU_MIN, c.VPC_MTU_MIN);
  t.is(limits.MTU_MAX, c.VPC_MTU_MAX);
  t.is(limits.VXLAN_PORT, c.VPC_VXLAN_PORT);
  t.is(limits.IFNAMSIZ, c.VPC_IFNAMSIZ);
  t.is(limits.FLOOD_MAX, c.VPC_FLOOD_MAX);
  t.deepEqual(limits.TYPE_NUMBER, {
    switch: c.VPC_TYPE_SWITCH, port: c.VPC_TYPE_PORT, vpclink: c.VPC_TYPE_VPCLINK, vmnic: c.VPC_TYPE_VMNIC,
    mgmt: c.VPC_TYPE_MGMT, ethlink: c.VPC_TYPE_ETHLINK, vpci: c.VPC_TYPE_VPCI,
  });
  t.deepEqual(limits.MODE_NUMBER, { programmed: c.VPC_SW_MODE_PROGRAMMED, learning: c.VPC_SW_MODE_LEARNING });
  t.deepEqual([limits.F_CREATE, limits.F_OPEN, limits.F_READ, limits.F_WRITE], [c.VPC_F_CREATE, c.VPC_F_OPEN, c.VPC_F_READ, c.VPC_F_WRITE]);
});

test('names of ops, types and drops', (t) => {
  const n = native();
  t.is(n.opName(0x40000003), 'VPC_OP_COMMIT');
  t.is(n.typeName(1), 'switch');
  t.is(n.dropName(16), 'vxlan_short');
});

test('no vpcd: a VpcError that says so and how to start it', async (t) => {
  const vpc = new Vpc('/nonexistent/vpcd-test.sock');
  const e = await t.throwsAsync(vpc.mgmt(), { instanceOf: VpcError });
  t.is(e?.code, 'ENOENT');
  t.true(e?.vpcdNotRunning);
  t.is(e?.message, 'vpcd is not running (no socket at /nonexistent/vpcd-test.sock); start it with: vpcd -s /nonexistent/vpcd-test.sock');
  t.is(await vpc.backend(), 'none');
});

test('bad input is refused in TypeScript, before the addon', async (t) => {
  const vpc = new Vpc('/nonexistent/vpcd-test.sock');
  // the socket does not exist: a ValidationError proves nothing was sent
  await t.throwsAsync(vpc.create('switch', 'not-a-uuid'), { name: 'ValidationError', message: /for id but received "not-a-uuid"/ });
});
