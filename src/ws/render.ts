/**
 * Renders an order for one served channel's dialect (see channels.ts `Dialect`).
 */
import type { Order } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { Dialect } from './channels.js';
import { renderMarginPush } from '../dialects/margin/push.js';
import { renderMixPush } from '../dialects/mix/push.js';
import { renderSpotPush } from '../dialects/spot/push.js';
import { renderUtaPush } from '../dialects/uta/push.js';

/** One push `data` item for `o` in `dialect`'s field names, numbers as strings. */
export function renderOrderPush(dialect: Dialect, o: Order, catalogue: Catalogue): object {
  switch (dialect) {
    case 'spot':
      return renderSpotPush(o, catalogue);
    case 'mix':
      return renderMixPush(o);
    case 'margin':
      return renderMarginPush(o);
    case 'uta':
      return renderUtaPush(o);
  }
}
