import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidCIDR, isValidIP, isValidIPForLegacyField, isIPv4String, isIPv6String } from './ip.js';

const msgs = (errs: { message: string }[]): string[] => errs.map((e) => e.message.replace(/^Invalid value: "[^"]*": /, ''));

test('isValidIP', () => {
  const cases: [string, string[]][] = [
    ['1.2.3.4', []],
    ['0.0.0.0', []],
    ['255.255.255.255', []],
    ['::', []],
    ['::1', []],
    ['2001:db8::1', []],
    ['1:2:3:4:5:6:7:8', []],
    ['', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['1.2.3', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['1.2.3.256', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['1.2.3.4.5', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['1::2::3', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['fe80::1%eth0', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['1.2.3.4::', ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['001.002.003.004', ['must not have leading 0s']],
    ['::ffff:1.2.3.4', ['must not be an IPv4-mapped IPv6 address']],
    ['2001:DB8::1', ['must be in canonical form ("2001:db8::1")']],
    ['2001:db8:0:0:0:0:0:1', ['must be in canonical form ("2001:db8::1")']],
    ['1:0:0:2:0:0:0:3', ['must be in canonical form ("1:0:0:2::3")']],
    ['1:0:2:3:4:5:6:7', []],
  ];
  for (const [v, want] of cases) assert.deepEqual(msgs(isValidIP('spec.ip', v)), want, v);
  assert.deepEqual(isValidIPForLegacyField('x', '001.002.003.004', false), []);
  assert.deepEqual(isValidIPForLegacyField('x', '2001:DB8::1', true), []);
  assert.ok(isIPv4String('10.0.0.1') && !isIPv4String('::1'));
  assert.ok(isIPv6String('::1') && !isIPv6String('10.0.0.1'));
});

test('isValidCIDR', () => {
  const cases: [string, string[]][] = [
    ['10.0.0.0/8', []],
    ['192.168.1.0/24', []],
    ['0.0.0.0/0', []],
    ['2001:db8::/64', []],
    ['::/0', []],
    ['1.2.3.4/32', []],
    ['10.0.0.0', ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['10.0.0.0/33', ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['10.0.0.0/', ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['010.0.0.0/8', ['must not have leading 0s in IP or prefix length']],
    ['10.0.0.0/08', ['must not have leading 0s in IP or prefix length']],
    ['192.168.1.5/24', ['must not have bits set beyond the prefix length']],
    ['::ffff:1.2.3.0/120', ['must not have an IPv4-mapped IPv6 address']],
    ['2001:DB8::/64', ['must be in canonical form ("2001:db8::/64")']],
  ];
  for (const [v, want] of cases) assert.deepEqual(msgs(isValidCIDR('spec.cidr', v)), want, v);
});
