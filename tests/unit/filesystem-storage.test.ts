import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFilesystemStorage } from '@/server/storage/filesystem-storage'

describe('filesystem storage', () => {
  it('stores bytes with their content type, and forgets them on delete', async () => {
    const storage = createFilesystemStorage(await mkdtemp(path.join(tmpdir(), 'media-')))
    await storage.put('tenant-1/media/abc.jpg', new Uint8Array([1, 2, 3]), 'image/jpeg')
    expect(await storage.get('tenant-1/media/abc.jpg')).toEqual({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/jpeg' })
    await storage.delete('tenant-1/media/abc.jpg')
    expect(await storage.get('tenant-1/media/abc.jpg')).toBeNull()
  })

  it('refuses paths that could escape its root', async () => {
    const storage = createFilesystemStorage(await mkdtemp(path.join(tmpdir(), 'media-')))
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a/./b', 'a b'])
      await expect(storage.put(bad, new Uint8Array(), 'text/plain')).rejects.toThrow(/invalid storage path/)
  })
})
