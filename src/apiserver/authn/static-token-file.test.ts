import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCSV, parseTokenFile, StaticTokenAuthenticator } from './static-token-file.js';

describe('parseCSV', () => {
  const cases: [string, string, string[][]][] = [
    [
      'plain',
      'a,b,c\nd,e,f\n',
      [
        ['a', 'b', 'c'],
        ['d', 'e', 'f'],
      ],
    ],
    ['quoted commas', 't,u,1,"g1,g2"', [['t', 'u', '1', 'g1,g2']]],
    ['doubled quotes', '"a""b",c', [['a"b', 'c']]],
    [
      'CRLF and blank lines',
      'a,b\r\n\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['empty fields', ',u,1', [['', 'u', '1']]],
  ];
  for (const [name, text, want] of cases) it(name, () => assert.deepEqual(parseCSV(text), want));
  it('refuses an unterminated quote', () => assert.throws(() => parseCSV('"a,b'), /missing "/));
});

describe('parseTokenFile', () => {
  it('reads token, user, uid and optional groups; skips empty tokens', () => {
    const tokens = parseTokenFile('s3cret,alice,1001,"devs,qa"\nother,bob,1002\n,nobody,0\n', 'tokens.csv');
    assert.deepEqual(
      [...tokens.entries()],
      [
        ['s3cret', { name: 'alice', uid: '1001', groups: ['devs', 'qa'] }],
        ['other', { name: 'bob', uid: '1002', groups: [] }],
      ],
    );
  });
  it('says which file lacks columns, as upstream, and never prints the token', () => {
    assert.throws(
      () => parseTokenFile('s3cret,alice\n', '/etc/tokens.csv'),
      (err: Error) =>
        err.message === "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2" &&
        !err.message.includes('s3cret'),
    );
  });
});

describe('StaticTokenAuthenticator', () => {
  it('authenticates a known token only, with a copy of its user', async () => {
    const auth = new StaticTokenAuthenticator({ tokens: parseTokenFile('t1,alice,1,g\n', 'f') });
    const user = await auth.authenticateToken('t1');
    assert.deepEqual(user, { name: 'alice', uid: '1', groups: ['g'] });
    user?.groups.push('mutated');
    assert.deepEqual((await auth.authenticateToken('t1'))?.groups, ['g']);
    assert.equal(await auth.authenticateToken('t2'), undefined);
  });
});
