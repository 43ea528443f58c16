// Counts consents and ABNs signed while the app is open, so every place that lists them (the
// chart's Consents section, the self-pay prompt, the course ABN panel) reads them again.
export const consentChanges = $state({ count: 0 });

export function consentSigned(): void {
  consentChanges.count += 1;
}
