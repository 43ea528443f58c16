//! The kinds of clinical record kept as validated documents (the medication trials have their
//! own table: the prior-authorization rules query their columns).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Coverage,
    Diagnosis,
    Episode,
    Psychotherapy,
    OtherTreatment,
    Screening,
    Evaluation,
    Course,
    Session,
}

impl RecordKind {
    pub const ALL: [RecordKind; 9] = [
        RecordKind::Coverage,
        RecordKind::Diagnosis,
        RecordKind::Episode,
        RecordKind::Psychotherapy,
        RecordKind::OtherTreatment,
        RecordKind::Screening,
        RecordKind::Evaluation,
        RecordKind::Course,
        RecordKind::Session,
    ];

    /// The stored text (never rename: the database CHECK and exported files use it).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Coverage => "coverage",
            RecordKind::Diagnosis => "diagnosis",
            RecordKind::Episode => "episode",
            RecordKind::Psychotherapy => "psychotherapy",
            RecordKind::OtherTreatment => "other_treatment",
            RecordKind::Screening => "screening",
            RecordKind::Evaluation => "evaluation",
            RecordKind::Course => "course",
            RecordKind::Session => "session",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Records that are drafts until a provider signs them, and frozen after (decisions.md:
    /// evaluations and screenings; treatment sessions).
    pub fn is_signable(self) -> bool {
        matches!(
            self,
            RecordKind::Screening | RecordKind::Evaluation | RecordKind::Session
        )
    }

    /// Coverage is registration work (billing keeps it); the rest is clinical.
    pub fn is_clinical(self) -> bool {
        !matches!(self, RecordKind::Coverage)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Coverage => "coverage",
            RecordKind::Diagnosis => "diagnosis",
            RecordKind::Episode => "depressive episode",
            RecordKind::Psychotherapy => "psychotherapy course",
            RecordKind::OtherTreatment => "other treatment",
            RecordKind::Screening => "safety screening",
            RecordKind::Evaluation => "evaluation",
            RecordKind::Course => "treatment course",
            RecordKind::Session => "treatment session",
        }
    }
}
