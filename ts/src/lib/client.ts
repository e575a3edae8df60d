// client.ts: Vpc, the entry point: opens and creates objects.
//
// libvpc finds vpcd through $VPC_SOCKET (default /var/run/vpcd.sock);
// a Vpc made with a socket path sets it, on the main thread, before
// every call that connects (one connection is one descriptor).

import { Ethlink } from './ethlink';
import { VpcError } from './errors';
import { F_CREATE, F_OPEN, F_READ, F_WRITE, ObjectType, OBJECT_TYPES, TYPE_NUMBER } from './limits';
import { Mgmt } from './mgmt';
import { native } from './native';
import { Vmnic, Vpci } from './nic';
import { nativeCall, VpcObject } from './object';
import { Port } from './port';
import { Switch } from './switch';
import * as v from './validate';
import { Vpclink } from './vpclink';

/** The class of each object type. */
export interface ObjectClasses {
  switch: Switch;
  port: Port;
  vpclink: Vpclink;
  vmnic: Vmnic;
  ethlink: Ethlink;
  vpci: Vpci;
}
export type AnyObject = ObjectClasses[ObjectType];

const ctors: { [K in ObjectType]: new (id: string, vd: number) => ObjectClasses[K] } = {
  switch: Switch, port: Port, vpclink: Vpclink, vmnic: Vmnic, ethlink: Ethlink, vpci: Vpci,
};

export interface OpenOptions {
  /** Ask for write rights too (default true). */
  write?: boolean;
}

export type Backend = 'none' | 'kernel' | 'vpcd';

const NIL = new Uint8Array(16);

export class Vpc {
  /** 'socket': vpcd's socket path; default $VPC_SOCKET, else /var/run/vpcd.sock. */
  constructor(readonly socket?: string) {}

  private select(): void {
    if (this.socket !== undefined) process.env['VPC_SOCKET'] = this.socket;
  }

  /** The socket path libvpc will use. */
  socketPath(): string {
    this.select();
    return native().socketPath();
  }

  async backend(): Promise<Backend> {
    this.select();
    const b = await nativeCall(null, null, (n) => n.backend());
    const c = native().constants;
    return b === c.LIBVPC_BACKEND_KERNEL ? 'kernel' : b === c.LIBVPC_BACKEND_VPCD ? 'vpcd' : 'none';
  }

  private async openRaw<K extends ObjectType>(type: K, id: string, flags: number): Promise<ObjectClasses[K]> {
    const t = v.objectType(type);
    const canonical = v.uuid(id);
    this.select();
    const bytes = v.uuidBytes(canonical);
    let vd: number;
    try {
      vd = await nativeCall(canonical, t, (n) => n.open(bytes, TYPE_NUMBER[t], flags));
    } catch (e) {
      throw await this.openFailure(e, t, canonical);
    }
    return new ctors[type](canonical, vd);
  }

  /**
   * The error of a failed open of 'id' as a 't', saying what is wrong in
   * words ("switch 6ba7...: no such object", "6ba7... is a switch, not a
   * port") instead of the bare errno; code, errno and op stay as they were.
   */
  private async openFailure(e: unknown, t: ObjectType, id: string): Promise<unknown> {
    if (!(e instanceof VpcError) || e.op !== '' || e.vpcdNotRunning) return e;
    let message: string | undefined;
    if (e.code === 'ENOENT') {
      message = `${t} ${id}: no such object`;
    } else if (e.code === 'EPROTOTYPE') {
      const actual = await this.typeOf(id).catch(() => null);
      message = actual !== null ? `${id} is a ${actual}, not a ${t}` : `${id} is not a ${t}`;
    } else if (e.code === 'EEXIST') {
      message = `${t} ${id}: an object with this id exists already`;
    }
    return message === undefined ? e : new VpcError(message, e.errno, e.op, e.call, e.objectId, e.objectType);
  }

  /** Open existing object 'id' of 'type'; ENOENT if absent, EPROTOTYPE if of another type. */
  open<K extends ObjectType>(type: K, id: string, opts: OpenOptions = {}): Promise<ObjectClasses[K]> {
    return this.openRaw(type, id, F_OPEN | F_READ | (opts.write === false ? 0 : F_WRITE));
  }

  /** Create object 'id' of 'type' (read and write); EEXIST if present. Not committed yet. */
  create<K extends ObjectType>(type: K, id: string): Promise<ObjectClasses[K]> {
    return this.openRaw(type, id, F_CREATE | F_READ | F_WRITE);
  }

  /** Open the management object (read only). */
  async mgmt(): Promise<Mgmt> {
    this.select();
    const vd = await nativeCall(null, 'mgmt', (n) => n.open(NIL, TYPE_NUMBER.mgmt, F_OPEN | F_READ));
    return new Mgmt('00000000-0000-0000-0000-000000000000', vd);
  }

  /** Run 'fn' with object 'id' open, closing it afterwards. */
  async with<K extends ObjectType, T>(type: K, id: string, opts: OpenOptions,
    fn: (o: ObjectClasses[K]) => Promise<T>): Promise<T> {
    const o = await this.open(type, id, opts);
    try {
      return await fn(o);
    } finally {
      await o.close();
    }
  }

  /** Every object id by type. */
  async inventory(): Promise<Record<ObjectType, string[]>> {
    const m = await this.mgmt();
    try {
      const out = {} as Record<ObjectType, string[]>;
      for (const t of OBJECT_TYPES) out[t] = await m.list(t);
      return out;
    } finally {
      await m.close();
    }
  }

  /** The type of object 'id', or null if no object has that id. */
  async typeOf(id: string): Promise<ObjectType | null> {
    const canonical = v.uuid(id);
    const inv = await this.inventory();
    for (const t of OBJECT_TYPES) if (inv[t].includes(canonical)) return t;
    return null;
  }
}

/** True when 'e' says the object does not exist. */
export function isNotFound(e: unknown): boolean {
  return e instanceof VpcError && e.code === 'ENOENT' && e.op === '';
}

export type { VpcObject };
