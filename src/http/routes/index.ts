/**
 * Every endpoint ordergate serves, by dialect. Adding a dialect = adding its list here.
 */
import type { Endpoint } from '../endpoint.js';
import { marginEndpoints } from './margin.js';
import { mixEndpoints } from './mix.js';
import { ordergateEndpoints } from './ordergate.js';
import { publicEndpoints } from './public.js';
import { spotEndpoints } from './spot.js';
import { utaEndpoints } from './uta.js';

/** All declared endpoints. */
export const allEndpoints: readonly Endpoint[] = [...mixEndpoints, ...publicEndpoints, ...utaEndpoints, ...spotEndpoints, ...marginEndpoints, ...ordergateEndpoints];
