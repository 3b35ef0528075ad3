// JSON-RPC errors with the codes a validator answers.

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** What a validator answers when preflight simulation of `sendTransaction` fails. */
export const PREFLIGHT_FAILURE = -32002;
/** What a validator answers for a slot with no block. */
export const SLOT_SKIPPED = -32007;

/** `-32602` with `message`: the one way a handler refuses its params. */
export function invalidParams(message: string): RpcError {
  return new RpcError(INVALID_PARAMS, message);
}
