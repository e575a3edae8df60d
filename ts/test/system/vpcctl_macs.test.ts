// System tests of MACs on a segment against a real vpcd: two vmnics or
// vpcis with one MAC on one VNI of a switch (vpcd refuses the second,
// EEXIST) are refused by apply before any change, whether both are in the
// file (exit 2), one is live and not in the file, or their MACs are vpcd's
// defaults (exit 1); the same MAC elsewhere is fine, and two NICs of one
// segment can trade MACs.

import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { startLab } from './lab';

const id = (n: number, node = '00c04fd430c8'): string => `6ba7b8${n.toString(16).padStart(2, '0')}-9dad-11d1-80b4-${node}`;
const SW = id(0x10), NA = id(0x14, '0000000000a1'), NB = id(0x15, '0000000000b1'), NL = id(0x16, '0000000000c1');
const PA = id(0x11), PB = id(0x12), PL = id(0x17);
const MAC = '02:00:00:00:aa:01';

/** A file with NICs a and b (MACs 'a', 'b'; none where null) on switch sw, ports on VNIs 100 and 'vniB'. */
function twoNics(a: string | null, b: string | null, vniB = 100, ids: [string, string] = [NA, NB]): string {
  const mac = (m: string | null): string => (m === null ? '' : `, mac: "${m}"`);
  return `version: 1
nics:
  - {name: a, id: ${ids[0]}, type: vmnic${mac(a)}}
  - {name: b, id: ${ids[1]}, type: vpci${mac(b)}}
switches:
  - name: sw
    id: ${SW}
    ports: [{name: pa, id: ${PA}, vni: 100, peer: a}, {name: pb, id: ${PB}, vni: ${vniB}, peer: b}]
`;
}

test.serial('a file with two NICs of one MAC on one VNI of a switch is refused, naming both, before any change (exit 2)', async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'dup.yaml');
  writeFileSync(f, twoNics(MAC, MAC));
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 2, r.stderr);
  t.regex(r.stderr, /not a valid topology \(nothing was changed\)/);
  t.true(r.stderr.includes(`nics[1].mac is ${MAC}, as is nics[0].mac; both NICs are on vni 100 of switch sw (${SW}) ` +
    '(switches[0].ports[1], switches[0].ports[0])'), r.stderr);
  t.is(lab.vpcctl('list').stdout.trim(), 'no objects');
  const j = lab.vpcctl('apply', '-f', f, '--json');
  t.like(JSON.parse(j.stdout), { error: { kind: 'TopologyError', exitCode: 2 } });
  // vpcd takes the same MAC on another VNI of the switch
  writeFileSync(f, twoNics(MAC, MAC, 200));
  const ok = lab.vpcctl('apply', '-f', f);
  t.is(ok.status, 0, ok.stderr);
});

test.serial('a NIC of the file with the MAC of a live NIC not in the file, on the same VNI of the switch: exit 1, nothing changed', async (t) => {
  const lab = await startLab(t);
  for (const args of [['switch', 'create', SW], ['vmnic', 'create', NL, '--mac', MAC],
    ['port', 'create', PL, '--vni', '100', '--switch', SW, '--peer', NL]]) {
    const r = lab.vpcctl(...args);
    t.is(r.status, 0, r.stderr);
  }
  const before = lab.vpcctl('list').stdout;
  const f = path.join(lab.dir, 'live.yaml');
  writeFileSync(f, `version: 1
nics: [{name: b, id: ${NB}, type: vpci, mac: "${MAC.toUpperCase()}"}]
switches: [{name: sw, id: ${SW}, ports: [{name: pb, id: ${PB}, vni: 100, peer: b}]}]
`);
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 1, r.stderr);
  t.true(r.stderr.includes(`nics[0].mac is ${MAC}, as is the MAC of vmnic ${NL} (not in the input); ` +
    `both NICs are on vni 100 of switch sw (${SW})`), r.stderr);
  t.regex(r.stderr, /nothing was changed/);
  t.is(lab.vpcctl('list').stdout, before);
  t.like(JSON.parse(lab.vpcctl('apply', '-f', f, '--json').stdout), { error: { kind: 'ConflictError', exitCode: 1 } });
  // the same from the command line
  t.is(lab.vpcctl('vpci', 'create', NB).status, 0);
  t.is(lab.vpcctl('port', 'create', PB, '--vni', '100', '--switch', SW, '--peer', NB).status, 0);
  const set = lab.vpcctl('vpci', 'set', NB, '--mac', MAC);
  t.is(set.status, 1, set.stderr);
  t.regex(set.stderr, new RegExp(`the new MAC of vpci ${NB} is ${MAC}, as is the MAC of vmnic ${NL}`));
  t.not(JSON.parse(lab.vpcctl('vpci', 'show', NB, '--json').stdout).mac, MAC);
});

test.serial("two new NICs without a MAC whose ids end alike get one default MAC: refused before any change", async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'default.yaml');
  // version 1 UUIDs of one host: the same node field, so the same default MAC
  writeFileSync(f, twoNics(null, null, 100, [id(0x31), id(0x32)]));
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, /the default MAC of nics\[1\] \(vpci b\) \(from the last 6 bytes of its id; none is given\) is 02:c0:4f:d4:30:c8/);
  t.is(lab.vpcctl('list').stdout.trim(), 'no objects');
});

test.serial('two NICs of one segment trade MACs: apply converges, and again makes no change', async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'swap.yaml');
  writeFileSync(f, twoNics(MAC, '02:00:00:00:aa:02'));
  t.is(lab.vpcctl('apply', '-f', f).status, 0);
  writeFileSync(f, twoNics('02:00:00:00:aa:02', MAC));
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 0, r.stderr);
  t.is(JSON.parse(lab.vpcctl('vmnic', 'show', NA, '--json').stdout).mac, '02:00:00:00:aa:02');
  t.is(JSON.parse(lab.vpcctl('vpci', 'show', NB, '--json').stdout).mac, MAC);
  for (const p of [PA, PB]) t.like(JSON.parse(lab.vpcctl('port', 'show', p, '--json').stdout), { switch: SW });
  t.like(JSON.parse(lab.vpcctl('apply', '-f', f, '--json').stdout), { changes: 0 });
});
