// Unit tests of planning an ethlink's VLAN change while ports use it: vpcd
// refuses the change while the ethlink has ports (EBUSY), so the plan
// disconnects them, changes the VLAN and connects them again, whether the
// input names them or not.

import test from 'ava';

import { describeStep } from '../../src/apply/format';
import type { Desired, Live } from '../../src/apply/model';
import { ConflictError, planApply } from '../../src/apply/plan';
import { topologyFromText } from '../../src/apply/topology';

import { typesOf } from './helpers';

const id = (n: number): string => `6ba7b8${n.toString(16).padStart(2, '0')}-9dad-11d1-80b4-00c04fd430c8`;
const EL = id(0x16), SW = id(0x10), SW2 = id(0x20), P1 = id(0x11), P2 = id(0x12);

const file = (vlan: number): Desired[] => topologyFromText(`
ethlinks: [{name: up, id: ${EL}, ifname: ul1, vlan: ${vlan}}]
switches: [{name: sw, id: ${SW}, ports: [{name: p1, id: ${P1}, vni: 100, peer: up}]}]`).objects;

/** What file(5) leaves, and port P2 (not in the file, tagged 7) connected to the ethlink from switch SW2. */
function live(): Map<string, Live> {
  return new Map<string, Live>([
    [EL, { type: 'ethlink', id: EL, committed: true, mtu: 1500, mac: '02:c0:4f:d4:30:c8', ifname: 'ul1', vlan: 5 }],
    [SW, { type: 'switch', id: SW, committed: true, mtu: 1500, mac: '02:c0:4f:d4:30:c8', mode: 'programmed', ports: [P1], flood: [], arp: [] }],
    [P1, { type: 'port', id: P1, committed: true, mtu: null, mac: null, vni: 100, vlan: 0, switch: SW, peer: EL }],
    [P2, { type: 'port', id: P2, committed: true, mtu: null, mac: null, vni: 200, vlan: 7, switch: SW2, peer: EL }],
  ]);
}


test("an ethlink's VLAN change disconnects its ports, named or not, changes it and connects them again", (t) => {
  const l = live();
  t.deepEqual(planApply(file(5), l, typesOf(l)).steps, [], 'applied already');
  const steps = planApply(file(6), l, typesOf(l)).steps.map(describeStep);
  t.deepEqual(steps, [
    `disconnect port p1 (${P1}) from up (${EL})`,
    `disconnect port ${P2} from up (${EL})`,
    `set ethlink up (${EL}) vlan: 5 -> 6`,
    `connect port p1 (${P1}) to up (${EL})`,
    `connect port ${P2} to up (${EL})`,
  ]);
});

test('the same from the command line (ethlink set --vlan)', (t) => {
  const l = live();
  const desired: Desired[] = [{ type: 'ethlink', id: EL, name: '', path: 'command line', vlan: 0 }];
  t.deepEqual(planApply(desired, l, typesOf(l)).steps.map((s) => s.kind), ['disconnect', 'disconnect', 'set', 'connect', 'connect']);
});

test('a VLAN that puts an untagged port on the VLAN of a tagged one is refused before any step', (t) => {
  const l = live();
  t.throws(() => planApply(file(7), l, typesOf(l)),
    { instanceOf: ConflictError, message: new RegExp(`ethlink ${EL} already has port .* on vlan 7`) });
});

test('an ethlink without ports changes its VLAN alone', (t) => {
  const l = live();
  l.delete(P1);
  l.delete(P2);
  const desired = topologyFromText(`ethlinks: [{name: up, id: ${EL}, vlan: 9}]`).objects;
  t.deepEqual(planApply(desired, l, typesOf(l)).steps.map(describeStep), [`set ethlink up (${EL}) vlan: 5 -> 9`]);
});
