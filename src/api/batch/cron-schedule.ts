/**
 * Cron schedule parsing as robfig/cron/v3's ParseStandard does it (the parser CronJob
 * validation and the CronJob controller use): five fields or a @descriptor, with upstream's
 * error texts.
 */
import { parseGoDuration } from '../../machinery/protobuf/go-duration.js';

export class CronScheduleError extends Error {
  readonly code = 'InvalidCronSchedule';

  constructor(message: string) {
    super(message);
    this.name = 'CronScheduleError';
  }
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

/** A parsed schedule: the allowed values of minute, hour, day of month, month, day of week. */
export interface CronSchedule {
  /** Time zone from a TZ= or CRON_TZ= prefix. */
  timeZone?: string;
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
  /** A field was `*` or `?` (robfig's star bit, used for day-of-month/day-of-week OR semantics). */
  domStar: boolean;
  dowStar: boolean;
  /** Set for `@every <duration>` schedules (milliseconds). */
  everyMs?: number;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Go's strconv.Atoi failure text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s))
    throw new CronScheduleError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < 0) throw new CronScheduleError(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function intOrName(s: string, names: Record<string, number> | undefined): number {
  const named = names?.[s.toLowerCase()];
  return named ?? atoi(s);
}

function parseRange(expr: string, b: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0] ?? '', b.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1] ?? '', b.names);
    else throw new CronScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1] ?? '');
    if (single) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronScheduleError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronScheduleError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronScheduleError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronScheduleError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

function parseField(field: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) star = parseRange(expr, b, values) || star;
  return { values, star };
}

/** cron.ParseStandard. Throws CronScheduleError with robfig's message. */
export function parseCronSchedule(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronScheduleError('empty spec string');
  let rest = spec;
  let timeZone: string | undefined;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    const eq = rest.indexOf('=');
    timeZone = rest.slice(eq + 1, i < 0 ? undefined : i).trim();
    if (!isValidTimeZone(timeZone)) throw new CronScheduleError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
    rest = i < 0 ? '' : rest.slice(i).trim();
  }
  if (rest.startsWith('@')) {
    if (rest.startsWith('@every ')) {
      let everyMs: number;
      try {
        everyMs = Number(parseGoDuration(rest.slice('@every '.length))) / 1e6;
      } catch (err) {
        throw new CronScheduleError(`failed to parse duration ${rest}: ${(err as Error).message}`);
      }
      const all = (b: Bounds): Set<number> => parseField('*', b).values;
      return {
        ...(timeZone ? { timeZone } : {}),
        minute: all(FIELDS[0] as Bounds),
        hour: all(FIELDS[1] as Bounds),
        dayOfMonth: all(FIELDS[2] as Bounds),
        month: all(FIELDS[3] as Bounds),
        dayOfWeek: all(FIELDS[4] as Bounds),
        domStar: true,
        dowStar: true,
        everyMs,
      };
    }
    const expanded = DESCRIPTORS[rest];
    if (!expanded) throw new CronScheduleError(`unrecognized descriptor: ${rest}`);
    rest = expanded;
  }
  const fields = rest.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5) throw new CronScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, ho, dom, mo, dow] = fields.map((f, i) => parseField(f, FIELDS[i] as Bounds));
  if (!mi || !ho || !dom || !mo || !dow) throw new CronScheduleError('expected exactly 5 fields');
  return {
    ...(timeZone ? { timeZone } : {}),
    minute: mi.values,
    hour: ho.values,
    dayOfMonth: dom.values,
    month: mo.values,
    dayOfWeek: dow.values,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

/** Whether the name is an IANA time zone this runtime knows (time.LoadLocation). */
export function isValidTimeZone(name: string): boolean {
  if (name === '' || name === 'Local') return false;
  try {
    // zone names are file names to Go: a name Intl only knows in another case is unknown
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}
