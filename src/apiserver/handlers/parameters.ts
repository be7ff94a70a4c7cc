/**
 * Query parameters read as upstream's parameter codec reads them into ListOptions,
 * DeleteOptions and PatchOptions (k8s.io/apimachinery/pkg/runtime/conversion.go and the
 * generated Convert_url_Values_To_v1_* in apis/meta/v1):
 *
 *   Convert_Slice_string_To_bool          first value "0" or case-insensitively "false" → false,
 *                                         any other value (also "" as in `?watch`) → true, absent → false
 *   Convert_Slice_string_To_Pointer_bool  the same, absent → unset
 *   Convert_Slice_string_To_int64         strconv.ParseInt(v, 10, 64), absent → 0
 *   Convert_Slice_string_To_Pointer_int64 the same, absent → unset
 *
 * A value that does not parse is a 400 BadRequest whose message is Go's strconv error, as the
 * handlers wrap DecodeParameters' error (`errors.NewBadRequest(err.Error())`), e.g.
 * `strconv.ParseInt: parsing "abc": invalid syntax`.
 */
import { newBadRequest } from '../../machinery/errors.js';
import { goQuote } from '../../machinery/validation/field.js';

/** Convert_Slice_string_To_bool: absent is false. */
export function boolParam(query: URLSearchParams, name: string): boolean {
  return optionalBoolParam(query, name) ?? false;
}

/** Convert_Slice_string_To_Pointer_bool: absent is undefined. */
export function optionalBoolParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  return !(value === '0' || equalFoldFalse(value));
}

/** Convert_Slice_string_To_int64: absent is 0; a value that does not parse is 400 BadRequest. */
export function int64Param(query: URLSearchParams, name: string): number {
  return optionalInt64Param(query, name) ?? 0;
}

/** Convert_Slice_string_To_Pointer_int64: absent is undefined; a value that does not parse is 400 BadRequest. */
export function optionalInt64Param(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const parsed = strconvParseInt(value, 64);
  if ('error' in parsed) throw newBadRequest(parsed.error);
  return Number(parsed.value);
}

/** The numbers and switches of metav1.ListOptions, decoded in its field order (timeoutSeconds before limit). */
export interface ListParameters {
  watch: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  limit: number;
  sendInitialEvents?: boolean;
}

/** Decodes ListOptions' non-string parameters, as list, watch and deletecollection do before anything else. */
export function listParameters(query: URLSearchParams): ListParameters {
  const watch = boolParam(query, 'watch');
  const allowWatchBookmarks = boolParam(query, 'allowWatchBookmarks');
  const timeoutSeconds = optionalInt64Param(query, 'timeoutSeconds');
  const limit = int64Param(query, 'limit');
  const sendInitialEvents = optionalBoolParam(query, 'sendInitialEvents');
  return {
    watch,
    allowWatchBookmarks,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    limit,
    ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
  };
}

/**
 * Go's strconv.ParseInt(text, 10, bitSize), with its error text: a sign, then ASCII digits;
 * "invalid syntax" at the first non-digit, "value out of range" once the digits pass uint64
 * (even if a bad character follows) or the result passes the signed range.
 */
export function strconvParseInt(text: string, bitSize: 32 | 64): { value: bigint } | { error: string } {
  const syntax = { error: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  const range = { error: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  const negative = text.startsWith('-');
  const digits = text.startsWith('+') || negative ? text.slice(1) : text;
  if (digits === '') return syntax;
  let n = 0n;
  for (const ch of digits) {
    if (ch < '0' || ch > '9') return syntax;
    n = n * 10n + BigInt(ch.charCodeAt(0) - 48);
    if (n > MAX_UINT64) return range;
  }
  const cutoff = 1n << BigInt(bitSize - 1);
  if (negative ? n > cutoff : n >= cutoff) return range;
  return { value: negative ? -n : n };
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** strings.EqualFold(value, "false"): Unicode simple folding adds only ſ (U+017F) to the ASCII letters. */
function equalFoldFalse(value: string): boolean {
  return value.length === 5 && value.replace(/\u017f/g, 's').toLowerCase() === 'false';
}
