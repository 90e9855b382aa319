import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, cmp, div, isDecimalString, isMultipleOf, isZero, mul, norm, scaleOf, sub } from '../../src/domain/decimal.js';

test('arithmetic has no float drift', () => {
  assert.equal(add('0.1', '0.2'), '0.3');
  assert.equal(sub('0.3', '0.1'), '0.2');
  assert.equal(mul('0.1', '3'), '0.3');
  assert.equal(mul('1.1', '1.1'), '1.21');
  assert.equal(add('123456789012345678901234567890', '0.00000000000000000001'), '123456789012345678901234567890.00000000000000000001');
  let acc = '0';
  for (let i = 0; i < 1000; i++) acc = add(acc, '0.001');
  assert.equal(acc, '1');
  // the largest values isDecimalString accepts (30 + 20 digits) multiply exactly
  assert.equal(
    mul('123456789012345678901234567890.12345678901234567890', '2'),
    '246913578024691357802469135780.2469135780246913578',
  );
  // tiny values are rendered in plain notation, never "1e-8"
  assert.equal(mul('0.00000000000000000001', '0.00000000000000000001'), '0.' + '0'.repeat(39) + '1');
  assert.equal(mul('0.0001', '0.0001'), '0.00000001');
});

test('div rounds down to dp decimals and returns 0 for a zero divisor', () => {
  assert.equal(div('1', '3', 8), '0.33333333');
  assert.equal(div('2', '3', 2), '0.66');
  assert.equal(div('300.6', '0.01', 8), '30060');
  assert.equal(div('5', '0'), '0');
});

test('cmp / isZero / norm / scaleOf', () => {
  assert.equal(cmp('0.30', '0.3'), 0);
  assert.equal(cmp('1', '0.999999999999999999999'), 1);
  assert.equal(cmp('0.1', '0.2'), -1);
  assert.equal(isZero('0.000'), true);
  assert.equal(isZero('0.001'), false);
  assert.equal(norm('1.500'), '1.5');
  assert.equal(norm('030000.0'), '30000');
  assert.equal(scaleOf('0.010'), 3);
  assert.equal(scaleOf('42'), 0);
});

test('isMultipleOf: prices on the tick, sizes on the step, exactly', () => {
  assert.equal(isMultipleOf('0.3', '0.1'), true); // 0.3 % 0.1 is not 0 in floats
  assert.equal(isMultipleOf('30000.1', '0.1'), true);
  assert.equal(isMultipleOf('30000.15', '0.1'), false);
  assert.equal(isMultipleOf('0.0003', '0.0001'), true);
  assert.equal(isMultipleOf('0.00035', '0.0001'), false);
  assert.equal(isMultipleOf('25', '5'), true);
  assert.equal(isMultipleOf('26', '5'), false);
  assert.equal(isMultipleOf('7', '0'), true);
});

test('isDecimalString accepts plain non-negative decimals only', () => {
  for (const ok of ['0', '42', '0.001', '30000.5', '007']) assert.equal(isDecimalString(ok), true, ok);
  for (const bad of ['', '-1', '+1', '1e5', '1.', '.5', ' 1', '1 ', 'NaN', 'Infinity', '0x10', '1,5', '1.2.3', '1'.repeat(31), '0.' + '1'.repeat(21)]) {
    assert.equal(isDecimalString(bad), false, JSON.stringify(bad));
  }
  assert.equal(isDecimalString(1 as unknown), false);
  assert.equal(isDecimalString(null), false);
});
