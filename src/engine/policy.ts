/**
 * Where the dialects differ in which Bitget code they answer for the same rule. One table,
 * consulted by the engine; the rules themselves are the same for every dialect.
 * Source: bitget-reference.md §3.2-3.3; the choices are listed in the README.
 */
import { Errors, type ErrorDef } from '../domain/errors.js';

/**
 * The Bitget API dialect a request came through: v2 spot, v2 margin (crossed and isolated),
 * v2 futures (`mix`) or v3 unified account (`uta`). Its wire shapes live in `src/dialects/<dialect>/`.
 */
export type Dialect = 'spot' | 'margin' | 'mix' | 'uta';

/** Dialect-specific codes. */
export interface DialectPolicy {
  /** Unknown, foreign or mismatched order. */
  notFound: ErrorDef;
  /** The order exists for the caller but is filled or cancelled already. */
  finished: ErrorDef;
  /** Symbol not in the category. */
  symbolInvalid: ErrorDef;
  /** clientOid already used by one of the UID's open orders. */
  clientOidDuplicate: ErrorDef;
  /** Accepted clientOid characters and length. */
  clientOidPattern: RegExp;
  /** Error when the clientOid does not match the pattern. */
  clientOidInvalid: ErrorDef;
}

const V2_CLIENT_OID = /^[\x21-\x7e]{1,64}$/;

/** The policy of each dialect. */
export const POLICIES: Record<Dialect, DialectPolicy> = {
  spot: {
    notFound: Errors.SPOT_ORDER_NOT_FOUND,
    finished: Errors.SPOT_ORDER_NOT_FOUND,
    symbolInvalid: Errors.SPOT_SYMBOL_INVALID,
    clientOidDuplicate: Errors.CLIENT_OID_DUPLICATE_SPOT,
    clientOidPattern: V2_CLIENT_OID,
    clientOidInvalid: Errors.CLIENT_OID_TOO_LONG,
  },
  margin: {
    notFound: Errors.SPOT_ORDER_NOT_FOUND,
    finished: Errors.SPOT_ORDER_NOT_FOUND,
    symbolInvalid: Errors.SPOT_SYMBOL_INVALID,
    clientOidDuplicate: Errors.CLIENT_OID_DUPLICATE_SPOT,
    clientOidPattern: V2_CLIENT_OID,
    clientOidInvalid: Errors.CLIENT_OID_TOO_LONG,
  },
  mix: {
    notFound: Errors.MIX_ORDER_NOT_FOUND,
    finished: Errors.MIX_ORDER_FINISHED,
    symbolInvalid: Errors.MIX_SYMBOL_INVALID,
    clientOidDuplicate: Errors.CLIENT_OID_DUPLICATE_MIX,
    clientOidPattern: V2_CLIENT_OID,
    clientOidInvalid: Errors.CLIENT_OID_TOO_LONG,
  },
  uta: {
    notFound: Errors.UTA_ORDER_NOT_FOUND,
    finished: Errors.UTA_ORDER_FINISHED,
    symbolInvalid: Errors.UTA_SYMBOL_NOT_EXIST,
    clientOidDuplicate: Errors.CLIENT_OID_DUPLICATE_UTA,
    // DOC:uta/trade/Place-Order.md notes: ^[\.A-Z\:/a-z0-9_-]{1,32}$
    clientOidPattern: /^[.A-Z:/a-z0-9_-]{1,32}$/,
    clientOidInvalid: Errors.UTA_CLIENT_OID_INVALID,
  },
};
