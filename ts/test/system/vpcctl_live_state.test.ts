// System tests of vpcctl and the apply engine against a real vpcd where
// live state decides: ids that are not RFC 4122 UUIDs, occupied peers
// (refused before any change), a failed step after a detach (undone),
// IPv4-mapped addresses, keys vpcd refuses, long flood lists and the
// messages for a missing object or one of another type.

import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { execute, StepError } from '../../src/apply/execute';
import type { Step } from '../../src/apply/plan';
import { Vpc } from '../../src/lib/client';
import { F_CREATE, F_READ, F_WRITE, TYPE_NUMBER } from '../../src/lib/limits';
import { native } from '../../src/lib/native';
import { REPO, startLab } from './lab';

const EXAMPLE = path.join(REPO, 'ts', 'examples', 'demo-host1.yaml');
const ODD = '11111111-2222-3333-4444-555555555555';
const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const P1 = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const P2 = '6ba7b812-9dad-11d1-80b4-00c04fd430c8';
const VL = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';
const NIC = '6ba7b814-9dad-11d1-80b4-00c04fd430c8';

test.serial('an object whose id is no RFC 4122 UUID: list, apply, show and delete work', async (t) => {
  const lab = await startLab(t);
  // Made the way another libvpc program would: any 16 bytes.
  process.env['VPC_SOCKET'] = lab.socket;
  const n = native();
  const vd = await n.open(new Uint8Array([0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55]),
    TYPE_NUMBER.switch, F_CREATE | F_READ | F_WRITE);
  await n.commit(vd);
  await n.close(vd);
  const list = lab.vpcctl('list');
  t.is(list.status, 0, list.stderr);
  t.regex(list.stdout, new RegExp(`switch +${ODD}`));
  const apply = lab.vpcctl('apply', '-f', EXAMPLE);
  t.is(apply.status, 0, apply.stderr);
  const show = lab.vpcctl('switch', 'show', ODD.toUpperCase(), '--json');
  t.is(show.status, 0, show.stderr);
  t.like(JSON.parse(show.stdout), { type: 'switch', id: ODD });
  const del = lab.vpcctl('switch', 'delete', ODD);
  t.is(del.status, 0, del.stderr);
  t.false(lab.vpcctl('list').stdout.includes(ODD));
});

/** A vpclink L with ports P1 (vni 100) and P2 (vni 200) in switch SW. */
function twoPorts(lab: { vpcctl(...a: string[]): { status: number; stderr: string } }): void {
  const run = (...a: string[]): void => {
    const r = lab.vpcctl(...a);
    if (r.status !== 0) throw new Error(`vpcctl ${a.join(' ')}: ${r.stderr}`);
  };
  run('vpclink', 'create', VL, '--local', '198.51.100.1');
  run('switch', 'create', SW);
  run('port', 'create', P1, '--vni', '100', '--switch', SW, '--peer', VL);
  run('port', 'create', P2, '--vni', '200', '--peer', VL);
}

test.serial('port set --vni to a VNI the peer already carries is refused before any change (exit 1)', async (t) => {
  const lab = await startLab(t);
  twoPorts(lab);
  const r = lab.vpcctl('port', 'set', P1, '--vni', '200');
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, new RegExp(`port ${P1}: vpclink ${VL} already has port ${P2} on vni 200`));
  t.like(JSON.parse(lab.vpcctl('port', 'show', P1, '--json').stdout), { vni: 100, switch: SW, peer: VL });
  const j = lab.vpcctl('port', 'set', P1, '--vni', '200', '--json');
  t.like(JSON.parse(j.stdout), { error: { kind: 'ConflictError', exitCode: 1 } });
});

test.serial('a step failing after a detach: the port gets its VNI and connections back, and the error says so', async (t) => {
  const lab = await startLab(t);
  twoPorts(lab);
  // A plan the planner would refuse, to make the connect fail (EEXIST).
  const steps: Step[] = [
    { kind: 'port-del', type: 'switch', id: SW, name: '', port: P1, portName: '' },
    { kind: 'disconnect', type: 'port', id: P1, name: '', peer: VL, peerName: '' },
    { kind: 'set', type: 'port', id: P1, name: '', field: 'vni', from: 100, to: 200 },
    { kind: 'port-add', type: 'switch', id: SW, name: '', port: P1, portName: '' },
    { kind: 'connect', type: 'port', id: P1, name: '', peer: VL, peerName: '' },
  ];
  const vpc = new Vpc(lab.socket);
  const e = await t.throwsAsync(execute(vpc, steps), { instanceOf: StepError });
  t.regex(e?.message ?? '', /step 5 \(connect port .*\) failed after 4 change\(s\)/);
  t.regex(e?.message ?? '', new RegExp(`restored port ${P1}: vni 100, in switch ${SW}, connected to ${VL}`));
  t.like(JSON.parse(lab.vpcctl('port', 'show', P1, '--json').stdout), { vni: 100, switch: SW, peer: VL });
});

test.serial('apply: a new port whose peer NIC already has a port is refused before anything is created', async (t) => {
  const lab = await startLab(t);
  t.is(lab.vpcctl('vpci', 'create', NIC).status, 0);
  t.is(lab.vpcctl('port', 'create', P1, '--vni', '1', '--peer', NIC).status, 0);
  const before = lab.vpcctl('list').stdout;
  const f = path.join(lab.dir, 'partial.yaml');
  writeFileSync(f, `version: 1\nswitches:\n  - id: ${SW}\n    name: sw-d\n    ports:\n      - {id: ${P2}, name: pd, vni: 100, peer: ${NIC}}\n`);
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, new RegExp(`vpci ${NIC} already has port ${P1}`));
  t.is(lab.vpcctl('list').stdout, before);
});

test.serial('IPv4-mapped addresses: re-apply makes no change', async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'mapped.yaml');
  writeFileSync(f, `version: 1
vpclinks:
  - id: ${VL}
    local: 198.51.100.1
    fwd: [{vni: 300, mac: "02:00:00:00:0c:02", remote: "::ffff:203.0.113.9"}]
switches:
  - id: ${SW}
    flood: [{vni: 300, remotes: ["::ffff:cb00:7107", "2001:db8::7"]}]
    arp: [{vni: 300, ip: 192.0.2.7, mac: "02:00:00:00:0c:07"}]
`);
  const first = lab.vpcctl('apply', '-f', f);
  t.is(first.status, 0, first.stderr);
  const again = lab.vpcctl('apply', '-f', f, '--json');
  t.is(again.status, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { changes: 0, steps: [] });
});

test.serial('keys vpcd refuses are refused up front: port --mtu/--mac, vpclink --mtu, in files too', async (t) => {
  const lab = await startLab(t);
  for (const args of [['port', 'create', P1, '--vni', '1', '--mac', '02:00:00:00:42:02'], ['port', 'create', P1, '--vni', '1', '--mtu', '1400'],
    ['vpclink', 'create', VL, '--local', '198.51.100.1', '--mtu', '1400']]) {
    const r = lab.vpcctl(...args);
    t.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, /Nonexistent flag: --m(ac|tu)/);
  }
  const f = path.join(lab.dir, 'portmtu.yaml');
  writeFileSync(f, `switches: [{id: ${SW}, ports: [{id: ${P1}, vni: 42, mtu: 1400}]}]\n`);
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 2);
  t.regex(r.stderr, /switches\[0\]\.ports\[0\]\.mtu: a port has no MTU/);
  t.is(lab.vpcctl('list').stdout.trim(), 'no objects');
});

test.serial('flood set: more than FLOOD_MAX addresses is bad input naming the field', async (t) => {
  const lab = await startLab(t);
  t.is(lab.vpcctl('switch', 'create', SW).status, 0);
  const remotes = Array.from({ length: 1025 }, (_x, i) => `2001:db8:1::${(i + 1).toString(16)}`);
  const r = lab.vpcctl('flood', 'set', SW, '--vni', '10', ...remotes);
  t.is(r.status, 2);
  t.is(r.stderr.trim(), 'vpcctl: expected at most 1024 distinct addresses for remotes but received 1025 (nothing was changed)');
  const ok = lab.vpcctl('flood', 'set', SW, '--vni', '10', ...remotes.slice(0, 1024));
  t.is(ok.status, 0, ok.stderr);
  t.true(ok.stdout.length < 1000, ok.stdout);
});

test.serial('show of a missing object or one of another type names the type and id', async (t) => {
  const lab = await startLab(t);
  t.is(lab.vpcctl('switch', 'create', SW).status, 0);
  const missing = lab.vpcctl('switch', 'show', '99999999-0000-4000-8000-000000000001');
  t.is(missing.status, 1);
  t.is(missing.stderr.trim(), 'vpcctl: switch 99999999-0000-4000-8000-000000000001: no such object');
  const other = lab.vpcctl('port', 'show', SW);
  t.is(other.status, 1);
  t.is(other.stderr.trim(), `vpcctl: ${SW} is a switch, not a port`);
  const j = JSON.parse(lab.vpcctl('port', 'show', SW, '--json').stdout);
  t.like(j, { error: { code: 'EPROTOTYPE', objectId: SW } });
});

test.serial('a vpclink not bound yet (no MTU to derive) can be applied again', async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'unbound.yaml');
  writeFileSync(f, `vpclinks: [{id: ${VL}, fwd: [{vni: 5, mac: "02:00:00:00:06:01", remote: 203.0.113.5}]}]\n`);
  const first = lab.vpcctl('apply', '-f', f);
  t.is(first.status, 0, first.stderr);
  const again = lab.vpcctl('apply', '-f', f, '--json');
  t.is(again.status, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { changes: 0 });
  t.regex(lab.vpcctl('vpclink', 'show', VL).stdout, /^mtu: +none$/m);
});
