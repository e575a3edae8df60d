// Unit tests of the one-NIC-per-MAC-on-a-VNI-of-a-switch checks: in a
// file alone (bad input), against live state (a conflict with what
// exists), with vpcd's default MACs, and the plan that lets two NICs of
// one segment trade MACs.

import test from 'ava';

import { describeStep } from '../../src/apply/format';
import type { Desired, Live } from '../../src/apply/model';
import { ConflictError, planApply } from '../../src/apply/plan';
import { topologyFromText } from '../../src/apply/topology';
import { TopologyError } from '../../src/lib/errors';

import { fileProblems, typesOf } from './helpers';

const id = (n: number, node = '00c04fd430c8'): string => `6ba7b8${n.toString(16).padStart(2, '0')}-9dad-11d1-80b4-${node}`;
const SW = id(0x10), SW2 = id(0x20), NA = id(0x14, '0000000000a1'), NB = id(0x15, '0000000000b1');
const PA = id(0x11), PB = id(0x12), NL = id(0x16, '0000000000c1'), PL = id(0x17);
const MAC = '02:00:00:00:aa:01';

/** Two NICs with MACs 'a' and 'b', their ports in switches 'swA'/'swB' on VNIs 'vniA'/'vniB'. */
function twoNics(a: string, b: string, vniA = 100, vniB = 100, swB = 'sw'): string {
  return `
nics:
  - {name: a, id: ${NA}, type: vmnic, mac: "${a}"}
  - {name: b, id: ${NB}, type: vpci, mac: "${b}"}
switches:
  - name: sw
    id: ${SW}
    ports: [{id: ${PA}, vni: ${vniA}, peer: a}${swB === 'sw' ? `, {id: ${PB}, vni: ${vniB}, peer: b}` : ''}]
  - name: sw2
    id: ${SW2}
    ports: [${swB === 'sw2' ? `{id: ${PB}, vni: ${vniB}, peer: b}` : ''}]
`;
}

test('a file with two NICs of one MAC on one VNI of a switch is bad input naming both NICs and the MAC', (t) => {
  // any spelling of the MAC is the same MAC
  const p = fileProblems(twoNics(MAC, MAC.toUpperCase().replace(/:/g, '-')));
  t.deepEqual(p, [`nics[1].mac is ${MAC}, as is nics[0].mac; both NICs are on vni 100 of switch sw (${SW}) ` +
    '(switches[0].ports[1], switches[0].ports[0]), and vpcd takes one NIC per MAC on a VNI of a switch']);
  t.throws(() => topologyFromText(twoNics(MAC, MAC)), { instanceOf: TopologyError, message: /nothing was changed/ });
});

test('the same MAC on another VNI or in another switch is fine', (t) => {
  t.deepEqual(fileProblems(twoNics(MAC, MAC, 100, 200)), []);
  t.deepEqual(fileProblems(twoNics(MAC, MAC, 100, 100, 'sw2')), []);
  t.deepEqual(fileProblems(twoNics(MAC, '02:00:00:00:aa:02')), []);
});

/** A vmnic NL with MAC 'mac', not in any file, on port PL in switch SW on VNI 100. */
function liveNic(mac: string): Map<string, Live> {
  return new Map<string, Live>([
    [SW, { type: 'switch', id: SW, committed: true, mtu: 1500, mac: '02:00:00:00:00:10', mode: 'programmed', ports: [PL], flood: [], arp: [] }],
    [NL, { type: 'vmnic', id: NL, committed: true, mtu: 1500, mac, queues: 1 }],
    [PL, { type: 'port', id: PL, committed: true, mtu: null, mac: null, vni: 100, vlan: 0, switch: SW, peer: NL }],
  ]);
}

test('a NIC of the file with the MAC of a live NIC on the same VNI of the switch is a conflict (exit 1), before any step', (t) => {
  const live = liveNic(MAC);
  const desired = topologyFromText(`
nics: [{name: a, id: ${NA}, type: vmnic, mac: "${MAC}"}]
switches: [{name: sw, id: ${SW}, ports: [{id: ${PA}, vni: 100, peer: a}]}]`).objects;
  const e = t.throws(() => planApply(desired, live, typesOf(live)), { instanceOf: ConflictError });
  t.deepEqual(e?.problems, [`nics[0].mac is ${MAC}, as is the MAC of vmnic ${NL} (not in the input); both NICs are on ` +
    `vni 100 of switch sw (${SW}) (switches[0].ports[0] (port ${PA}), port ${PL}), and vpcd takes one NIC per MAC on a VNI of a switch`]);
  // on another VNI it is fine
  const other = topologyFromText(`
nics: [{name: a, id: ${NA}, type: vmnic, mac: "${MAC}"}]
switches: [{name: sw, id: ${SW}, ports: [{id: ${PA}, vni: 101, peer: a}]}]`).objects;
  t.notThrows(() => planApply(other, live, typesOf(live)));
});

test('a MAC set from the command line onto a NIC of a segment where another NIC has it is a conflict', (t) => {
  const live = liveNic(MAC);
  live.set(NA, { type: 'vmnic', id: NA, committed: true, mtu: 1500, mac: '02:00:00:00:aa:09', queues: 1 });
  live.set(PA, { type: 'port', id: PA, committed: true, mtu: null, mac: null, vni: 100, vlan: 0, switch: SW, peer: NA });
  const desired: Desired[] = [{ type: 'vmnic', id: NA, name: '', path: 'command line', mac: MAC }];
  t.throws(() => planApply(desired, live, typesOf(live)), {
    instanceOf: ConflictError, message: new RegExp(`the new MAC of vmnic ${NA} is ${MAC}, as is the MAC of vmnic ${NL}`),
  });
});

test("new NICs without a MAC get vpcd's default from the last 6 bytes of the id: two that share them conflict", (t) => {
  // version 1 UUIDs of one host share the node field, so the default MAC
  const n1 = id(0x31), n2 = id(0x32);
  const desired = topologyFromText(`
nics: [{name: a, id: ${n1}, type: vmnic}, {name: b, id: ${n2}, type: vpci}]
switches: [{name: sw, id: ${SW}, ports: [{id: ${PA}, vni: 100, peer: a}, {id: ${PB}, vni: 100, peer: b}]}]`).objects;
  const e = t.throws(() => planApply(desired, new Map(), new Map()), { instanceOf: ConflictError });
  t.is(e?.problems.length, 1);
  const fromId = '(from the last 6 bytes of its id; none is given)';
  t.true(e?.problems[0]?.startsWith(`the default MAC of nics[1] (vpci b) ${fromId} is 02:c0:4f:d4:30:c8, ` +
    `as is the default MAC of nics[0] (vmnic a) ${fromId}; both NICs are on vni 100`), e?.problems[0]);
  t.regex(e?.message ?? '', /^the input would leave two NICs with one MAC on a VNI of a switch \(nothing was changed\)/);
  // an existing NIC keeps the MAC it has, whatever its id
  const live = new Map<string, Live>([[n2, { type: 'vpci', id: n2, committed: true, mtu: 1500, mac: '02:00:00:00:bb:02', queues: 1 }]]);
  t.notThrows(() => planApply(desired, live, typesOf(live)));
});

test('two NICs of one segment trading MACs: their ports leave the switch while the MACs change', (t) => {
  const live = liveNic('02:00:00:00:aa:02');
  live.set(NA, { type: 'vmnic', id: NA, committed: true, mtu: 1500, mac: MAC, queues: 1 });
  live.set(PA, { type: 'port', id: PA, committed: true, mtu: null, mac: null, vni: 100, vlan: 0, switch: SW, peer: NA });
  live.get(SW)?.ports?.push(PA);
  const desired = topologyFromText(`
nics:
  - {name: a, id: ${NA}, type: vmnic, mac: "02:00:00:00:aa:02"}
  - {name: l, id: ${NL}, type: vmnic, mac: "${MAC}"}
switches: [{name: sw, id: ${SW}, ports: [{name: pa, id: ${PA}, vni: 100, peer: a}, {name: pl, id: ${PL}, vni: 100, peer: l}]}]`).objects;
  const steps = planApply(desired, live, typesOf(live)).steps.map(describeStep);
  t.deepEqual(steps, [
    `remove port pa (${PA}) from switch sw (${SW})`,
    `remove port pl (${PL}) from switch sw (${SW})`,
    `set vmnic a (${NA}) mac: ${MAC} -> 02:00:00:00:aa:02`,
    `set vmnic l (${NL}) mac: 02:00:00:00:aa:02 -> ${MAC}`,
    `add port pa (${PA}) to switch sw (${SW})`,
    `add port pl (${PL}) to switch sw (${SW})`,
  ]);
});
