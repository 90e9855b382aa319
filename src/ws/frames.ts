/**
 * The connection protocol's frames (research-venue.md §1.2-1.4, reference §6.1): parsing what a
 * client sends and building what ordergate answers. Pure; no socket here.
 *
 * In:  text `ping`; `{"op":"login"|"subscribe"|"unsubscribe","args":[…], …}`. Unknown top-level
 *      keys (ccxt adds `url` to login and `uta:true` to UTA subscribes) are ignored.
 * Out: text `pong`; `{"event":"login","code":0,"msg":""}` (NUMERIC 0: the bitget-api SDK only
 *      treats a numeric 0 as authenticated); `{"event":"subscribe"|"unsubscribe","arg":{…}}`
 *      echoing the request's arg; `{"event":"error",["arg":{…},]"code":<number>,"msg":"…"}`;
 *      pushes `{"action":"snapshot","arg":{…},"data":[…],"ts":<ms number>}`.
 */
import { WsErrors, wsFail, type WsFailure } from './codes.js';

/** A parsed client frame. `frame` is the whole JSON object (an op may read top-level keys). */
export type ClientFrame =
  | { kind: 'ping' }
  | { kind: 'op'; op: string; args: unknown[]; frame: Readonly<Record<string, unknown>> }
  | { kind: 'bad'; failure: WsFailure };

/** Largest JSON size of one subscribe's `args`, in bytes (Bitget: 4096). */
export const MAX_ARGS_BYTES = 4096;

/**
 * Parses one text frame; `isOp(op)` says which ops the connection serves (connection.ts's op
 * table).
 * Errors: malformed JSON, a non-object or missing/non-array `args` -> 30016 Param error;
 * an op `isOp` refuses -> 30003 `INVALID op:<op>`.
 */
export function parseFrame(text: string, isOp: (op: string) => boolean): ClientFrame {
  if (text === 'ping') return { kind: 'ping' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'bad', failure: wsFail(WsErrors.PARAM_ERROR) };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { kind: 'bad', failure: wsFail(WsErrors.PARAM_ERROR) };
  const o = v as { op?: unknown; args?: unknown };
  if (typeof o.op !== 'string' || !isOp(o.op)) {
    return { kind: 'bad', failure: wsFail(WsErrors.INVALID_OP, `INVALID op:${typeof o.op === 'string' ? o.op : String(o.op)}`) };
  }
  // `logout` takes no args (ordergate's op, src/ws/cod.ts); every other op needs a non-empty list
  if (o.op === 'logout' && o.args === undefined) return { kind: 'op', op: o.op, args: [], frame: v as Record<string, unknown> };
  if (!Array.isArray(o.args) || o.args.length === 0) return { kind: 'bad', failure: wsFail(WsErrors.PARAM_ERROR) };
  return { kind: 'op', op: o.op, args: o.args, frame: v as Record<string, unknown> };
}

/** `{"event":"login","code":0,"msg":""}`. */
export const LOGIN_OK = JSON.stringify({ event: 'login', code: 0, msg: '' });

/** `{"event":"error",["arg":…,]"code":<n>,"msg":…}`. */
export function errorFrame(f: WsFailure, arg?: unknown): string {
  return JSON.stringify(arg === undefined ? { event: 'error', code: f.code, msg: f.msg } : { event: 'error', arg, code: f.code, msg: f.msg });
}

/** Subscribe / unsubscribe ack echoing the arg as the client sent it. */
export function ackFrame(event: 'subscribe' | 'unsubscribe', arg: unknown): string {
  return JSON.stringify({ event, arg });
}

/** A channel push: `action` snapshot, the subscription's arg, data items, `ts` in ms. */
export function pushFrame(arg: Record<string, string>, data: unknown[], ts: number): string {
  return JSON.stringify({ action: 'snapshot', arg, data, ts });
}

/** {@link pushFrame} with `data` already JSON (the same text as pushFrame's for that data). */
export function pushFrameJson(arg: Record<string, string>, dataJson: string, ts: number): string {
  return `{"action":"snapshot","arg":${JSON.stringify(arg)},"data":${dataJson},"ts":${JSON.stringify(ts)}}`;
}
