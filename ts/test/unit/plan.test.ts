// Unit tests of plan.ts: the difference between desired and live state.

import test from 'ava';

import { describeStep } from '../../src/apply/format';
import type { Desired, Live } from '../../src/apply/model';
import { ConflictError, planApply, planDelete } from '../../src/apply/plan';
import { topologyFromText } from '../../src/apply/topology';
import { TopologyError } from '../../src/lib/errors';

import { typesOf } from './helpers';

const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const P1 = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const VL = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';
const NIC = '6ba7b814-9dad-11d1-80b4-00c04fd430c8';

function topo(): Desired[] {
  return topologyFromText(`
vpclinks: [{name: ul, id: ${VL}, local: 198.51.100.1, fwd: [{vni: 100, mac: "02:00:00:00:0a:02", remote: 198.51.100.2}]}]
nics: [{name: g, id: ${NIC}, type: vpci, mtu: 1450}]
switches:
  - name: a
    id: ${SW}
    arp: [{vni: 100, ip: 192.0.2.2, mac: "02:00:00:00:0a:02"}]
    ports: [{name: gp, id: ${P1}, vni: 100, peer: g}]`).objects;
}

/** The live state 'topo()' leaves. */
function applied(): Map<string, Live> {
  return new Map<string, Live>([
    [VL, { type: 'vpclink', id: VL, committed: true, mtu: 1450, mac: '02:00:00:00:00:13', local: { address: '198.51.100.1', port: 4789 },
      fwd: [{ vni: 100, mac: '02:00:00:00:0a:02', remote: '198.51.100.2' }] }],
    [NIC, { type: 'vpci', id: NIC, committed: true, mtu: 1450, mac: '02:00:00:00:00:14', queues: 1, ifname: 'vpci0' }],
    [SW, { type: 'switch', id: SW, committed: true, mtu: null, mac: null, mode: 'programmed', ports: [P1], flood: [],
      arp: [{ vni: 100, ip: '192.0.2.2', mac: '02:00:00:00:0a:02' }] }],
    [P1, { type: 'port', id: P1, committed: true, mtu: null, mac: null, vni: 100, vlan: 0, switch: SW, peer: NIC }],
  ]);
}

test('from nothing: creates in dependency order, then relations, then entries', (t) => {
  const plan = planApply(topo(), new Map(), new Map());
  t.deepEqual(plan.steps.map((s) => `${s.kind} ${s.type}`), [
    'create vpclink', 'create vpci', 'create switch', 'create port',
    'port-add switch', 'connect port', 'fwd-set vpclink', 'arp-add switch',
  ]);
  t.is(describeStep(plan.steps[0]!), `create vpclink ul (${VL}) local=198.51.100.1 port=4789`);
});

test('applied already: zero steps, every object unchanged', (t) => {
  const live = applied();
  const plan = planApply(topo(), live, typesOf(live));
  t.deepEqual(plan.steps, []);
  t.is(plan.unchanged.length, 4);
});

test('a port whose VNI changes is detached, retagged, attached again', (t) => {
  const live = applied();
  live.set(P1, { ...live.get(P1)!, vni: 200 });
  const plan = planApply(topo(), live, typesOf(live));
  t.deepEqual(plan.steps.map((s) => s.kind), ['port-del', 'disconnect', 'set', 'port-add', 'connect']);
  t.like(plan.steps[2], { field: 'vni', from: 200, to: 100 });
});

test('entries: extra ones removed, changed ones replaced', (t) => {
  const live = applied();
  const sw = live.get(SW)!;
  sw.arp = [{ vni: 100, ip: '192.0.2.2', mac: '02:00:00:00:0a:09' }, { vni: 100, ip: '192.0.2.9', mac: '02:00:00:00:0a:09' }];
  const plan = planApply(topo(), live, typesOf(live));
  t.deepEqual(plan.steps.map((s) => s.kind), ['arp-del', 'arp-del', 'arp-add']);
});

test('strict (create): a differing setting is a conflict naming the field', (t) => {
  const live = applied();
  live.set(NIC, { ...live.get(NIC)!, mtu: 1500 });
  const e = t.throws(() => planApply(topo(), live, typesOf(live), { strict: true }), { instanceOf: ConflictError });
  t.deepEqual(e?.fields, [{ field: 'mtu', live: 1500, wanted: 1450 }]);
  t.regex(e?.message ?? '', /mtu: it has 1500, wanted 1450/);
});

test('an id that exists with another type is refused before any step', (t) => {
  const live = applied();
  const types = typesOf(live);
  types.set(SW, 'port');
  live.delete(SW);
  t.throws(() => planApply(topo(), live, types), { instanceOf: TopologyError, message: new RegExp(`${SW} exists as a port, not a switch`) });
});

test('delete: ports leave switch and peer first, then everything is destroyed', (t) => {
  const plan = planDelete(topo(), applied());
  t.deepEqual(plan.steps.map((s) => `${s.kind} ${s.type}`), [
    'port-del switch', 'disconnect port', 'destroy port', 'destroy switch', 'destroy vpci', 'destroy vpclink',
  ]);
  t.deepEqual(planDelete(topo(), new Map()).steps, []);
});

const P2 = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const NIC2 = '6ba7b815-9dad-11d1-80b4-00c04fd430c8';

test('settings a file does not give are left alone; creating still gets the defaults', (t) => {
  const desired = topologyFromText(`switches: [{id: ${SW}, ports: [{id: ${P1}, vni: 300}]}]`).objects;
  const live = new Map<string, Live>([
    [SW, { type: 'switch', id: SW, committed: true, mtu: 1500, mac: '02:00:00:00:00:10', mode: 'learning', ports: [P1], flood: [], arp: [] }],
    [P1, { type: 'port', id: P1, committed: true, mtu: null, mac: null, vni: 300, vlan: 7, switch: SW, peer: null }],
  ]);
  t.deepEqual(planApply(desired, live, typesOf(live)).steps, []);
  const fresh = planApply(desired, new Map(), new Map()).steps;
  t.deepEqual(fresh.map(describeStep), [`create switch ${SW} mode=programmed`, `create port ${P1} vni=300 vlan=0`, `add port ${P1} to switch ${SW}`]);
});

test('a new VNI already taken on the peer vpclink is a conflict naming both ports, before any step', (t) => {
  const live = applied();
  live.set(VL, { ...live.get(VL)! });
  live.set(P2, { type: 'port', id: P2, committed: true, mtu: null, mac: null, vni: 200, vlan: 0, switch: null, peer: VL });
  const desired: Desired[] = [{ type: 'port', id: P1, name: '', path: 'command line', vni: 200, peer: VL }];
  live.set(P1, { ...live.get(P1)!, peer: VL });
  const e = t.throws(() => planApply(desired, live, typesOf(live)), { instanceOf: ConflictError });
  t.regex(e?.message ?? '', new RegExp(`port ${P1}: vpclink ${VL} already has port ${P2} on vni 200`));
  t.regex(e?.message ?? '', /nothing was changed/);
});

test('a new port whose peer NIC already has a live port is a conflict', (t) => {
  const live = applied();
  const desired = topologyFromText(`switches: [{id: ${SW}, ports: [{id: ${P2}, name: pd, vni: 100, peer: ${NIC}}]}]`).objects;
  const e = t.throws(() => planApply(desired, live, typesOf(live)), { instanceOf: ConflictError });
  t.regex(e?.message ?? '', new RegExp(`switches\\[0\\]\\.ports\\[0\\] \\(port pd\\): vpci ${NIC} already has port ${P1}`));
});

test('two ports of a switch on one VNI through links is a conflict; moving ports around is not', (t) => {
  const live = applied();
  // P1 moves from the NIC to the vpclink on VNI 100, P2 (new) takes the NIC: no conflict.
  const ok: Desired[] = [
    { type: 'port', id: P1, name: '', path: 'a', peer: VL },
    { type: 'port', id: P2, name: '', path: 'b', vni: 100, peer: NIC, switch: SW },
  ];
  t.notThrows(() => planApply(ok, live, typesOf(live)));
  // a second port of switch SW to a link on VNI 100
  live.set(NIC2, { type: 'ethlink', id: NIC2, committed: true, mtu: 1500, mac: '02:00:00:00:00:15', ifname: 'ul0', vlan: 0 });
  live.set(P1, { ...live.get(P1)!, peer: VL });
  const bad: Desired[] = [{ type: 'port', id: P2, name: '', path: 'b', vni: 100, peer: NIC2, switch: SW }];
  t.throws(() => planApply(bad, live, typesOf(live)), { instanceOf: ConflictError, message: new RegExp(`switch ${SW} already has port ${P1} on vni 100 through a link`) });
});

test('references to what does not exist are conflicts with what exists (exit 1), not bad input', (t) => {
  const desired = topologyFromText(`switches: [{id: ${SW}, ports: [{id: ${P1}, vni: 1, peer: ${NIC2}}]}]`).objects;
  t.throws(() => planApply(desired, new Map(), new Map()), { instanceOf: ConflictError, message: /no object .* exists/ });
});

test('flood lists: the list given for a VNI is exact, VNIs not given are left alone', (t) => {
  const live = applied();
  live.get(SW)!.flood = [{ vni: 100, remotes: ['198.51.100.9'] }];
  const desired = topologyFromText(`switches: [{id: ${SW}, flood: [{vni: 100, remotes: []}, {vni: 200, remotes: [198.51.100.7]}]}]`).objects;
  const steps = planApply(desired, live, typesOf(live)).steps;
  t.deepEqual(steps.map(describeStep), [
    `set flood list of switch ${SW} vni 100: [198.51.100.9] -> []`,
    `set flood list of switch ${SW} vni 200: [] -> [198.51.100.7]`,
  ]);
});

test('a long flood list is shortened in a step description', (t) => {
  const to = Array.from({ length: 1000 }, (_x, i) => `2001:db8:1::${(i + 1).toString(16)}`);
  const s = describeStep({ kind: 'flood-set', type: 'switch', id: SW, name: '', vni: 10, from: [], to });
  t.true(s.length < 300, s);
  t.regex(s, /\[2001:db8:1::1, 2001:db8:1::2, .* \(1000 addresses\)\]$/);
});
