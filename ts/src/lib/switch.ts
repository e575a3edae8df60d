// switch.ts: Switch (vpcsw), a per-tenant switch.

import { FWD_F_LEARNED, MODE_NUMBER, SwitchMode } from './limits';
import { CountedObject } from './object';
import * as v from './validate';

/** An ARP proxy entry: who has 'ip' in segment 'vni' -> 'mac'. */
export interface ArpEntry { vni: number; ip: string; mac: string; }

/** A switch table entry. */
export interface MacEntry { vni: number; mac: string; port: string; learned: boolean; }

export class Switch extends CountedObject {
  readonly type = 'switch';

  /** VPC_OP_SW_PORT_ADD: put port 'port' (a UUID) in this switch. */
  portAdd(port: string): Promise<void> {
    const p = v.uuidBytes(v.uuid(port, 'port'));
    return this.call((n, vd) => n.switchPortAdd(vd, p));
  }
  portDel(port: string): Promise<void> {
    const p = v.uuidBytes(v.uuid(port, 'port'));
    return this.call((n, vd) => n.switchPortDel(vd, p));
  }
  async ports(): Promise<string[]> {
    return (await this.call((n, vd) => n.switchPortList(vd))).map(v.uuidText).sort();
  }
  async mode(): Promise<SwitchMode> {
    const m = await this.call((n, vd) => n.switchModeGet(vd));
    return m === MODE_NUMBER.learning ? 'learning' : 'programmed';
  }
  setMode(mode: SwitchMode): Promise<void> {
    const m = MODE_NUMBER[v.switchMode(mode)];
    return this.call((n, vd) => n.switchModeSet(vd, m));
  }
  /**
   * VPC_OP_SW_FLOOD_SET: replace the flood list of 'vni' (empty clears it);
   * at most FLOOD_MAX distinct addresses.
   */
  floodSet(vni: number, remotes: readonly string[]): Promise<void> {
    const x = v.vni(vni);
    const list = v.floodList(remotes, 'remotes');
    return this.call((n, vd) => n.switchFloodSet(vd, x, list));
  }
  async flood(vni: number): Promise<string[]> {
    const x = v.vni(vni);
    const list = await this.call((n, vd) => n.switchFloodGet(vd, x));
    return list.filter((a): a is string => a !== null);
  }
  arpAdd(e: ArpEntry): Promise<void> {
    const entry = { vni: v.vni(e.vni), ip: v.address(e.ip, 'ip', 4), mac: v.mac(e.mac) };
    return this.call((n, vd) => n.switchArpAdd(vd, entry));
  }
  /** VPC_OP_SW_ARP_DEL: remove the entry for ('vni', 'ip'); ENOENT if none. */
  arpDel(e: { vni: number; ip: string }): Promise<void> {
    const entry = { vni: v.vni(e.vni), ip: v.address(e.ip, 'ip') };
    return this.call((n, vd) => n.switchArpDel(vd, entry));
  }
  async arpList(): Promise<ArpEntry[]> {
    const list = await this.call((n, vd) => n.switchArpList(vd));
    return list.map((e) => ({ vni: e.vni, ip: e.ip ?? '', mac: e.mac }));
  }
  async macTable(): Promise<MacEntry[]> {
    const list = await this.call((n, vd) => n.switchMacList(vd));
    return list.map((e) => ({ vni: e.vni, mac: e.mac, port: v.uuidText(e.port), learned: (e.flags & FWD_F_LEARNED) !== 0 }));
  }
}
