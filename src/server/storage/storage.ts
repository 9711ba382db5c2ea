// The Storage port: where media bytes live. Paths are always "<tenant_id>/<...>" so a tenant's
// objects can be listed or purged together; access control is done by the caller through RLS.
export interface StoredObject {
  bytes: Uint8Array
  contentType: string
}

export interface Storage {
  put(path: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** null when the object does not exist. */
  get(path: string): Promise<StoredObject | null>
  delete(path: string): Promise<void>
}
