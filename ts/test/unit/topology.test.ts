// Unit tests of topology.ts: the shipped examples parse; every problem of
// a bad file is reported with its path, all at once.

import test from 'ava';
import path from 'node:path';

import { topologyFromFile, topologyFromText } from '../../src/apply/topology';
import { TopologyError } from '../../src/lib/errors';

const examples = path.resolve(__dirname, '..', '..', '..', 'examples');
const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const P1 = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const P2 = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const VL = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';
const NIC = '6ba7b814-9dad-11d1-80b4-00c04fd430c8';

function problems(text: string): readonly string[] {
  try {
    topologyFromText(text, 'f.yaml');
  } catch (e) {
    if (e instanceof TopologyError) return e.problems;
    throw e;
  }
  return [];
}

const parses = test.macro({
  exec(t, file: string, objects: number) {
    const topo = topologyFromFile(path.join(examples, file));
    t.is(topo.objects.length, objects);
    // dependency order: links and NICs before switches before ports
    const order = topo.objects.map((o) => o.type);
    t.true(order.lastIndexOf('vpclink') < order.indexOf('switch'));
    t.true(order.lastIndexOf('switch') < order.indexOf('port'));
  },
  title: (_p, file) => `example ${file} parses`,
});

test(parses, 'demo-host1.yaml', 9);
test(parses, 'demo-host2.yaml', 9);
test(parses, 'learning.json', 5);

test('names resolve to ids; ports get their switch', (t) => {
  const topo = topologyFromText(`
vpclinks: [{name: ul, id: ${VL}, local: 198.51.100.1}]
switches: [{name: a, id: ${SW}, ports: [{id: ${P1}, vni: 100, peer: ul}]}]`);
  const port = topo.objects.find((o) => o.type === 'port');
  t.like(port, { switch: SW, peer: VL, vni: 100, vlan: 0 });
  t.is(topo.names.get('ul'), VL);
});

test('every problem is reported with its path', (t) => {
  const p = problems(`
vpclinks: [{name: ul, id: ${VL}, local: 198.51.100.300}]
nics: [{id: ${NIC}, type: vpci, mac: "01:00:5e:00:00:01", colour: red}]
switches:
  - {id: ${SW}, mode: flooding, ports: [{id: ${P1}, vni: 16777216, peer: nowhere}]}`);
  t.deepEqual([...p].sort(), [
    'expected a VNI between 0 and 16777215 for switches[0].ports[0].vni but received 16777216',
    'expected a unicast MAC address such as 02:00:00:00:00:01 (the multicast bit of the first octet clear) for nics[0].mac but received "01:00:5e:00:00:01"',
    'expected an IPv4 or IPv6 address for vpclinks[0].local but received "198.51.100.300"',
    'expected one of programmed, learning for switches[0].mode but received "flooding"',
    'expected the name of an object in the file (ul) or a UUID for switches[0].ports[0].peer but received "nowhere"',
    'unknown key nics[0].colour (expected one of id, name, type, mtu, mac, queues)',
  ].sort());
});

test('duplicate ids and a second port per VNI on a vpclink are refused', (t) => {
  const p = problems(`
vpclinks: [{name: ul, id: ${VL}, local: 198.51.100.1}]
switches:
  - {id: ${SW}, ports: [{id: ${P1}, vni: 100, peer: ul}, {id: ${P2}, vni: 100, peer: ul}]}
  - {id: ${SW}}`);
  t.true(p.some((x) => x.includes(`switches[1].id ${SW} is also the id of switches[0]`)), p.join('\n'));
  t.true(p.some((x) => x.includes('already has a port for vni 100')), p.join('\n'));
});

test('a NIC has one port', (t) => {
  const p = problems(`
nics: [{name: n, id: ${NIC}, type: vmnic}]
switches: [{id: ${SW}, ports: [{id: ${P1}, vni: 1, peer: n}, {id: ${P2}, vni: 1, peer: n}]}]`);
  t.true(p.some((x) => x.includes('"n" is already the peer of switches[0].ports[0].peer')), p.join('\n'));
});

test('not YAML at all', (t) => {
  t.throws(() => topologyFromText('switches: [', 'x.yaml'), { instanceOf: TopologyError, message: /^x\.yaml: not YAML or JSON/ });
});

test('YAML: a duplicate key is an error, a date-like name stays a string', (t) => {
  t.throws(() => topologyFromText('version: 1\nversion: 1\n', 'x.yaml'), { instanceOf: TopologyError, message: /^x\.yaml: not YAML or JSON: .*duplicat/ });
  const topo = topologyFromText(`switches: [{name: 2026-01-01, id: ${SW}}]`, 'x.yaml');
  t.deepEqual(topo.objects.map((o) => o.name), ['2026-01-01']);
});

test('a .json file is read as JSON: same result as YAML, JSON errors', (t) => {
  const doc = { version: 1, switches: [{ name: 'sw', id: SW, ports: [{ name: 'p', id: P1, vni: 100 }] }] };
  const text = JSON.stringify(doc);
  t.deepEqual(topologyFromText(text, 'x.json'), topologyFromText(text, 'x.yaml'));
  // YAML-only syntax is not JSON.
  t.throws(() => topologyFromText('version: 1', 'x.json'), { instanceOf: TopologyError, message: /^x\.json: not JSON: / });
  t.throws(() => topologyFromText('{"version": 1,', 'x.json'), { instanceOf: TopologyError, message: /^x\.json: not JSON: / });
});

test('the message says nothing was changed', (t) => {
  t.throws(() => topologyFromText('version: 2'), { message: /not a valid topology \(nothing was changed\)/ });
});
