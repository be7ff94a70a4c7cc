import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  everything,
  formatLabelSelector,
  isEverything,
  labelSelectorAsMap,
  labelSelectorFromMeta,
  LabelSelectorError,
  matchesNothing,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromSet,
  selectorToString,
  validateLabelSelector,
  type Labels,
} from './labels.js';
import { newPath } from './validation/field.js';

const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('parse and re-print (upstream TestSelectorParse good strings)', () => {
  const cases: [string, string][] = [
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['', ''],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x==a', 'x==a'],
    ['z=c,x=a', 'x=a,z=c'],
    ['x in (b,a)', 'x in (a,b)'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['\rx', 'x'],
    ['x in (abc,)', 'x in (,abc)'],
    ['in in (in)', 'in in (in)'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
  ];
  for (const [input, want] of cases) assert.equal(parseSelector(input).toString(), want, input);
});

test('parse errors carry upstream text', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_MSG}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x!', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    ['x (a)', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['x in abc', "unable to parse requirement: found 'abc' expected: '('"],
    ['x in (abc', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x=(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    [
      'k=' + 'v'.repeat(64),
      `unable to parse requirement: values[0][k]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    ],
  ];
  for (const [input, want] of cases) {
    assert.throws(
      () => parseSelector(input),
      (err: unknown) => err instanceof LabelSelectorError && err.message === want && err.code === 'InvalidLabelSelector',
      input,
    );
  }
  assert.throws(
    () => parseSelector('a/b/c'),
    /^LabelSelectorError: unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist/,
  );
});

test('matches (upstream TestSelectorMatches and set-based cases)', () => {
  const cases: [string, Labels, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'a' }, false],
    ['x>1', {}, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x in ()', { x: '' }, true],
    ['x!=y', {}, true],
    ['x,y in (a)', { x: '1' }, false],
    ['app=web', undefined, false],
    ['', undefined, true],
  ];
  for (const [sel, labels, want] of cases) assert.equal(parseSelector(sel).matches(labels), want, `${sel} ${JSON.stringify(labels)}`);
});

test('newRequirement validation (upstream TestRequirementConstructor)', () => {
  const bad: [string, Parameters<typeof newRequirement>[1], string[], string][] = [
    ['x1', 'in', [], "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"],
    ['x3', '=', ['a', 'b'], 'values: Invalid value: ["a","b"]: exact-match compatibility requires one single value'],
    ['x4', 'exists', ['foo'], 'values: Invalid value: ["foo"]: values set must be empty for exists and does not exist'],
    ['x7', 'gt', ['1', '2'], 'values: Invalid value: ["1","2"]: for \'Gt\', \'Lt\' operators, exactly one value is required'],
    ['x8', 'lt', ['a'], "values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      'x9',
      'bogus' as 'in',
      ['a'],
      'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    ],
  ];
  for (const [k, op, vals, want] of bad) {
    assert.throws(
      () => newRequirement(k, op, vals),
      (err: unknown) => err instanceof LabelSelectorError && err.message === want,
      k,
    );
  }
  assert.doesNotThrow(() => newRequirement('x', 'in', ['']));
  assert.doesNotThrow(() => newRequirement('x', 'gt', ['5']));
  // Like upstream, a negative number is not a valid label value.
  assert.throws(() => newRequirement('x', 'gt', ['-5']), /values\[0\]\[x\]: Invalid value: "-5"/);
  assert.throws(
    () => newRequirement('', 'exists', []),
    /^LabelSelectorError: key: Invalid value: "": name part must be non-empty; name part must consist/,
  );
  const withPath = () => newRequirement('x', 'in', [], newPath('spec', 'selector'));
  assert.throws(withPath, /spec\.selector\.values: Invalid value: null/);
});

test('labelSelectorFromMeta (LabelSelectorAsSelector)', () => {
  assert.ok(matchesNothing(labelSelectorFromMeta(null)));
  assert.equal(labelSelectorFromMeta(undefined).matches({ a: 'b' }), false);
  assert.ok(isEverything(labelSelectorFromMeta({})));
  assert.ok(labelSelectorFromMeta({ matchLabels: {}, matchExpressions: [] }).matches({}));
  const sel = labelSelectorFromMeta({
    matchLabels: { tier: 'fe', app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'dev'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists' },
      { key: 'team', operator: 'NotIn', values: ['x'] },
    ],
  });
  assert.equal(selectorToString(sel), 'app=web,!canary,env in (dev,prod),team notin (x),tier=fe,zone');
  assert.equal(sel.matches({ app: 'web', tier: 'fe', env: 'prod', zone: 'a' }), true);
  assert.equal(sel.matches({ app: 'web', tier: 'fe', env: 'prod', zone: 'a', canary: '1' }), false);
  assert.equal(selectorToString(labelSelectorFromMeta({ matchLabels: { app: 'web' } })), 'app=web');
  assert.throws(
    () => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }),
    /^LabelSelectorError: "Foo" is not a valid pod selector operator$/,
  );
  assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'In' }] }), /values set can't be empty/);
  assert.throws(() => labelSelectorFromMeta({ matchLabels: { a: '-x' } }), /values\[0\]\[a\]: Invalid value: "-x"/);
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), '<error>');
  assert.deepEqual(labelSelectorAsMap({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['d'] }] }), {
    a: 'b',
    c: 'd',
  });
  assert.throws(
    () => labelSelectorAsMap({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }),
    /operator "Exists" cannot be converted/,
  );
});

test('selector helpers', () => {
  assert.ok(isEverything(everything()));
  assert.ok(!isEverything(nothing()));
  assert.equal(nothing().matches({}), false);
  const s = selectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.equal(s.requiresExactMatch('a'), '1');
  assert.equal(parseSelector('x in (a)').requiresExactMatch('x'), 'a');
  assert.equal(parseSelector('x in (a,b)').requiresExactMatch('x'), undefined);
  assert.equal(
    parseSelector('x')
      .add(newRequirement('a', '=', ['b']))
      .toString(),
    'a=b,x',
  );
});

test('validateLabelSelector', () => {
  const p = newPath('spec', 'selector');
  const got = validateLabelSelector(
    {
      matchLabels: { ok: 'fine' },
      matchExpressions: [
        { key: 'a', operator: 'In' },
        { key: 'b', operator: 'Exists', values: ['x'] },
        { key: 'c', operator: 'Bad' },
      ],
    },
    p,
  ).map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(got, [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Bad": not a valid selector operator',
  ]);
  assert.deepEqual(validateLabelSelector(undefined, p), []);
});
