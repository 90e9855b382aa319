// A small trading bot for test/switches/bot.test.ts: the unmodified bitget-api SDK
// (RestClientV3.countdownCancelAll) arms Bitget's dead-man's switch with 5 s, places orders in
// two categories, prints them, then keeps re-arming every 2 s (Bitget: "call every 3-5 s")
// until it is killed. Usage: node bot.mjs BASE_URL API_KEY SECRET PASSPHRASE
import { RestClientV3 } from 'bitget-api';

const [baseUrl, apiKey, apiSecret, apiPass] = process.argv.slice(2);
const client = new RestClientV3({ apiKey, apiSecret, apiPass, baseUrl });
const arm = async () => {
  const r = await client.countdownCancelAll({ countdown: '5' });
  if (r.data !== 'success') throw new Error(`countdown: ${JSON.stringify(r)}`);
  console.log(JSON.stringify({ armed: Date.now() }));
};
await arm();
const ids = [];
for (const category of ['SPOT', 'SPOT', 'USDT-FUTURES']) {
  const r = await client.submitNewOrder({ category, symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' });
  ids.push(r.data.orderId);
}
// ordergate's extensions through the SDK's generic signed helpers (README "Kill switches")
const state = await client.getPrivate('/api/ordergate/v1/switches');
console.log(JSON.stringify({ ready: true, ids, switches: state.data }));
setInterval(() => arm().catch((e) => console.error(String(e))), 2_000);
