//! A payer's prior-authorization rule set, as data (`core/reference/pa-rules.v1.json`, or a file
//! the clinic imports). The shape is published as JSON Schema (`core/reference/pa-rules.schema.json`,
//! generated from these types and checked by a test). Every field is optional except the identity,
//! the dates and the sources: a criterion a rule set does not carry is reported as "not in rule
//! set", never guessed (decisions.md).
//!
//! Parameters follow the domain reference's normalised adequate-trial model (§1.3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::service::Service;

pub const FORMAT: &str = "ketachart-pa-rules";
pub const SCHEMA_VERSION: u32 = 1;

/// A file of rule sets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSetFile {
    /// Always `ketachart-pa-rules`.
    pub format: String,
    /// Version of this schema (1).
    pub schema_version: u32,
    /// When the file was published (`YYYY-MM-DD`).
    pub published: String,
    /// Source tags used by the rule sets, with their citation.
    pub sources: std::collections::BTreeMap<String, String>,
    pub rule_sets: Vec<RuleSet>,
}

/// One payer policy for one service, for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    /// Stable identifier, lower case with dashes (`cigna-spravato-trd`). Several versions of one
    /// policy share the id and differ in `version` and effective dates.
    pub id: String,
    /// This version's label, usually the policy's effective date or revision (`2026-01`).
    pub version: String,
    /// The payer as a clinic would name it (`Cigna`).
    pub payer: String,
    /// The policy's title or number (`RX501.105`).
    pub policy: String,
    pub service: Service,
    /// First day this version applies (`YYYY-MM-DD`).
    pub effective_from: String,
    /// Last day this version applies, if it has ended.
    #[serde(default)]
    pub effective_to: Option<String>,
    /// Source tags (keys of the file's `sources`).
    pub sources: Vec<String>,
    /// False when the reference marks the policy (or a value in it) UNVERIFIED: the UI labels
    /// it "Requires review".
    pub verified: bool,
    /// Whether the payer covers the service at all.
    pub coverage: CoverageStatus,
    /// Why it is not covered (shown on the self-pay path).
    #[serde(default)]
    pub not_covered_reason: Option<String>,
    /// A free-text note shown with the rule set.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub criteria: Criteria,
    /// Alternative routes to meeting the treatment-history requirement; the engine evaluates
    /// each and reports the best. Empty when the policy has no treatment-history rule.
    #[serde(default)]
    pub pathways: Vec<Pathway>,
    #[serde(default)]
    pub approval: Option<Approval>,
    #[serde(default)]
    pub reauthorization: Option<Reauthorization>,
    /// Criteria the policy has but the reference lacks; each is shown as "not in rule set".
    #[serde(default)]
    pub not_in_rule_set: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    Covered,
    /// Experimental, investigational or otherwise excluded: the self-pay path.
    NotCovered,
}

/// Criteria that do not depend on the pathway. Each is absent when the policy does not say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Criteria {
    #[serde(default)]
    pub age: Option<AgeRule>,
    #[serde(default)]
    pub prescriber: Option<PrescriberRule>,
    #[serde(default)]
    pub diagnosis: Option<DiagnosisRule>,
    #[serde(default)]
    pub episode: Option<EpisodeRule>,
    #[serde(default)]
    pub psychosis: Option<PsychosisRule>,
    #[serde(default)]
    pub substance_use: Option<SubstanceUseRule>,
    #[serde(default)]
    pub baseline_score: Option<BaselineScoreRule>,
    #[serde(default)]
    pub suicidal_ideation: Option<SuicidalIdeationRule>,
    #[serde(default)]
    pub contraindications: Option<ContraindicationRule>,
    #[serde(default)]
    pub concomitant_oral_antidepressant: Option<ConcomitantRule>,
    #[serde(default)]
    pub rems: Option<RemsRule>,
    #[serde(default)]
    pub pdmp: Option<PdmpRule>,
    #[serde(default)]
    pub pregnancy: Option<PregnancyRule>,
}

/// Common to every criterion: where it comes from and whether it is verified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Provenance {
    /// Source tags; empty means the rule set's own sources.
    #[serde(default)]
    pub sources: Vec<String>,
    /// False marks a value the reference has as UNVERIFIED or conflicting.
    #[serde(default = "yes")]
    pub verified: bool,
    /// The policy's own words or a caveat, shown with the criterion.
    #[serde(default)]
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

/// Age on the date of service: `min <= age`, and `age < under` when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgeRule {
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub under: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrescriberType {
    Psychiatrist,
    PsychiatricNursePractitioner,
    /// Any prescriber whose practice is mental health (e.g. BCBS ND: "including PMHNP").
    MentalHealthPrescriber,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrescriberRule {
    /// Specialties allowed to order.
    pub allowed: Vec<PrescriberType>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// ICD-10-CM codes. An entry ending in `*` is a prefix (`F31*` = every F31 code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiagnosisRule {
    /// At least one active diagnosis must match; empty = any.
    #[serde(default)]
    pub include: Vec<String>,
    /// No active diagnosis may match.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MinSeverity {
    Moderate,
    Severe,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EpisodeRule {
    /// A current major depressive episode must be recorded.
    #[serde(default)]
    pub current_required: bool,
    /// The episode's recorded severity must be at least this.
    #[serde(default)]
    pub min_severity: Option<MinSeverity>,
    /// The episode must have been confirmed by a structured clinical interview (e.g. SCID).
    #[serde(default)]
    pub structured_interview: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PsychosisHandling {
    /// Psychotic features exclude the patient.
    Exclude,
    /// Allowed when the prescriber attests that benefit outweighs risk.
    Attestation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PsychosisRule {
    pub handling: PsychosisHandling,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubstanceUseRule {
    /// Substance use recorded on the screening excludes unless the prescriber attests remission
    /// of at least this many months (0 = no remission route).
    #[serde(default)]
    pub remission_months: u32,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoreThreshold {
    /// Instrument id from the instrument reference (`phq9`, `madrs`, `hamd17`, `qids_sr16`, `bdi2`).
    pub instrument: String,
    /// Total at or above this qualifies.
    pub at_least: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BaselineScoreRule {
    /// Any one of these on the most recent administration of that instrument qualifies; an
    /// empty list means "a dated standardised score", whatever its value.
    #[serde(default)]
    pub any_of: Vec<ScoreThreshold>,
    /// The qualifying score must be at most this many days old on the date of service.
    #[serde(default)]
    pub max_age_days: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// MDSI: acute suicidal ideation or behaviour documented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuicidalIdeationRule {
    /// Evidence (R45.851, a PHQ-9 item 9 flag, a C-SSRS moderate/high triage) within this many days.
    pub within_days: u32,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContraindicationRule {
    /// The service's safety screening must be at most this many days old.
    #[serde(default)]
    pub max_age_days: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConcomitantRule {
    /// An oral antidepressant must be ongoing on the date of service.
    pub required: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemsRule {
    /// The clinic must be a REMS-certified setting (its REMS setting ID on the clinic profile).
    pub certified_setting: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PdmpRule {
    /// The PDMP check on the screening must be at most this many days old.
    #[serde(default)]
    pub max_age_days: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PregnancyRule {
    /// Pregnancy or breastfeeding recorded on the screening excludes.
    pub excludes: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// One way of meeting the treatment-history requirement ("option 1 OR option 2").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pathway {
    /// Short id, unique in the rule set (`a`, `augmentation`, `psychotherapy`).
    pub id: String,
    /// As the policy words it.
    pub label: String,
    #[serde(default)]
    pub antidepressant_trials: Option<TrialRule>,
    #[serde(default)]
    pub augmentation_trials: Option<TrialRule>,
    #[serde(default)]
    pub psychotherapy: Option<PsychotherapyRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeScope {
    /// Every counted trial must be in the current episode.
    All,
    /// At least one counted trial must be in the current episode.
    AtLeastOne,
    /// Trials from any episode count.
    Any,
}

/// Failed trials of antidepressants (or augmentation agents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrialRule {
    /// How many failed trials are needed.
    pub min_trials: u32,
    /// How many distinct antidepressant classes they must span (0 = no class rule).
    #[serde(default)]
    pub distinct_classes: u32,
    /// Whole weeks at or above the minimum therapeutic dose (`weeks = floor(days / 7)`, `>=`).
    pub min_weeks: u32,
    /// Adherence percentage required (e.g. 80).
    #[serde(default)]
    pub min_adherence_percent: Option<u8>,
    pub episode: EpisodeScope,
    /// Only trials that ended (or are ongoing) within this many years count.
    #[serde(default)]
    pub lookback_years: Option<u32>,
    /// A trial with pre/post scores counts as failed only if it improved by at most this
    /// percentage (Cigna: 25).
    #[serde(default)]
    pub non_response_max_improvement_percent: Option<f64>,
    /// A trial stopped for documented intolerance counts whatever its duration.
    #[serde(default)]
    pub intolerance_counts: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PsychotherapyRule {
    /// Modalities that count (`cbt`, `ipt`, `schema`, `pe`, ...); empty = any evidence-based one.
    #[serde(default)]
    pub modalities: Vec<String>,
    /// Minimum number of sessions, when the policy sets one.
    #[serde(default)]
    pub min_sessions: Option<u32>,
    #[serde(default)]
    pub current_episode: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Approval {
    /// Length of an initial approval.
    #[serde(default)]
    pub initial_months: Option<u32>,
    #[serde(default)]
    pub initial_days: Option<u32>,
    /// Most sessions (or devices, see the note) an approval covers.
    #[serde(default)]
    pub max_sessions: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reauthorization {
    /// Improvement from baseline on the same instrument that counts as benefit.
    #[serde(default)]
    pub min_improvement_percent: Option<f64>,
    /// Still on an oral antidepressant.
    #[serde(default)]
    pub concomitant_oral_antidepressant: bool,
    #[serde(default)]
    pub approval_months: Option<u32>,
    #[serde(flatten)]
    pub provenance: Provenance,
}
