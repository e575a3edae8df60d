// System test of reading live state for apply: one configuration dump
// (VPC_OP_MGMT_DUMP) and object-by-object reads must give the same Live
// for every type the dump describes, on a topology that uses every
// setting, table and relation, with an uncommitted object left out.

import test from 'ava';

import { Vpc } from '../../src/lib/client';
import type { ObjectType } from '../../src/lib/limits';
import { liveFromDump, readDump, readLive } from '../../src/apply/state';
import { startLab } from './lab';

const id = (n: number): string => `6ba7b8${n.toString(16).padStart(2, '0')}-9dad-11d1-80b4-00c04fd430c8`;
const SW = id(1), SW2 = id(2), VL = id(3), VM = id(4), VI = id(5), EL = id(6);
const P1 = id(11), P2 = id(12), P3 = id(13), P4 = id(14), P5 = id(15);

test.serial('the dump and object-by-object reads give the same live state', async (t) => {
  const lab = await startLab(t);
  const vpc = new Vpc(lab.socket);
  const sw = await vpc.create('switch', SW);
  await sw.setMode('learning');
  await sw.setMtu(1400);
  await sw.setMac('02:00:00:00:00:01');
  await sw.arpAdd({ vni: 100, ip: '192.0.2.10', mac: '02:00:00:00:0a:10' });
  await sw.arpAdd({ vni: 200, ip: '192.0.2.20', mac: '02:00:00:00:0a:20' });
  await sw.floodSet(100, ['198.51.100.9', '198.51.100.8', '2001:db8::8']);
  await sw.commit();
  const sw2 = await vpc.create('switch', SW2);
  await sw2.commit();
  const vl = await vpc.create('vpclink', VL);
  await vl.setLocal('198.51.100.1');
  await vl.fwdSet({ vni: 100, mac: '02:00:00:00:0b:01', remote: '198.51.100.2' });
  await vl.commit();
  const vm = await vpc.create('vmnic', VM);
  await vm.setQueues(2);
  await vm.setMtu(1450);
  await vm.commit();
  const vi = await vpc.create('vpci', VI);
  await vi.commit();
  const el = await vpc.create('ethlink', EL);
  await el.attach('ul0');
  await el.setVlan(5);
  await el.commit();
  const ports = [];
  for (const [p, vni, vlan] of [[P1, 100, 0], [P2, 100, 0], [P3, 200, 7], [P4, 300, 0], [P5, 400, 0]] as const) {
    const o = await vpc.create('port', p);
    await o.setVni(vni);
    if (vlan !== 0) await o.setVlan(vlan);
    if (p !== P5) await o.commit();
    ports.push(o);
  }
  await sw.portAdd(P1);
  await sw.portAdd(P2);
  await sw2.portAdd(P3);
  await ports[0]!.connect(VM);
  await ports[1]!.connect(VL);
  await ports[2]!.connect(EL);
  await ports[3]!.connect(VI);

  const dump = await readDump(vpc);
  if (dump === null) return t.fail('vpcd has no VPC_OP_MGMT_DUMP');
  const flood = new Map([[SW, [100, 200]], [SW2, [100]]]);
  const fromDump = liveFromDump(dump, flood);
  const objects: [string, ObjectType][] = [[SW, 'switch'], [SW2, 'switch'], [VM, 'vmnic'], [VI, 'vpci'],
    [EL, 'ethlink'], [P1, 'port'], [P2, 'port'], [P3, 'port'], [P4, 'port']];
  for (const [oid, type] of objects) {
    const one = await readLive(vpc, type, oid, flood.get(oid) ?? []);
    t.deepEqual(fromDump.get(oid), one, `${type} ${oid}`);
  }
  // What the dump leaves to object-by-object reads: vpclinks (a derived
  // MTU) and uncommitted objects.
  t.false(fromDump.has(VL));
  t.false(fromDump.has(P5));
  t.is(fromDump.size, objects.length);
  // The settings really are in it (the comparison above can fail).
  t.like(fromDump.get(P3), { vni: 200, vlan: 7, switch: SW2, peer: EL });
  t.like(fromDump.get(SW), { mode: 'learning', mtu: 1400, ports: [P1, P2].sort() });
  t.deepEqual(fromDump.get(SW)?.flood, [{ vni: 100, remotes: ['198.51.100.8', '198.51.100.9', '2001:db8::8'] },
    { vni: 200, remotes: [] }]);
  for (const o of [sw, sw2, vl, vm, vi, el, ...ports]) await o.close();
});
