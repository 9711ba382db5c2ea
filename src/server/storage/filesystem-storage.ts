// Storage on the local filesystem (embedded mode, self-hosting). The content type is kept in a
// sidecar file so the bytes are served exactly as they were received.
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises'
import path from 'node:path'
import type { Storage } from './storage'

const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/

export function createFilesystemStorage(root: string): Storage {
  const resolve = (objectPath: string) => {
    // Refuse anything that could escape the root ("..", absolute paths, odd characters).
    if (!SAFE_PATH.test(objectPath) || objectPath.split('/').some((p) => p === '..' || p === '.'))
      throw new Error(`invalid storage path: ${objectPath}`)
    return path.join(root, objectPath)
  }
  return {
    async put(objectPath, bytes, contentType) {
      const file = resolve(objectPath)
      await mkdir(path.dirname(file), { recursive: true })
      // Write then rename, so a reader never sees a half-written file.
      await writeFile(`${file}.tmp`, bytes)
      await rename(`${file}.tmp`, file)
      await writeFile(`${file}.type`, contentType)
    },
    async get(objectPath) {
      const file = resolve(objectPath)
      try {
        const [bytes, contentType] = await Promise.all([readFile(file), readFile(`${file}.type`, 'utf8')])
        return { bytes: new Uint8Array(bytes), contentType }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async delete(objectPath) {
      const file = resolve(objectPath)
      await Promise.all([rm(file, { force: true }), rm(`${file}.type`, { force: true })])
    },
  }
}
