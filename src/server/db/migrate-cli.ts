// `npm run db:migrate`: applies pending migrations to DATABASE_URL (deploys and the local launcher).
import { createDb } from './create-db'
import { migrate } from './migrate'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('DATABASE_URL is not set')
  process.exit(1)
}
const db = createDb(url, { max: 1 })
try {
  const applied = await migrate(db.sql)
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date')
} finally {
  await db.end()
}
