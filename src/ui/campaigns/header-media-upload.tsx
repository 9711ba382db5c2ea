'use client'
// A campaign's media header from a file: uploaded once to the sending number at Meta (checked against
// Meta's type and size rules first), and the media id it gets becomes the header's constant value.
import { useState } from 'react'
import { isMediaKind } from '@/core/whatsapp/media-limits'
import { attachmentProblem, uploadAttachment } from '@/ui/inbox/upload-attachment'

export function HeaderMediaUpload({ numberId, format, onUploaded }: { numberId: string; format: string; onUploaded(mediaId: string): void }) {
  const [progress, setProgress] = useState<number | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const kind = format.toLowerCase()
  if (!isMediaKind(kind)) return null
  return (
    <div className="text-xs text-slate-600 sm:col-span-3">
      <label className="inline-flex items-center gap-2">
        Or upload the {kind}
        <input
          type="file"
          className="text-xs"
          disabled={progress !== null}
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (!file) return
            const refused = attachmentProblem(kind, file)
            setProblem(refused)
            if (refused) return
            setProgress(0)
            uploadAttachment(numberId, kind, file, setProgress)
              .then(onUploaded, (error: Error) => setProblem(error.message))
              .finally(() => setProgress(null))
          }}
        />
      </label>
      {progress !== null && <progress className="ml-2 align-middle" aria-label="Upload progress" value={progress} max={1} />}
      {problem && (
        <p role="alert" className="mt-1 text-red-700">
          {problem}
        </p>
      )}
    </div>
  )
}
