// model.ts: the desired and live shapes of objects that plans compare.
//
// A desired object lists only the settings its author cares about: an
// absent (undefined) field is left as it is (defaults apply only when the
// object is created).  ARP and fwd lists, when given, are the exact set of
// static entries wanted; a flood list is the exact list of its VNI (flood
// lists are per VNI: VNIs not given are left as they are).  Only settings
// vpcd takes for the type exist here: a port has no MTU or MAC, a
// vpclink's MTU is derived from its underlay.

import type { ObjectType, SwitchMode } from '../lib/limits';

export interface ArpSpec { vni: number; ip: string; mac: string; }
export interface FwdSpec { vni: number; mac: string; remote: string; }
export interface FloodSpec { vni: number; remotes: string[]; }
export interface LocalSpec { address: string; port: number; }

interface Common {
  id: string;
  /** Human name from the file or the command line; "" if none. */
  name: string;
  /** Where it was declared, for messages ("switches[0].ports[1]"). */
  path: string;
}

export interface DesiredSwitch extends Common {
  type: 'switch'; mtu?: number; mac?: string; mode?: SwitchMode; flood?: FloodSpec[]; arp?: ArpSpec[];
}
export interface DesiredPort extends Common {
  type: 'port'; vni?: number; vlan?: number; switch?: string; peer?: string;
}
export interface DesiredNic extends Common { type: 'vmnic' | 'vpci'; mtu?: number; mac?: string; queues?: number; }
export interface DesiredEthlink extends Common { type: 'ethlink'; mtu?: number; ifname?: string; vlan?: number; }
export interface DesiredVpclink extends Common { type: 'vpclink'; local?: LocalSpec; fwd?: FwdSpec[]; }

export type Desired = DesiredSwitch | DesiredPort | DesiredNic | DesiredEthlink | DesiredVpclink;

/** A parsed, validated topology: objects in dependency order. */
export interface Topology {
  /** Label of the host the file is for, if it says. */
  host: string;
  objects: Desired[];
  /** name -> id for every named object. */
  names: Map<string, string>;
}

/** What an object is now, as read through libvpc. */
export interface Live {
  type: ObjectType;
  id: string;
  committed: boolean;
  /** null: the type has no MTU (ENOTTY), or a vpclink is not bound yet (ENOTCONN). */
  mtu: number | null;
  /** null: the type has no MAC (ENOTTY). */
  mac: string | null;
  mode?: SwitchMode;
  ports?: string[];
  /** Flood lists of the VNIs asked about. */
  flood?: FloodSpec[];
  arp?: ArpSpec[];
  vni?: number;
  vlan?: number;
  switch?: string | null;
  peer?: string | null;
  queues?: number;
  /** An ethlink's interface. */
  ifname?: string;
  local?: { address: string | null; port: number };
  /** Static forwarding entries (learned ones are not state to manage). */
  fwd?: FwdSpec[];
}

/** Creation order: what a port may connect to first, then switches, then ports. */
export const TYPE_ORDER: readonly ObjectType[] = ['vpclink', 'ethlink', 'vmnic', 'vpci', 'switch', 'port'];
