// Patient names as the NHS CUI shows them: "FAMILY, Given (Preferred)" (ui-guide §2).

export type NameParts = {
  familyName: string;
  givenName: string;
  preferredName: string | null;
};

/** "O'NEIL, Margaret (Peggy)"; the preferred name is left out when empty or the same as the given name. */
export function formatName({ familyName, givenName, preferredName }: NameParts): string {
  const base = `${familyName.toLocaleUpperCase("en-US")}, ${givenName}`;
  const preferred = preferredName?.trim();
  if (!preferred || preferred === givenName) return base;
  return `${base} (${preferred})`;
}
