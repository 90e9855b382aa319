import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitgetError } from '../../src/domain/errors.js';
import { accountForOrder, accountId, accountName, parseAccountId, parseAccountName } from '../../src/ledger/accounts.js';
import {
  applyEntries,
  balanceOf,
  depositEntries,
  entry,
  parseStartBalance,
  transferEntries,
  withdrawEntries,
  type Balance,
} from '../../src/ledger/balances.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BitgetError, String(e));
    return e.code;
  }
  assert.fail('did not throw');
};

test('account names of the CLI/admin map to canonical ids and back', () => {
  assert.equal(accountId(parseAccountName(undefined, 'USDT')), 'spot');
  assert.equal(accountId(parseAccountName('SPOT', 'USDT')), 'spot');
  assert.equal(accountId(parseAccountName('usdt-futures', 'USDT')), 'futures:USDT-FUTURES:USDT');
  assert.equal(accountId(parseAccountName('usdc-futures', 'USDC')), 'futures:USDC-FUTURES:USDC');
  assert.equal(accountId(parseAccountName('coin-futures', 'BTC')), 'futures:COIN-FUTURES:BTC');
  assert.equal(accountId(parseAccountName('coin-futures', 'ETH')), 'futures:COIN-FUTURES:ETH');
  assert.equal(accountId(parseAccountName('crossed', 'USDT')), 'crossed');
  assert.equal(accountId(parseAccountName('isolated:btcusdt', 'USDT')), 'isolated:BTCUSDT');
  assert.equal(accountId(parseAccountName('unified', 'BTC')), 'unified');
  for (const id of ['spot', 'futures:USDT-FUTURES:USDT', 'futures:COIN-FUTURES:BTC', 'crossed', 'isolated:ETHUSDT', 'unified']) {
    assert.equal(accountId(parseAccountId(id)), id);
  }
  assert.equal(accountName(parseAccountId('futures:COIN-FUTURES:BTC')), 'coin-futures');
  assert.equal(accountName(parseAccountId('isolated:ETHUSDT')), 'isolated:ETHUSDT');
});

test('a bad account name, or a coin the futures account cannot hold, is 40020 Parameter account error', () => {
  assert.equal(code(() => parseAccountName('futures', 'USDT')), '40020');
  assert.equal(code(() => parseAccountName('usdt-futures', 'BTC')), '40020');
  assert.equal(code(() => parseAccountName('usdc-futures', 'USDT')), '40020');
  assert.equal(code(() => parseAccountName('isolated:', 'USDT')), '40020');
  assert.equal(code(() => parseAccountName('isolated:BTC-USDT', 'USDT')), '40020');
  assert.throws(() => parseAccountId('futures:SPOT:USDT'));
});

test('an order trades against its account: unified UIDs always unified', () => {
  const base = { symbol: 'BTCUSDT', marginCoin: null, marginMode: null } as const;
  assert.equal(accountId(accountForOrder({ ...base, accountMode: 'classic', category: 'SPOT' })), 'spot');
  assert.equal(accountId(accountForOrder({ ...base, accountMode: 'classic', category: 'MARGIN', marginMode: 'isolated' })), 'isolated:BTCUSDT');
  assert.equal(accountId(accountForOrder({ ...base, accountMode: 'classic', category: 'MARGIN', marginMode: 'crossed' })), 'crossed');
  assert.equal(
    accountId(accountForOrder({ ...base, accountMode: 'classic', category: 'COIN-FUTURES', symbol: 'BTCUSD', marginCoin: 'BTC' })),
    'futures:COIN-FUTURES:BTC',
  );
  assert.equal(accountId(accountForOrder({ ...base, accountMode: 'unified', category: 'USDT-FUTURES', marginCoin: 'USDT' })), 'unified');
});

test('deposit, transfer, withdraw: exact decimal strings; the input book is never modified', () => {
  const spot = parseAccountName('spot', 'USDT');
  const fut = parseAccountName('usdt-futures', 'USDT');
  const b0 = new Map<string, Balance>();
  const b1 = applyEntries(b0, depositEntries('u1', spot, 'USDT', '1000.12345678'));
  assert.deepEqual(balanceOf(b1, 'u1', 'spot', 'USDT'), { available: '1000.12345678', frozen: '0' });
  assert.equal(b0.size, 0);
  const b2 = applyEntries(b1, transferEntries('u1', spot, fut, 'USDT', '0.1'));
  assert.deepEqual(balanceOf(b2, 'u1', 'spot', 'USDT'), { available: '1000.02345678', frozen: '0' });
  assert.deepEqual(balanceOf(b2, 'u1', 'futures:USDT-FUTURES:USDT', 'USDT'), { available: '0.1', frozen: '0' });
  const b3 = applyEntries(b2, withdrawEntries('u1', spot, 'USDT', '1000.02345678'));
  assert.deepEqual(balanceOf(b3, 'u1', 'spot', 'USDT'), { available: '0', frozen: '0' });
  // beyond available: 40754 balance not enough, and nothing changed
  assert.equal(code(() => applyEntries(b3, transferEntries('u1', fut, spot, 'USDT', '0.10000001'))), '40754');
  assert.equal(code(() => applyEntries(b3, withdrawEntries('u1', spot, 'USDT', '0.00000001'))), '40754');
  assert.deepEqual(balanceOf(b3, 'u1', 'futures:USDT-FUTURES:USDT', 'USDT'), { available: '0.1', frozen: '0' });
});

test('amounts must be positive decimals at the coin scale (8 by default); 40020 otherwise', () => {
  const spot = parseAccountName('spot', 'USDT');
  for (const bad of ['0', '-1', '1e3', '0.000000001', 'abc', '']) assert.equal(code(() => depositEntries('u1', spot, 'USDT', bad)), '40020', bad);
  assert.equal(code(() => transferEntries('u1', spot, spot, 'USDT', '1')), '40020');
  // a per-coin scale narrows it
  assert.equal(code(() => depositEntries('u1', spot, 'USDT', '0.001', { USDT: 2 })), '40020');
  assert.equal(depositEntries('u1', spot, 'USDT', '0.01', { USDT: 2 }).length, 1);
});

test('an entry that would leave available or frozen negative is refused with the account family code', () => {
  const hold = (account: string) => [entry('u1', account, 'USDT', 'order_hold', '-1', '1')];
  assert.equal(code(() => applyEntries(new Map(), hold('spot'))), '43012');
  assert.equal(code(() => applyEntries(new Map(), hold('crossed'))), '43012');
  assert.equal(code(() => applyEntries(new Map(), hold('isolated:BTCUSDT'))), '43012');
  assert.equal(code(() => applyEntries(new Map(), hold('futures:USDT-FUTURES:USDT'))), '40762');
  assert.equal(code(() => applyEntries(new Map(), hold('unified'))), '25202');
  // frozen may not go negative either (a release of more than is held)
  const b = applyEntries(new Map(), [entry('u1', 'spot', 'USDT', 'deposit', '5', '0'), entry('u1', 'spot', 'USDT', 'order_hold', '-2', '2')]);
  assert.deepEqual(balanceOf(b, 'u1', 'spot', 'USDT'), { available: '3', frozen: '2' });
  assert.equal(code(() => applyEntries(b, [entry('u1', 'spot', 'USDT', 'order_release', '2.5', '-2.5')])), '43012');
  // entries apply in order: a later entry may rely on an earlier one of the same list
  const c = applyEntries(b, [entry('u1', 'spot', 'USDT', 'order_release', '2', '-2'), entry('u1', 'spot', 'USDT', 'fee', '-5', '0')]);
  assert.deepEqual(balanceOf(c, 'u1', 'spot', 'USDT'), { available: '0', frozen: '0' });
});

test('start balance spec: COIN=AMOUNT list, validated', () => {
  assert.deepEqual(parseStartBalance('USDT=100000,btc=2.50'), [
    { coin: 'USDT', amount: '100000' },
    { coin: 'BTC', amount: '2.5' },
  ]);
  assert.deepEqual(parseStartBalance(''), []);
  assert.deepEqual(parseStartBalance(' USDT=1 , '), [{ coin: 'USDT', amount: '1' }]);
  for (const bad of ['USDT', 'USDT=0', 'USDT=-1', 'USDT=1,USDT=2', 'USDT=0.000000001', 'US DT=1']) {
    assert.throws(() => parseStartBalance(bad), /start balance/, bad);
  }
});
