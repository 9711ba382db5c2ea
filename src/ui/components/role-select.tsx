// A role picker offering only the roles the signed-in member may grant (the rule RLS enforces too).
import type { SelectHTMLAttributes } from 'react'
import { canGrant, ROLES, type Role } from '@/core/tenancy/roles'

type Props = { myRole: Role; value: Role; onChange(role: Role): void } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>

export function RoleSelect({ myRole, value, onChange, className = '', ...rest }: Props) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} className={`rounded-md border border-slate-300 bg-white text-sm capitalize ${className}`} {...rest}>
      {ROLES.filter((r) => canGrant(myRole, r)).map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  )
}
