/**
 * ordergate's cancel-on-disconnect on the private WebSocket (issue 13; NOT a Bitget feature:
 * designed after Deribit's `private/enable_cancel_on_disconnect` `scope` and Bybit DCP's
 * `timeWindow`, research-venue.md §2.2; README "Kill switches").
 *
 * In (after login, private paths only):
 *   `{"op":"cancel-on-disconnect","args":[{"scope":"connection"|"account","window":"10"}]}` arms it:
 *     `window` seconds 0..300 (default 10, Bybit's), `scope` default `connection`;
 *   `{"op":"cancel-on-disconnect","args":[{"enable":false}]}` disables it (and the UID's account scope);
 *   `{"op":"logout"}` — a clean logout: answered, then the connection is closed; never fires.
 * Out: `{"event":"cancel-on-disconnect","arg":{"enable":true,"scope":…,"window":"10"},"code":0,"msg":""}`,
 *   `{"event":"logout","code":0,"msg":""}`; errors 30004 (not logged in), 30016 (bad arg),
 *   30003 (public path).
 *
 * When the UID's last armed connection on this instance closes without a logout (TCP cut, idle
 * close for missing pings, forced disconnect, server shutdown), every open order of the UID is
 * cancelled after the window (reason `cancel_on_disconnect`) unless a connection of the UID
 * arms it again within the window. `account` scope: every later private login of the UID starts
 * armed (so a reconnect + login alone re-arms).
 */
import { WsErrors, wsFail, type WsFailure } from './codes.js';

/** What the WebSocket server asks of the kill switches (src/switches/service.ts implements it). */
export interface CodHooks {
  codArm(uid: string, conn: object, scope: 'connection' | 'account', windowMs: number): Promise<void>;
  codDisable(uid: string, conn: object): Promise<void>;
  /** A private login: true when the UID's account scope armed the connection. */
  codLogin(uid: string, conn: object): Promise<boolean>;
  codClosed(uid: string, conn: object, clean: boolean): Promise<void>;
}

/** A parsed cancel-on-disconnect arg. */
export type CodArg = { enable: false } | { enable: true; scope: 'connection' | 'account'; windowMs: number };

const WINDOW_MAX_S = 300;
const WINDOW_DEFAULT_S = 10;

/** Parses the op's single arg. @returns the arg, or a 30016 failure naming the bad field. */
export function parseCodArg(args: unknown[]): CodArg | WsFailure {
  const a = args[0];
  if (args.length !== 1 || typeof a !== 'object' || a === null || Array.isArray(a)) return wsFail(WsErrors.PARAM_ERROR, 'Param error: one arg object expected');
  const o = a as Record<string, unknown>;
  if (o.enable !== undefined && o.enable !== true && o.enable !== false && o.enable !== 'true' && o.enable !== 'false') {
    return wsFail(WsErrors.PARAM_ERROR, 'Param error: enable');
  }
  if (o.enable === false || o.enable === 'false') return { enable: false };
  const scope = o.scope ?? 'connection';
  if (scope !== 'connection' && scope !== 'account') return wsFail(WsErrors.PARAM_ERROR, 'Param error: scope must be connection or account');
  const w = o.window ?? String(WINDOW_DEFAULT_S);
  const ws = typeof w === 'number' ? String(w) : w;
  if (typeof ws !== 'string' || !/^\d{1,3}$/.test(ws) || Number(ws) > WINDOW_MAX_S) return wsFail(WsErrors.PARAM_ERROR, `Param error: window must be 0..${WINDOW_MAX_S} seconds`);
  return { enable: true, scope, windowMs: Number(ws) * 1000 };
}

/** The op's answer. */
export function codAckFrame(arg: CodArg): string {
  const out = arg.enable ? { enable: true, scope: arg.scope, window: String(arg.windowMs / 1000) } : { enable: false };
  return JSON.stringify({ event: 'cancel-on-disconnect', arg: out, code: 0, msg: '' });
}

/** The logout answer. */
export const LOGOUT_OK = JSON.stringify({ event: 'logout', code: 0, msg: '' });
