// System tests of the library against a real vpcd: typed errors, commits,
// restricted descriptors, and bad input that changes nothing.

import test from 'ava';

import { Vpc } from '../../src/lib/client';
import { ValidationError, VpcError } from '../../src/lib/errors';
import { startLab } from './lab';

const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const PORT = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const VL = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';

test.serial('create, commit, relations, entries and the typed error of a second create', async (t) => {
  const lab = await startLab(t);
  const vpc = new Vpc(lab.socket);
  const sw = await vpc.create('switch', SW);
  await sw.commit();
  const link = await vpc.create('vpclink', VL);
  await link.setLocal('198.51.100.1');
  await link.commit();
  const port = await vpc.create('port', PORT);
  await port.setVni(100);
  await port.commit();
  await sw.portAdd(PORT);
  await port.connect(VL);
  t.is(await port.switchId(), SW);
  t.is(await port.peer(), VL);
  await link.fwdSet({ vni: 100, mac: '02:00:00:00:0a:02', remote: '198.51.100.2' });
  t.deepEqual(await link.fwdList(), [{ vni: 100, mac: '02:00:00:00:0a:02', remote: '198.51.100.2', learned: false }]);
  t.deepEqual(await link.local(), { address: '198.51.100.1', port: 4789 });
  const e = await t.throwsAsync(vpc.create('switch', SW), { instanceOf: VpcError });
  t.like(e, { code: 'EEXIST', errno: 17, op: '', call: 'libvpc_obj_open', objectId: SW, objectType: 'switch' });
  const busy = await t.throwsAsync(port.setVni(200), { instanceOf: VpcError });
  t.like(busy, { code: 'EBUSY', op: 'VPC_OP_PORT_VNI_SET', objectId: PORT });
  t.is(await port.vni(), 100);
  for (const o of [sw, link, port]) await o.close();
  // committed objects outlive their descriptors
  t.deepEqual((await vpc.inventory()).switch, [SW]);
});

test.serial('a restricted descriptor refuses mutation and changes nothing', async (t) => {
  const lab = await startLab(t);
  const vpc = new Vpc(lab.socket);
  const sw = await vpc.create('switch', SW);
  await sw.commit();
  await sw.restrict({ read: true, write: false });
  t.deepEqual(await sw.rights(), { read: true, write: false });
  const e = await t.throwsAsync(sw.setMode('learning'), { instanceOf: VpcError });
  t.like(e, { code: 'EBADF', op: 'VPC_OP_SW_MODE_SET' });
  t.is(await sw.mode(), 'programmed');
  // rights can be restricted, never extended
  await t.throwsAsync(sw.restrict({ read: true, write: true }), { instanceOf: VpcError });
  await sw.close();
  const ro = await vpc.open('switch', SW, { write: false });
  await t.throwsAsync(ro.destroy(), { instanceOf: VpcError, message: /VPC_OP_DESTROY/ });
  await ro.close();
  t.deepEqual((await vpc.inventory()).switch, [SW]);
});

test.serial('bad input is refused in TypeScript and changes nothing', async (t) => {
  const lab = await startLab(t);
  const vpc = new Vpc(lab.socket);
  const port = await vpc.create('port', PORT);
  await port.setVni(7);
  await port.commit();
  const e = t.throws(() => { void port.setVni(16777216); }, { instanceOf: ValidationError });
  t.is(e?.message, 'expected a VNI between 0 and 16777215 for vni but received 16777216');
  t.throws(() => { void port.setMac('01:00:5e:00:00:01'); }, { instanceOf: ValidationError });
  t.is(await port.vni(), 7);
  await port.close();
});

test.serial('mgmt counts and lists by type', async (t) => {
  const lab = await startLab(t);
  const vpc = new Vpc(lab.socket);
  const sw = await vpc.create('switch', SW);
  await sw.commit();
  await sw.close();
  const m = await vpc.mgmt();
  t.is(await m.count('switch'), 1);
  t.is(await m.count('port'), 0);
  t.deepEqual(await m.list('switch'), [SW]);
  t.is(await m.abiVersion(), 1);
  await m.close();
  t.is(await vpc.backend(), 'vpcd');
});
