// The periodic jobs QStash runs for us, registered idempotently: each schedule has a fixed id, so
// registering again (every deploy, every local start) updates it in place instead of adding a twin.
import { Client } from '@upstash/qstash'

export const MAINTENANCE_SCHEDULES = [
  // Returns dead workers' claimed jobs to their queues (the worker also does it while it runs).
  { scheduleId: 'conversa-recover-stuck-jobs', path: '/api/whatsapp/queue/recover', cron: '* * * * *' },
] as const

export async function registerMaintenanceSchedules(args: { qstashUrl: string; token: string; appUrl: string }) {
  const client = new Client({ baseUrl: args.qstashUrl, token: args.token })
  for (const schedule of MAINTENANCE_SCHEDULES)
    await client.schedules.create({
      scheduleId: schedule.scheduleId,
      destination: new URL(schedule.path, args.appUrl).toString(),
      cron: schedule.cron,
      method: 'POST',
      retries: 2,
    })
  return MAINTENANCE_SCHEDULES.map((s) => s.scheduleId)
}
