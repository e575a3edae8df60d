// System tests of changing an ethlink's VLAN while ports use it, against a
// real vpcd (which refuses VPC_OP_ETHLINK_VLAN_SET with EBUSY while the
// ethlink has ports): apply and ethlink set converge by disconnecting the
// ports, named in the file or not, and connecting them again; a step
// failing after the change puts the VLAN and the ports back.

import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { execute, StepError } from '../../src/apply/execute';
import type { Step } from '../../src/apply/plan';
import { Vpc } from '../../src/lib/client';
import { startLab } from './lab';

const id = (n: number): string => `6ba7b8${n.toString(16).padStart(2, '0')}-9dad-11d1-80b4-00c04fd430c8`;
const EL = id(0x16), SW = id(0x10), SW2 = id(0x20), P1 = id(0x11), P2 = id(0x12);

const file = (vlan: number): string => `version: 1
ethlinks: [{name: up, id: ${EL}, ifname: ul1, vlan: ${vlan}}]
switches: [{name: sw, id: ${SW}, ports: [{name: p1, id: ${P1}, vni: 100, peer: up}]}]
`;

type Run = (...a: string[]) => { status: number; stdout: string; stderr: string };

/** The ethlink of file(5) with port P1 (untagged), and P2 (tagged 7, not in the file) from switch SW2. */
function setUp(vpcctl: Run, f: string): void {
  writeFileSync(f, file(5));
  for (const args of [['apply', '-f', f], ['switch', 'create', SW2],
    ['port', 'create', P2, '--vni', '200', '--vlan', '7', '--switch', SW2, '--peer', EL]]) {
    const r = vpcctl(...args);
    if (r.status !== 0) throw new Error(`vpcctl ${args.join(' ')}: ${r.stderr}`);
  }
}

const show = (vpcctl: Run, type: string, oid: string): Record<string, unknown> =>
  JSON.parse(vpcctl(type, 'show', oid, '--json').stdout) as Record<string, unknown>;

test.serial("apply changes an ethlink's VLAN while ports use it: they are disconnected and connected again", async (t) => {
  const lab = await startLab(t);
  const f = path.join(lab.dir, 'el.yaml');
  setUp(lab.vpcctl, f);
  writeFileSync(f, file(6));
  const dry = lab.vpcctl('apply', '-f', f, '--dry-run');
  t.is(dry.status, 0, dry.stderr);
  t.regex(dry.stdout, new RegExp([`^Plan: 5 changes`, `  1\\. disconnect port p1 \\(${P1}\\) from up \\(${EL}\\)`,
    `  2\\. disconnect port ${P2} from up \\(${EL}\\)`, `  3\\. set ethlink up \\(${EL}\\) vlan: 5 -> 6`,
    `  4\\. connect port p1 \\(${P1}\\) to up \\(${EL}\\)`, `  5\\. connect port ${P2} to up \\(${EL}\\)$`].join('\n'), 'm'));
  t.like(show(lab.vpcctl, 'ethlink', EL), { vlan: 5 }, 'a dry run changes nothing');
  const r = lab.vpcctl('apply', '-f', f);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /Done: 5 changes\./);
  t.like(show(lab.vpcctl, 'ethlink', EL), { vlan: 6 });
  t.like(show(lab.vpcctl, 'port', P1), { vni: 100, vlan: 0, switch: SW, peer: EL });
  t.like(show(lab.vpcctl, 'port', P2), { vni: 200, vlan: 7, switch: SW2, peer: EL });
  t.like(JSON.parse(lab.vpcctl('apply', '-f', f, '--json').stdout), { changes: 0 });
  // ethlink set does the same
  const set = lab.vpcctl('ethlink', 'set', EL, '--vlan', '0');
  t.is(set.status, 0, set.stderr);
  t.like(show(lab.vpcctl, 'ethlink', EL), { vlan: 0 });
  t.like(show(lab.vpcctl, 'port', P1), { switch: SW, peer: EL });
  t.like(show(lab.vpcctl, 'port', P2), { switch: SW2, peer: EL });
  // a VLAN that puts untagged P1 on tagged P2's VLAN is refused before any change
  writeFileSync(f, file(7));
  const clash = lab.vpcctl('apply', '-f', f);
  t.is(clash.status, 1, clash.stderr);
  t.regex(clash.stderr, new RegExp(`ethlink ${EL} already has port ${P2} on vlan 7`));
  t.like(show(lab.vpcctl, 'ethlink', EL), { vlan: 0 });
  t.like(show(lab.vpcctl, 'port', P1), { peer: EL });
});

test.serial("a step failing after an ethlink's VLAN changed: the VLAN and its ports are put back, and the error says so", async (t) => {
  const lab = await startLab(t);
  setUp(lab.vpcctl, path.join(lab.dir, 'el.yaml'));
  // A plan the planner would refuse (untagged P1 and P2 both on VLAN 7), to make the last connect fail (EEXIST).
  const steps: Step[] = [
    { kind: 'disconnect', type: 'port', id: P1, name: '', peer: EL, peerName: '' },
    { kind: 'disconnect', type: 'port', id: P2, name: '', peer: EL, peerName: '' },
    { kind: 'set', type: 'ethlink', id: EL, name: '', field: 'vlan', from: 5, to: 7 },
    { kind: 'connect', type: 'port', id: P1, name: '', peer: EL, peerName: '' },
    { kind: 'connect', type: 'port', id: P2, name: '', peer: EL, peerName: '' },
  ];
  const e = await t.throwsAsync(execute(new Vpc(lab.socket), steps), { instanceOf: StepError });
  t.regex(e?.message ?? '', /step 5 \(connect port .*\) failed after 4 change\(s\)/);
  t.regex(e?.message ?? '', new RegExp(`restored ethlink ${EL}: vlan 5`));
  t.regex(e?.message ?? '', new RegExp(`restored port ${P1}: connected to ${EL}`));
  t.regex(e?.message ?? '', new RegExp(`restored port ${P2}: connected to ${EL}`));
  t.like(show(lab.vpcctl, 'ethlink', EL), { vlan: 5 });
  t.like(show(lab.vpcctl, 'port', P1), { vlan: 0, switch: SW, peer: EL });
  t.like(show(lab.vpcctl, 'port', P2), { vlan: 7, switch: SW2, peer: EL });
});
