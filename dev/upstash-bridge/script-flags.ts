// Script flags Upstash accepts and Redis does not. `allow-key-locking` (sent by @upstash/ratelimit
// ≥ 2.2 in a `#!lua flags=…` first line) tells Upstash to lock only the declared keys; Redis runs one
// script at a time anyway, but refuses the unknown flag ("Unexpected flag in script shebang"). So the
// flag is dropped before a script reaches Redis, and EVALSHA / SCRIPT EXISTS by the SHA-1 of the script
// as the client wrote it (what it computes, and what Upstash caches it under) are mapped to the SHA-1
// of the script Redis holds. The map lives as long as the bridge; after a restart the client's
// EVALSHA gets NOSCRIPT and it falls back to EVAL, as with any cold script cache.
// Not faithful: SCRIPT LOAD of a flagged script answers the SHA-1 of the script without the flag.
import { createHash } from 'node:crypto'
import type { CommandArg, RedisCommand } from './parse-command'

const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking'])
const SHEBANG = /^#!lua(?:[ \t]+flags=([^\s]*))?[ \t]*(?=\r?\n|$)/

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

export class ScriptFlags {
  // SHA-1 of the script as sent → SHA-1 of the script Redis was given.
  private readonly shas = new Map<string, string>()

  translate(command: RedisCommand): RedisCommand {
    const name = command.name.toUpperCase()
    if ((name === 'EVAL' || name === 'EVAL_RO') && command.args.length > 0) return this.withScript(command, 0)
    if (name === 'SCRIPT' && String(command.args[0]).toUpperCase() === 'LOAD' && command.args.length > 1) return this.withScript(command, 1)
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && command.args.length > 0) return this.withShas(command, 0, 1)
    if (name === 'SCRIPT' && String(command.args[0]).toUpperCase() === 'EXISTS') return this.withShas(command, 1, command.args.length)
    return command
  }

  private withScript(command: RedisCommand, index: number): RedisCommand {
    const original = command.args[index]!.toString()
    const accepted = dropUpstashFlags(original)
    if (accepted === original) return command
    this.shas.set(sha1(original), sha1(accepted))
    return replaceArgs(command, index, [accepted])
  }

  private withShas(command: RedisCommand, from: number, to: number): RedisCommand {
    const mapped = command.args.slice(from, to).map((arg) => this.shas.get(arg.toString().toLowerCase()) ?? arg)
    return mapped.every((arg, i) => arg === command.args[from + i]) ? command : replaceArgs(command, from, mapped)
  }
}

function dropUpstashFlags(script: string): string {
  const match = SHEBANG.exec(script)
  if (!match?.[1]) return script
  const flags = match[1].split(',').filter((flag) => flag !== '' && !UPSTASH_ONLY_FLAGS.has(flag))
  return `${flags.length ? `#!lua flags=${flags.join(',')}` : '#!lua'}${script.slice(match[0].length)}`
}

function replaceArgs(command: RedisCommand, from: number, values: CommandArg[]): RedisCommand {
  const args = [...command.args]
  args.splice(from, values.length, ...values)
  return { ...command, args }
}
