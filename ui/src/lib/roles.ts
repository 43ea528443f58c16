// The four roles, in the order every screen lists them, with what each one may do.
import type { RoleName } from "./bindings";

export type RoleOption = { value: RoleName; label: string; description: string };

export const ROLES: readonly RoleOption[] = [
  {
    value: "admin",
    label: "Administrator",
    description: "Manages users, the audit log, backups and clinic settings",
  },
  {
    value: "provider",
    label: "Provider",
    description: "Prescriber; signs clinical notes",
  },
  {
    value: "nurse",
    label: "Nurse or technician",
    description: "Charts sessions and vitals; cannot sign provider notes",
  },
  {
    value: "billing",
    label: "Billing",
    description: "Coverage and prior authorization; no clinical edits",
  },
];

/** "Administrator, Provider", in the fixed role order. */
export function roleLabels(roles: readonly RoleName[]): string {
  const names = ROLES.filter((r) => roles.includes(r.value)).map((r) => r.label);
  return names.length > 0 ? names.join(", ") : "No roles";
}

/** Roles in the fixed order, each once. */
export function orderedRoles(roles: readonly RoleName[]): RoleName[] {
  return ROLES.map((r) => r.value).filter((r) => roles.includes(r));
}
