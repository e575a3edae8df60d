// Unit tests of topology.ts: the shipped examples parse; every problem of
// a bad file is reported with its path, all at once.

import test from 'ava';
import path from 'node:path';

import { topologyFromFile, topologyFromText } from '../../src/apply/topology';
import { TopologyError } from '../../src/lib/errors';

import { fileProblems as problems } from './helpers';

const examples = path.resolve(__dirname, '..', '..', '..', 'examples');
const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const P1 = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const P2 = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const VL = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';
const NIC = '6ba7b814-9dad-11d1-80b4-00c04fd430c8';

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
  t.like(port, { switch: SW, peer: VL, vni: 100 });
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

test('settings the file does not give stay undefined (mode, vlan)', (t) => {
  const topo = topologyFromText(`switches: [{id: ${SW}, ports: [{id: ${P1}, vni: 300}]}]`);
  const sw = topo.objects.find((o) => o.type === 'switch');
  const port = topo.objects.find((o) => o.type === 'port');
  t.is(sw?.type === 'switch' ? sw.mode : 'not a switch', undefined);
  t.is(port?.type === 'port' ? port.vlan : 'not a port', undefined);
});

test('duplicate flood VNIs, ARP (vni, ip) and fwd (vni, mac) entries are refused naming both paths', (t) => {
  const p = problems(`
vpclinks:
  - id: ${VL}
    fwd:
      - {vni: 5, mac: "02:00:00:00:06:01", remote: 203.0.113.5}
      - {vni: 5, mac: "02:00:00:00:06:01", remote: 203.0.113.6}
      - {vni: 6, mac: "02:00:00:00:06:01", remote: 203.0.113.6}
switches:
  - id: ${SW}
    flood:
      - {vni: 400, remotes: [203.0.113.1]}
      - {vni: 400, remotes: [203.0.113.2]}
    arp:
      - {vni: 400, ip: 192.0.2.50, mac: "02:00:00:00:0d:01"}
      - {vni: 400, ip: 192.0.2.50, mac: "02:00:00:00:0d:02"}
      - {vni: 401, ip: 192.0.2.50, mac: "02:00:00:00:0d:02"}`);
  t.deepEqual([...p].sort(), [
    'switches[0].arp[1]: vni 400 ip 192.0.2.50 is also given by switches[0].arp[0] (one entry per VNI and address)',
    'switches[0].flood[1]: vni 400 is also given by switches[0].flood[0] (one flood list per VNI)',
    'vpclinks[0].fwd[1]: vni 5 mac 02:00:00:00:06:01 is also given by vpclinks[0].fwd[0] (one entry per VNI and MAC)',
  ]);
});

test('keys vpcd would refuse: mtu and mac of a port, mtu of a vpclink', (t) => {
  const p = problems(`
vpclinks: [{id: ${VL}, local: 198.51.100.1, mtu: 1400}]
switches: [{id: ${SW}, mtu: 1400, mac: "02:00:00:00:43:01", ports: [{id: ${P1}, vni: 42, mtu: 1400, mac: "02:00:00:00:42:01"}]}]`);
  t.deepEqual([...p].sort(), [
    'switches[0].ports[0].mac: a port has no MAC address of its own (vpcd refuses it); remove the key',
    'switches[0].ports[0].mtu: a port has no MTU of its own (vpcd refuses it); remove the key',
    "vpclinks[0].mtu: a vpclink's MTU is derived from its underlay (vpcd refuses it); remove the key",
  ]);
});

test('a flood list longer than FLOOD_MAX is refused naming the field', (t) => {
  const remotes = Array.from({ length: 1500 }, (_x, i) => `2001:db8:1::${(i + 1).toString(16)}`);
  const doc = { version: 1, switches: [{ id: SW, flood: [{ vni: 10, remotes }] }] };
  const p = problems(JSON.stringify(doc));
  t.deepEqual(p, ['expected at most 1024 distinct addresses for switches[0].flood[0].remotes but received 1500']);
});

test('JSON and YAML follow the same rules: duplicate keys refused naming the key, a BOM accepted', (t) => {
  const dup = `{"version":1,"switches":[{"id":"${SW}","mode":"learning","mode":"programmed"}]}`;
  t.throws(() => topologyFromText(dup, 'x.json'), { instanceOf: TopologyError, message: /^x\.json: duplicate key "mode" in switches\[0\]/ });
  t.throws(() => topologyFromText(dup, 'x.yaml'), { instanceOf: TopologyError, message: /duplicat/ });
  const nested = `{"version":1,"switches":[{"id":"${SW}","ports":[{"id":"${P1}","vni":1,"v\\u006ei":2}]}]}`;
  t.throws(() => topologyFromText(nested, 'x.json'), { message: /duplicate key "vni" in switches\[0\]\.ports\[0\]/ });
  t.throws(() => topologyFromText('{"version":1,"version":1}', 'x.json'), { message: /duplicate key "version" in the top level/ });
  // the same key in different objects, and key-like strings in values, are fine
  const ok = `{"version":1,"host":"x,\\"id\\":","switches":[{"id":"${SW}","name":"id"},{"id":"${P2}","name":"version"}]}`;
  t.is(topologyFromText(ok, 'x.json').objects.length, 2);
  const bom = `\uFEFF{"version":1,"switches":[{"id":"${SW}"}]}`;
  t.deepEqual(topologyFromText(bom, 'x.json'), topologyFromText(bom, 'x.yaml'));
  t.is(topologyFromText(bom, 'x.json').objects.length, 1);
});
