/**
 * The typed way into the core for the CLI and the tests: a call named and
 * typed by the contract (preload/contract.ts), checked and run exactly as the
 * page's calls are, that resolves to the result or throws the refusal as a
 * UserError (its code, English message and params as the page would get them).
 */
import type { CallInput, CallName, CallOutcome, CallResult } from '../../preload/contract';
import { UserError } from './errors';
import type { Trusted } from './handlers/types';

export type Invoke = <N extends CallName>(name: N, input: CallInput<N>, trusted?: Trusted) => Promise<CallResult<N>>;

/** Wraps the untyped `call` (the process bridge's) into the typed `invoke`. */
export function typedCall(call: (name: string, input: unknown, trusted?: Trusted) => Promise<CallOutcome<unknown>>): Invoke {
  return async <N extends CallName>(name: N, input: CallInput<N>, trusted?: Trusted): Promise<CallResult<N>> => {
    const outcome = await call(name, input, trusted);
    if (!outcome.ok) throw new UserError(outcome.error.code, outcome.error.message, outcome.error.params);
    return outcome.value as CallResult<N>;
  };
}
