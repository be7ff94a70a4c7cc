/**
 * Wall-clock time in an IANA time zone, as Go's time package gives it for a *time.Location (the
 * arithmetic robfig/cron does its Next in): the fields of an instant, time.Date's instant for
 * given fields (overflow normalized, DST gaps and overlaps resolved as Go resolves them), and
 * RFC 3339 with the zone's offset. Zone data comes from the runtime's Intl.
 */

/** The calendar fields of an instant in a zone (month 1–12, weekday 0 = Sunday). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const OFFSET_CACHE_LIMIT = 10_000;

/** Milliseconds of the given fields read as UTC; out-of-range fields carry over, as time.Date does. */
function fieldsAsUTC(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export class TimeZone {
  /** The name it was loaded by (time.Location.String()). */
  readonly name: string;
  readonly #format: Intl.DateTimeFormat | undefined;
  /** Offsets by UTC minute (zone transitions fall on whole minutes), looked up through Intl. */
  readonly #offsets = new Map<number, number>();
  /** Offsets by UTC day, for days with one offset from start to end (undefined: a transition day). */
  readonly #dayOffsets = new Map<number, number | undefined>();

  /** time.LoadLocation: throws a RangeError for a zone the runtime does not know. */
  constructor(name: string) {
    this.name = name;
    this.#format =
      name === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone: name,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** The process' own zone (time.Local), which schedules without a time zone follow. */
  static local(): TimeZone {
    return new TimeZone(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  /** The zone's offset from UTC at an instant, in milliseconds (east positive). */
  offsetAt(ms: number): number {
    if (!this.#format) return 0;
    const day = Math.floor(ms / DAY);
    if (!this.#dayOffsets.has(day)) {
      const start = this.#minuteOffset(day * DAY);
      if (this.#dayOffsets.size >= OFFSET_CACHE_LIMIT) this.#dayOffsets.clear();
      this.#dayOffsets.set(day, start === this.#minuteOffset(day * DAY + DAY - MINUTE) ? start : undefined);
    }
    return this.#dayOffsets.get(day) ?? this.#minuteOffset(ms);
  }

  #minuteOffset(ms: number): number {
    if (!this.#format) return 0;
    const key = Math.floor(ms / MINUTE);
    const cached = this.#offsets.get(key);
    if (cached !== undefined) return cached;
    const at = key * MINUTE;
    const f: Record<string, number> = {};
    for (const p of this.#format.formatToParts(at)) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const offset = fieldsAsUTC(f['year'] ?? 1970, f['month'] ?? 1, f['day'] ?? 1, f['hour'] ?? 0, f['minute'] ?? 0, f['second'] ?? 0) - at;
    if (this.#offsets.size >= OFFSET_CACHE_LIMIT) this.#offsets.clear();
    this.#offsets.set(key, offset);
    return offset;
  }

  /** The wall-clock fields of an instant (sub-second parts dropped). */
  wall(ms: number): WallTime {
    const d = new Date(Math.floor(ms / 1000) * 1000 + this.offsetAt(ms));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }

  /**
   * time.Date: the instant of the given wall-clock fields. A time in a DST gap or overlap gets
   * the offset Go picks: the one in force at the fields read as UTC, unless that instant minus
   * the offset lies in another period, whose offset is taken instead.
   */
  date(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const unix = fieldsAsUTC(year, month, day, hour, minute, second);
    let offset = this.offsetAt(unix);
    if (offset !== 0) {
      const other = this.offsetAt(unix - offset);
      if (other !== offset) offset = other;
    }
    return unix - offset;
  }

  /** t.AddDate(years, months, days) in this zone. */
  addDate(ms: number, years: number, months: number, days: number): number {
    const w = this.wall(ms);
    return this.date(w.year + years, w.month + months, w.day + days, w.hour, w.minute, w.second);
  }

  /** t.In(zone).Format(time.RFC3339): `2024-01-01T01:00:00+01:00`, `Z` for a zero offset. */
  formatRFC3339(ms: number): string {
    const w = this.wall(ms);
    const offset = Math.round(this.offsetAt(ms) / MINUTE);
    const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
  }
}
