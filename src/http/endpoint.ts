/**
 * How an endpoint is declared: path, schema, limits, and its mapping to the engine. Routes
 * files are lists of these; `server.ts` registers them with auth, rate limit, validation and
 * the envelope applied uniformly.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { AccountServices } from '../accounts/manage.js';
import type { ErrorDef } from '../domain/errors.js';
import type { Engine } from '../engine/engine.js';
import type { SwitchService } from '../switches/service.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { AuthRequirement } from './auth.js';
import type { KeyRing, LiveKey } from '../accounts/keyring.js';

/** Shared services handed to every endpoint. */
export interface AppServices {
  engine: Engine;
  catalogue: Catalogue;
  keyring: KeyRing;
  /** Key management for the admin endpoints (src/http/routes/admin.ts). */
  accounts?: AccountServices;
  /** Kill switches (src/switches/): the countdown endpoints, the extensions, /admin/switches. */
  switches?: SwitchService;
}



/** What a handler receives. `key` is set on private endpoints. */
export interface EndpointContext<B, Q> {
  body: B;
  query: Q;
  key: LiveKey;
  uid: string;
  ip: string;
  services: AppServices;
  /** Request time in ms. */
  now: number;
}

/** An endpoint declaration. */
export interface Endpoint<B extends TSchema = TSchema, Q extends TSchema = TSchema> {
  method: 'GET' | 'POST';
  path: string;
  /** Requests per second: per UID on private endpoints, per IP on public ones. */
  rateLimit: number;
  /** Bitget's API-key auth; absent for public endpoints and admin ones. */
  auth?: AuthRequirement;
  /**
   * The `admin` auth kind, for ordergate's own `/admin/*` endpoints (then `auth` is absent):
   * the `x-admin-token` header must carry ORDERGATE_ADMIN_TOKEN, checked in constant time in
   * Fastify's onRequest hook, before the body is read; otherwise 401 / 40014.
   */
  admin?: true;
  body?: B;
  query?: Q;
  /** Error for a list longer than the endpoint's batch limit (a `maxItems` violation). */
  tooMany?: ErrorDef;
  /**
   * Optional schema of the envelope's `data` on success. When given, the 200 reply is
   * serialised by a compiled serializer (fast-json-stringify: about twice as fast as
   * JSON.stringify for a 50-item batch result) instead of JSON.stringify. It must describe
   * `data` exactly: properties it does not list are dropped from the reply. Error replies are
   * not affected.
   */
  response?: TSchema;
  /** Maps the validated request to the engine; returns the envelope's `data`. */
  handle(ctx: EndpointContext<Static<B>, Static<Q>>): Promise<unknown> | unknown;
}

/** Declares an endpoint (identity; gives type inference from the schemas). */
export function endpoint<B extends TSchema = TSchema, Q extends TSchema = TSchema>(e: Endpoint<B, Q>): Endpoint {
  return e as unknown as Endpoint;
}
