// A labelled progress bar with its figures exposed to assistive tech (role="progressbar").
export function ProgressBar({ label, value, max, tone = 'bg-brand-600', testId, className = 'h-2' }: { label: string; value: number; max: number; tone?: string; testId?: string; className?: string }) {
  const width = max > 0 ? Math.min(100, (value / max) * 100) : 0
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={`${value.toLocaleString()} of ${max.toLocaleString()}`}
      data-testid={testId}
      className={`overflow-hidden rounded-full bg-slate-100 ${className}`}
    >
      <div className={`h-full ${tone} transition-[width]`} style={{ width: `${width}%` }} />
    </div>
  )
}
