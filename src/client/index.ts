/**
 * The ordergate / Bitget client: `new BitgetClient({baseUrl, apiKey, secretKey, passphrase})`.
 * See the README section "Client and mass cancellation".
 */
export { BitgetClient, type ClientOptions } from './client.js';
export type { CancelAllOptions, CancelOrdersOptions } from './cancel.js';
export { ACCOUNT_SETTINGS, ENDPOINTS, GONE_CODES, dialectOf, type EndpointSpec, type Dialect, type DialectEndpoints } from './endpoints.js';
export {
  AUTH_CODES,
  BitgetApiError,
  BitgetNetworkError,
  BitgetRateLimitError,
  ClientUsageError,
  ORDER_UNKNOWN_CODES,
  SYMBOL_UNKNOWN_CODES,
} from './errors.js';
export { Pacer, PacerRegistry, type PacingOptions } from './pacer.js';
export { buildQuery, sign, signedHeaders, type Credentials, type QueryParams } from './signing.js';
export { Transport, type RetryMode, type RetryOptions, type Sent, type TransportOptions } from './transport.js';
export * from './types.js';
