'use client'
// The country a CSV's phone numbers without "+" belong to: two capital letters, typed freely.
export function DefaultCountryField({ id, value, disabled, inputClass, onChange }: { id: string; value: string; disabled: boolean; inputClass: string; onChange(country: string): void }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        Default country for numbers without + (two letters, e.g. US)
      </label>
      <input
        id={id}
        value={value}
        maxLength={2}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value.toUpperCase().replace(/[^A-Z]/g, ''))}
        className={inputClass}
      />
    </div>
  )
}
