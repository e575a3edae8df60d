// index.ts: the public surface of the vpc TypeScript library.

export { Vpc, isNotFound } from './client';
export type { AnyObject, Backend, ObjectClasses, OpenOptions } from './client';
export { Ethlink } from './ethlink';
export { TopologyError, ValidationError, VpcError, errnoName } from './errors';
export type { VpcErrorJson } from './errors';
export * as limits from './limits';
export type { ObjectType, SwitchMode } from './limits';
export { Mgmt } from './mgmt';
export type { DumpRecord } from './mgmt';
export { native } from './native';
export { Nic, Vmnic, Vpci } from './nic';
export { CountedObject, VpcObject, nonzeroDrops } from './object';
export type { Rights, Stats } from './object';
export { Port } from './port';
export { Switch } from './switch';
export type { ArpEntry, MacEntry } from './switch';
export * as validate from './validate';
export { Vpclink } from './vpclink';
export type { FwdEntry, FwdListEntry, LocalAddress } from './vpclink';
