// Applies supabase/migrations/*.sql in file-name order, once each, recording a checksum so an
// already-applied file that was edited afterwards is refused rather than silently diverging.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Sql } from './create-db'

export const MIGRATIONS_DIR = path.resolve(process.cwd(), 'supabase/migrations')

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export class ChangedMigrationError extends Error {
  constructor(readonly file: string) {
    super(`migration ${file} was changed after it was applied; add a new migration instead`)
  }
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

/** Returns the names it applied. Safe to run concurrently: runners queue on an advisory lock. */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir)
  return sql.begin(async (tx) => {
    // Transaction-scoped lock: a second runner waits here, then sees everything already applied.
    await tx`select pg_advisory_xact_lock(hashtext('conversa.migrate'))`
    await tx.unsafe(`
      create schema if not exists conversa_meta;
      create table if not exists conversa_meta.migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      );`)
    const applied = new Map(
      (await tx<{ name: string; checksum: string }[]>`select name, checksum from conversa_meta.migrations`).map(
        (r) => [r.name, r.checksum],
      ),
    )
    const done: string[] = []
    for (const file of files) {
      const previous = applied.get(file.name)
      if (previous !== undefined) {
        if (previous !== file.checksum) throw new ChangedMigrationError(file.name)
        continue
      }
      await tx.unsafe(file.sql)
      await tx`insert into conversa_meta.migrations (name, checksum) values (${file.name}, ${file.checksum})`
      done.push(file.name)
    }
    return done
  }) as Promise<string[]>
}
