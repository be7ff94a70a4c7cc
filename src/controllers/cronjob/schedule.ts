/**
 * A CronJob's schedule in time (robfig/cron/v3's Schedule.Next, which the upstream controller
 * uses): the spec is parsed by the same parser the apiserver validates with
 * (src/api/batch/cron-schedule.ts), then `next(t)` walks month, day, hour, minute and second in
 * the schedule's time zone exactly as SpecSchedule.Next does, DST quirks included (a time in a
 * spring-forward gap is skipped that day, one in a fall-back overlap runs twice).
 */
import { type CronSchedule, parseCronSchedule } from '../../api/batch/cron-schedule.js';
import { TimeZone } from './time-zone.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface Schedule {
  /** The first activation strictly after `t` (ms), or undefined when none within five years. */
  next(t: number): number | undefined;
}

function specNext(s: CronSchedule, zone: TimeZone, from: number): number | undefined {
  const dayMatches = (weekday: number, day: number): boolean => {
    const dom = s.dayOfMonth.has(day);
    const dow = s.dayOfWeek.has(weekday);
    return s.domStar || s.dowStar ? dom && dow : dom || dow;
  };
  // the earliest possible time: the upcoming second
  let t = Math.floor(from / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = zone.wall(t).year + 5;
  wrap: for (;;) {
    let w = zone.wall(t);
    if (w.year > yearLimit) return undefined;
    while (!s.month.has(w.month)) {
      if (!added) {
        added = true;
        t = zone.date(w.year, w.month, 1);
      }
      t = zone.addDate(t, 0, 1, 0);
      w = zone.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(w.weekday, w.day)) {
      if (!added) {
        added = true;
        t = zone.date(w.year, w.month, w.day);
      }
      t = zone.addDate(t, 0, 0, 1);
      w = zone.wall(t);
      // where DST moved midnight, get back to it
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * HOUR;
        w = zone.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!s.hour.has(w.hour)) {
      if (!added) {
        added = true;
        t = zone.date(w.year, w.month, w.day, w.hour);
      }
      t += HOUR;
      w = zone.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!s.minute.has(w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      w = zone.wall(t);
      if (w.minute === 0) continue wrap;
    }
    // standard schedules fire at second 0: robfig counts up a second at a time to the next
    // minute and starts over; the same in one step
    if (w.second !== 0) {
      added = true;
      t += (60 - w.second) * SECOND;
      continue;
    }
    return t;
  }
}

/** cron.Every: at least a second, whole seconds; Next keeps the sub-second part of nothing. */
function constantDelay(everyMs: number): Schedule {
  const delay = Math.max(SECOND, everyMs - (everyMs % SECOND));
  return { next: (t) => t - (t % SECOND) + delay };
}

/**
 * cron.ParseStandard with its default location: the schedule's `TZ=`/`CRON_TZ=` zone, else
 * `local` (the process' zone, as kube-controller-manager's time.Local). Throws CronScheduleError.
 */
export function parseSchedule(spec: string, local: TimeZone = TimeZone.local()): Schedule {
  const parsed = parseCronSchedule(spec);
  if (parsed.everyMs !== undefined) return constantDelay(parsed.everyMs);
  const zone = parsed.timeZone ? new TimeZone(parsed.timeZone) : local;
  return { next: (t) => specNext(parsed, zone, t) };
}
