/**
 * metav1.Time and metav1.MicroTime in JSON: Go's time.Parse with RFC 3339 layouts, reporting
 * what it rejects with Go's own ParseError text (`parsing time "x" as "2006-01-02T15:04:05Z07:00":
 * cannot parse "x" as "2006"`, `…: month out of range`, `…: extra text: "…"`).
 */

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Chunk = { literal: string } | { std: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micro' | 'zone'; text: string };

const CHUNKS: Record<string, readonly Chunk[]> = {
  [RFC3339]: chunks(false),
  [RFC3339_MICRO]: chunks(true),
};

function chunks(micro: boolean): Chunk[] {
  return [
    { std: 'year', text: '2006' },
    { literal: '-' },
    { std: 'month', text: '01' },
    { literal: '-' },
    { std: 'day', text: '02' },
    { literal: 'T' },
    { std: 'hour', text: '15' },
    { literal: ':' },
    { std: 'minute', text: '04' },
    { literal: ':' },
    { std: 'second', text: '05' },
    ...(micro ? [{ std: 'micro', text: '.000000' } as const] : []),
    { std: 'zone', text: 'Z07:00' },
  ];
}

const quote = (s: string): string => JSON.stringify(s);
const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

class Bad extends Error {}

/** Go's getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new Bad();
  if (!isDigit(s, 1)) {
    if (fixed) throw new Bad();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const RANGES: Partial<Record<string, [number, number]>> = { month: [1, 12], hour: [0, 23], minute: [0, 59], second: [0, 59] };

/** Reads one layout element off `value`; returns what is left and the number read (if any). */
function parseStd(std: string, value: string, nextIsMicro: boolean): [string, number | undefined] {
  switch (std) {
    case 'year': {
      if (value.length < 4 || !/^[+-]?\d+$/.test(value.slice(0, 4))) throw new Bad();
      return [value.slice(4), Number(value.slice(0, 4))];
    }
    case 'month':
    case 'day':
    case 'minute':
    case 'second':
    case 'hour': {
      const [n, rest] = getnum(value, std !== 'hour');
      if (std === 'second' && !nextIsMicro && rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
        let k = 2;
        while (isDigit(rest, k)) k++;
        return [rest.slice(k), n];
      }
      return [rest, n];
    }
    case 'micro': {
      if (value.length < 7 || (value[0] !== '.' && value[0] !== ',') || !/^\d{6}$/.test(value.slice(1, 7))) throw new Bad();
      return [value.slice(7), undefined];
    }
    default: {
      if (value[0] === 'Z') return [value.slice(1), undefined];
      if (value.length < 6 || value[3] !== ':' || (value[0] !== '+' && value[0] !== '-')) throw new Bad();
      if (!/^\d\d$/.test(value.slice(1, 3)) || !/^\d\d$/.test(value.slice(4, 6))) throw new Bad();
      return [value.slice(6), undefined];
    }
  }
}

/** The error Go's time.Parse(layout, value) returns, or undefined when it parses. */
export function goTimeParseError(layout: typeof RFC3339 | typeof RFC3339_MICRO, input: string): string | undefined {
  const fail = (valueElem: string, layoutElem: string): string =>
    `parsing time ${quote(input)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`;
  const list = CHUNKS[layout] as readonly Chunk[];
  const numbers: Record<string, number> = {};
  let value = input;
  for (let i = 0; i < list.length; i++) {
    const chunk = list[i] as Chunk;
    if ('literal' in chunk) {
      if (!value.startsWith(chunk.literal)) return fail(value, chunk.literal);
      value = value.slice(chunk.literal.length);
      continue;
    }
    const hold = value;
    let n: number | undefined;
    try {
      const next = list[i + 1];
      [value, n] = parseStd(chunk.std, value, next !== undefined && 'std' in next && next.std === 'micro');
    } catch (err) {
      if (err instanceof Bad) return fail(hold, chunk.text);
      throw err;
    }
    if (n === undefined) continue;
    numbers[chunk.std] = n;
    const range = RANGES[chunk.std];
    if (range && (n < range[0] || n > range[1])) return `parsing time ${quote(input)}: ${chunk.std} out of range`;
  }
  if (value.length > 0) return `parsing time ${quote(input)}: extra text: ${quote(value)}`;
  const day = numbers['day'] ?? 0;
  if (day < 1 || day > daysIn(numbers['month'] ?? 1, numbers['year'] ?? 0)) return `parsing time ${quote(input)}: day out of range`;
  return undefined;
}
