// The maintenance schedules registered with QStash (here its stand-in, through the real client): each
// lands once under its fixed id however often it is registered, pointing at the deployment's route.
import { Client } from '@upstash/qstash'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { MAINTENANCE_SCHEDULES, registerMaintenanceSchedules } from '@/server/qstash/maintenance-schedules'
import { startQstashStandIn, type QstashStandIn } from '../../dev/qstash/server'

const TOKEN = 'maintenance-test-token'
let qstash: QstashStandIn

beforeAll(async () => {
  qstash = await startQstashStandIn({ port: 0, token: TOKEN, currentSigningKey: 'sig_current_maintenance', nextSigningKey: 'sig_next_maintenance' })
})
afterAll(() => qstash.stop())

it('registers each maintenance schedule once, at the app URL, and updates it in place on a second run', async () => {
  await registerMaintenanceSchedules({ qstashUrl: qstash.url, token: TOKEN, appUrl: 'https://old.example.test' })
  await registerMaintenanceSchedules({ qstashUrl: qstash.url, token: TOKEN, appUrl: 'https://app.example.test' })
  const schedules = await new Client({ baseUrl: qstash.url, token: TOKEN }).schedules.list()
  expect(schedules.map((s) => ({ id: s.scheduleId, cron: s.cron, destination: s.destination, method: s.method }))).toEqual(
    MAINTENANCE_SCHEDULES.map((s) => ({ id: s.scheduleId, cron: s.cron, destination: `https://app.example.test${s.path}`, method: 'POST' })),
  )
})

it('fails loudly with a wrong token instead of leaving the deployment unscheduled in silence', async () => {
  await expect(registerMaintenanceSchedules({ qstashUrl: qstash.url, token: 'wrong', appUrl: 'https://app.example.test' })).rejects.toMatchObject({ status: 401 })
})
