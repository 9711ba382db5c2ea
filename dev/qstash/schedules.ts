// Cron schedules: each tick that is due publishes one message to the schedule's destination.
// `Upstash-Cron` takes five fields (UTC) with an optional `CRON_TZ=<zone> ` prefix, as QStash does;
// croner's six-field form (seconds first) is also accepted so tests need not wait a minute.
import { Cron } from 'croner'
import { bodyFields, newId, withoutUndefined, type MessageSpec, type MessageStore } from './message-store'
import { RequestError, type PublishRequest } from './publish-request'

export interface Schedule {
  scheduleId: string
  cron: string
  timer: Cron
  createdAt: number
  request: PublishRequest
  isPaused: boolean
  lastScheduleTime?: number
  nextScheduleTime?: number
}

function compile(cron: string): Cron {
  const match = /^CRON_TZ=(\S+)\s+(.*)$/.exec(cron.trim())
  try {
    return new Cron(match?.[2] ?? cron.trim(), { timezone: match?.[1] ?? 'UTC', paused: true })
  } catch (error) {
    throw new RequestError(400, `invalid cron expression: ${cron} (${error instanceof Error ? error.message : String(error)})`)
  }
}

const nextRun = (timer: Cron, after: number) => timer.nextRun(new Date(after))?.getTime()

export class ScheduleStore {
  private readonly schedules = new Map<string, Schedule>()

  // An existing id (`Upstash-Schedule-Id`) is overwritten in place.
  upsert({ cron, scheduleId, request, now }: { cron: string; scheduleId?: string; request: PublishRequest; now: number }): string {
    const timer = compile(cron)
    const id = scheduleId ?? newId('scd')
    const previous = this.schedules.get(id)
    this.schedules.set(id, {
      scheduleId: id,
      cron,
      timer,
      createdAt: previous?.createdAt ?? now,
      request,
      isPaused: previous?.isPaused ?? false,
      lastScheduleTime: previous?.lastScheduleTime,
      nextScheduleTime: nextRun(timer, now),
    })
    return id
  }

  get(scheduleId: string) {
    return this.schedules.get(scheduleId)
  }

  list() {
    return [...this.schedules.values()]
  }

  delete(scheduleId: string): boolean {
    return this.schedules.delete(scheduleId)
  }

  // Fires each due schedule once, even if the clock jumped past several ticks.
  fireDue(store: MessageStore, now: number) {
    for (const schedule of this.schedules.values()) {
      if (schedule.isPaused || schedule.nextScheduleTime === undefined || schedule.nextScheduleTime > now) continue
      const { spec, delayMs } = schedule.request
      const message: MessageSpec = { ...spec, scheduleId: schedule.scheduleId }
      store.add(message, { now, notBefore: delayMs ? now + delayMs : undefined })
      schedule.lastScheduleTime = now
      schedule.nextScheduleTime = nextRun(schedule.timer, now)
    }
  }
}

export function setPaused(schedule: Schedule, paused: boolean, now: number) {
  schedule.isPaused = paused
  if (!paused) schedule.nextScheduleTime = nextRun(schedule.timer, now)
}

export function scheduleJson(schedule: Schedule) {
  const { spec, delayMs } = schedule.request
  return withoutUndefined({
    scheduleId: schedule.scheduleId,
    cron: schedule.cron,
    createdAt: schedule.createdAt,
    destination: spec.url,
    method: spec.method,
    header: spec.header,
    ...bodyFields(spec.body, { text: 'body', base64: 'bodyBase64' }),
    retries: spec.maxRetries,
    retryDelayExpression: spec.retryDelayExpression,
    delay: delayMs === undefined ? undefined : Math.round(delayMs / 1000),
    callback: spec.callback,
    failureCallback: spec.failureCallback,
    callerIp: spec.callerIp,
    isPaused: schedule.isPaused,
    lastScheduleTime: schedule.lastScheduleTime,
    nextScheduleTime: schedule.nextScheduleTime,
  })
}
