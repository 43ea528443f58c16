// Test fixtures for prior authorization: rule sets, criteria and evaluations as the core sends them.
import type { CriterionView, EvaluationView, RuleSetView } from "../../lib/bindings";

export function ruleSet(overrides: Partial<RuleSetView> = {}): RuleSetView {
  return {
    id: "cigna-spravato-trd",
    version: "2025-01",
    payer: "Cigna",
    policy: "Spravato (esketamine nasal spray)",
    service: "spravato_trd",
    serviceLabel: "Spravato (esketamine) for treatment-resistant depression",
    effectiveFrom: "2025-01-21",
    effectiveTo: null,
    verified: true,
    covered: true,
    notCoveredReason: null,
    note: null,
    clinicFile: null,
    notInRuleSet: [],
    ...overrides,
  };
}

export const cigna = ruleSet();
export const carefirst = ruleSet({
  id: "carefirst-spravato-trd",
  version: "1",
  payer: "CareFirst",
  policy: "Spravato (esketamine) for TRD in adults",
  effectiveFrom: "2024-01-01",
  verified: false,
});
export const aetnaSpravato = ruleSet({
  id: "aetna-spravato-trd",
  version: "1",
  payer: "Aetna",
  policy: "Spravato (esketamine), 3rd-party summaries",
  effectiveFrom: "2024-01-01",
  verified: false,
});
export const aetnaKetamine = ruleSet({
  id: "aetna-cpb0938-iv-ketamine",
  version: "1",
  payer: "Aetna",
  policy: "CPB 0938 Ketamine",
  service: "iv_ketamine",
  serviceLabel: "IV ketamine infusion",
  effectiveFrom: "2024-01-01",
  verified: false,
  covered: false,
  notCoveredReason: "Aetna considers IV ketamine for depression experimental and investigational",
});
export const clinicTms = ruleSet({
  id: "harbour-tms",
  version: "3",
  payer: "Harbour Health Plan",
  policy: "TMS medical policy",
  service: "tms",
  serviceLabel: "Transcranial magnetic stimulation (TMS)",
  effectiveFrom: "2026-01-01",
  effectiveTo: "2026-12-31",
  verified: true,
  clinicFile: "harbour-rules.json",
});

export const ALL_RULE_SETS = [aetnaKetamine, aetnaSpravato, carefirst, cigna, clinicTms];

export function criterion(overrides: Partial<CriterionView> = {}): CriterionView {
  return {
    id: "age",
    label: "Age 18 or older",
    status: "met",
    statusLabel: "Met",
    explanation: "45 years old on the date of service.",
    fix: null,
    evidence: [],
    verified: true,
    note: null,
    decidesEligibility: true,
    needsProvider: true,
    ...overrides,
  };
}

/** One criterion of each status, with fixes, evidence, a provider gap and an unverified rule. */
export const FOUR_STATUSES: CriterionView[] = [
  criterion({
    evidence: [{ kind: "patient", id: 7, date: "1981-02-14", label: "Date of birth 14-Feb-1981" }],
  }),
  criterion({
    id: "trials",
    label: "2 or more antidepressant trials of 6 weeks or more",
    status: "not_met",
    statusLabel: "Not met",
    explanation: "Only sertraline counts: the venlafaxine trial lasted 4 weeks.",
    fix: "Record a second adequate antidepressant trial in this episode",
    evidence: [
      { kind: "trial", id: 11, date: "2024-10-01", label: "sertraline 200 mg/day, 11 weeks" },
    ],
    decidesEligibility: false,
  }),
  criterion({
    id: "baseline_score",
    label: "Baseline severity on a rating scale",
    status: "insufficient",
    statusLabel: "Insufficient documentation",
    explanation: "The screening has no PHQ-9 within 30 days.",
    fix: "Record a PHQ-9 within 30 days before the date of service",
    evidence: [
      { kind: "screening", id: 40, date: "2026-03-02", label: "Spravato screening 02-Mar-2026" },
    ],
    verified: false,
    note: "The payer's policy does not give the time window.",
    decidesEligibility: false,
  }),
  criterion({
    id: "concomitant",
    label: "Taken with an oral antidepressant",
    status: "not_applicable",
    statusLabel: "Not applicable",
    explanation: "Not required from 01-Jan-2026.",
    needsProvider: false,
  }),
];

export function evaluation(overrides: Partial<EvaluationView> = {}): EvaluationView {
  return {
    ruleSetId: "cigna-spravato-trd",
    ruleSetVersion: "2025-01",
    payer: "Cigna",
    policy: "Spravato (esketamine nasal spray)",
    service: "spravato_trd",
    serviceLabel: "Spravato (esketamine) for treatment-resistant depression",
    on: "2026-03-27",
    ruleSetVerified: true,
    verdict: "gaps_to_fix",
    verdictLabel: "Gaps to fix",
    summary: "1 met, 1 not met, 1 need documentation: gaps to fix.",
    criteria: FOUR_STATUSES,
    pathways: [],
    bestPathway: null,
    notCoveredReason: null,
    met: 1,
    notMet: 1,
    insufficient: 1,
    orderingProvider: "Dr Amara Okafor (signed the latest evaluation)",
    ...overrides,
  };
}
