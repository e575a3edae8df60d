// settings.ts: the setting flags of each object type and the Desired
// object they describe (shared by create and set).  Only what vpcd takes
// for the type: ports have no MTU or MAC, a vpclink's MTU is derived.

import { Flags } from '@oclif/core';

import type { Desired } from '../apply/model';
import { ValidationError } from '../lib/errors';
import type { ObjectType } from '../lib/limits';
import { VXLAN_PORT } from '../lib/limits';
import * as v from '../lib/validate';

const common = {
  mtu: Flags.string({ description: 'MTU (576..9000)' }),
  mac: Flags.string({ description: 'unicast MAC address (default: derived from the UUID)' }),
};

export const settingFlags = {
  switch: { ...common, mode: Flags.string({ description: 'programmed (default) or learning', options: ['programmed', 'learning'] }) },
  port: {
    vni: Flags.string({ description: 'segment (VNI, 0..16777215)' }),
    vlan: Flags.string({ description: 'VLAN id, 0 (untagged) or 1..4094' }),
    switch: Flags.string({ description: 'UUID of the switch the port is in' }),
    peer: Flags.string({ description: 'UUID of the vmnic, vpci, ethlink or vpclink the port connects to' }),
  },
  vmnic: { ...common, queues: Flags.string({ description: 'queue count (1..16)' }) },
  vpci: { ...common, queues: Flags.string({ description: 'queue count (1..16)' }) },
  ethlink: {
    mtu: common.mtu,
    ifname: Flags.string({ description: 'host interface to attach to' }),
    vlan: Flags.string({
      description: 'VLAN id for untagged ports, 0 or 1..4094 (its ports are disconnected for the change and connected again)',
    }),
  },
  vpclink: {
    local: Flags.string({ description: 'local underlay address (IPv4 or IPv6) to bind' }),
    port: Flags.string({ description: `UDP port (default ${VXLAN_PORT})` }),
  },
} as const;

export type SettingValues = Partial<Record<string, string | undefined>>;

/** The Desired object of type 'type' and id 'id' that 'f' (flag values) describes. */
export function desiredFromFlags(type: ObjectType, id: string, f: SettingValues): Desired {
  const opt = <T>(key: string, fn: (x: unknown, field: string) => T): T | undefined =>
    f[key] === undefined ? undefined : fn(f[key], `--${key}`);
  const base = { id, name: '', path: 'command line' };
  const mtu = opt('mtu', v.mtu);
  const mac = opt('mac', v.mac);
  const common = { ...base, ...(mtu !== undefined ? { mtu } : {}), ...(mac !== undefined ? { mac } : {}) };
  switch (type) {
    case 'switch': {
      const mode = opt('mode', v.switchMode);
      return { type, ...common, ...(mode !== undefined ? { mode } : {}) };
    }
    case 'port': {
      const d: Desired = { type, ...base };
      const vni = opt('vni', v.vni);
      if (vni !== undefined) d.vni = vni;
      const vlan = opt('vlan', v.vlan);
      if (vlan !== undefined) d.vlan = vlan;
      const sw = opt('switch', v.uuid);
      if (sw !== undefined) d.switch = sw;
      const peer = opt('peer', v.uuid);
      if (peer !== undefined) d.peer = peer;
      return d;
    }
    case 'vmnic':
    case 'vpci': {
      const queues = opt('queues', v.queues);
      return { type, ...common, ...(queues !== undefined ? { queues } : {}) };
    }
    case 'ethlink': {
      const d: Desired = { type, ...base, ...(mtu !== undefined ? { mtu } : {}) };
      const ifname = opt('ifname', v.ifname);
      if (ifname !== undefined) d.ifname = ifname;
      const vlan = opt('vlan', v.vlan);
      if (vlan !== undefined) d.vlan = vlan;
      return d;
    }
    case 'vpclink': {
      const d: Desired = { type, ...base };
      const address = opt('local', v.address);
      const port = opt('port', v.udpPort);
      if (address !== undefined) d.local = { address, port: port === undefined || port === 0 ? VXLAN_PORT : port };
      else if (port !== undefined) throw new ValidationError('--local', 'a local address with --port', undefined);
      return d;
    }
  }
}
