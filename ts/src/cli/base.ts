// base.ts: VpcCommand, the base of every vpcctl command.
//
// Gives every command --socket and --json, a Vpc for the chosen socket,
// and one mapping of failures to messages and exit status:
//   2  bad input (validation, topology file), nothing changed
//   3  vpcd is not running (the message says how to start it)
//   1  anything else (refused by vpcd, conflict with what exists)

import { Command, Flags } from '@oclif/core';

import type { ArgOutput, FlagOutput, Input, ParserOutput } from '@oclif/core/lib/interfaces/parser';

import { Vpc } from '../lib/client';
import { TopologyError, ValidationError, VpcError } from '../lib/errors';
import { ConflictError } from '../apply/plan';
import { StepError } from '../apply/execute';

export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_NO_VPCD = 3;

/** What --json prints for a failure. */
export interface ErrorJson {
  error: {
    kind: string;
    message: string;
    exitCode: number;
    code?: string;
    errno?: number;
    op?: string;
    objectId?: string | null;
    field?: string;
    problems?: readonly string[];
  };
}

export abstract class VpcCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    socket: Flags.string({
      char: 's', helpGroup: 'GLOBAL', env: 'VPC_SOCKET',
      description: "vpcd's control socket (default $VPC_SOCKET, else /var/run/vpcd.sock)",
    }),
  };

  private client?: Vpc;
  private socketPath?: string;

  /** parse(), remembering --socket for vpc(). */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(
    options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    // oclif copies the options with a spread, which drops static members a
    // command class inherits (args of the shared verbs): pass them explicitly.
    const o = (options ?? this.ctor) as Input<F, B, A> & { enableJsonFlag?: boolean };
    const plain = {
      args: o.args, flags: o.flags, baseFlags: o.baseFlags, enableJsonFlag: o.enableJsonFlag, strict: o.strict,
    } as Input<F, B, A>;
    const out = await super.parse(plain, argv);
    const s = (out.flags as Record<string, unknown>)['socket'];
    if (typeof s === 'string' && s !== '') this.socketPath = s;
    return out;
  }

  /** The library client for the socket chosen on the command line (after parse()). */
  protected async vpc(): Promise<Vpc> {
    if (this.client === undefined) this.client = new Vpc(this.socketPath);
    return this.client;
  }

  /** Log a line unless --json (progress and human output). */
  protected say(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  private describeFailure(err: Error): ErrorJson['error'] {
    const cause = err instanceof StepError ? err.cause : err;
    if (cause instanceof VpcError) {
      const notRunning = cause.vpcdNotRunning;
      const msg = err instanceof StepError ? err.message : cause.message;
      return {
        kind: notRunning ? 'VpcdNotRunning' : 'VpcError', message: msg,
        exitCode: notRunning ? EXIT_NO_VPCD : EXIT_FAILURE, code: cause.code, errno: cause.errno,
        op: cause.op, objectId: cause.objectId,
      };
    }
    if (cause instanceof ValidationError) {
      return { kind: 'ValidationError', message: `${cause.message} (nothing was changed)`, exitCode: EXIT_BAD_INPUT, field: cause.field };
    }
    if (cause instanceof ConflictError) {
      return { kind: 'ConflictError', message: cause.message, exitCode: EXIT_FAILURE, objectId: cause.id, problems: cause.problems };
    }
    if (cause instanceof TopologyError) {
      return { kind: 'TopologyError', message: cause.message, exitCode: EXIT_BAD_INPUT, problems: cause.problems };
    }
    return { kind: err.name, message: err.message, exitCode: EXIT_FAILURE };
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own parse errors and exits keep their behaviour.
    if (err.oclif !== undefined || !(err instanceof VpcError || err instanceof ValidationError ||
        err instanceof TopologyError || err instanceof StepError)) {
      if (err.oclif === undefined && !(err as { code?: string }).code?.startsWith('EEXIT')) {
        // a parse error of the command line is bad input too
      }
      return super.catch(err);
    }
    const f = this.describeFailure(err);
    process.exitCode = f.exitCode;
    if (this.jsonEnabled()) {
      this.logJson({ error: f } satisfies ErrorJson);
      return undefined;
    }
    this.logToStderr(`vpcctl: ${f.message}`);
    return undefined;
  }
}
