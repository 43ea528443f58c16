//! A request's status and which status may follow which. The table is the only place that
//! decides it; `transition.rs` asks it and says what is possible when a change is refused.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Being put together.
    Draft,
    /// The packet is complete (or a provider recorded why it may go with gaps).
    Ready,
    /// Sent to the payer.
    Submitted,
    /// The payer acknowledged it and is reviewing (or asked for more).
    Pending,
    Approved,
    /// Approved with fewer units, codes or days than asked for.
    PartiallyApproved,
    Denied,
    /// The denial is being appealed.
    Appealed,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 8] = [
        RequestStatus::Draft,
        RequestStatus::Ready,
        RequestStatus::Submitted,
        RequestStatus::Pending,
        RequestStatus::Approved,
        RequestStatus::PartiallyApproved,
        RequestStatus::Denied,
        RequestStatus::Appealed,
    ];

    /// The stored text (the database CHECK lists the same words; never rename).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Draft => "draft",
            RequestStatus::Ready => "ready",
            RequestStatus::Submitted => "submitted",
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::PartiallyApproved => "partially_approved",
            RequestStatus::Denied => "denied",
            RequestStatus::Appealed => "appealed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Draft => "Draft",
            RequestStatus::Ready => "Ready to submit",
            RequestStatus::Submitted => "Submitted",
            RequestStatus::Pending => "Pending with the payer",
            RequestStatus::Approved => "Approved",
            RequestStatus::PartiallyApproved => "Partially approved",
            RequestStatus::Denied => "Denied",
            RequestStatus::Appealed => "Appealed",
        }
    }

    /// How moving to this status is said ("it can be submitted").
    fn verb(self) -> &'static str {
        match self {
            RequestStatus::Draft => "reopened as a draft",
            RequestStatus::Ready => "marked ready",
            RequestStatus::Submitted => "marked submitted",
            RequestStatus::Pending => "marked pending",
            RequestStatus::Approved => "approved",
            RequestStatus::PartiallyApproved => "partially approved",
            RequestStatus::Denied => "denied",
            RequestStatus::Appealed => "appealed",
        }
    }

    /// The statuses that may follow this one.
    pub fn next(self) -> &'static [RequestStatus] {
        use RequestStatus as S;
        match self {
            S::Draft => &[S::Ready],
            S::Ready => &[S::Draft, S::Submitted],
            S::Submitted => &[S::Pending, S::Approved, S::PartiallyApproved, S::Denied],
            S::Pending => &[S::Approved, S::PartiallyApproved, S::Denied],
            S::Appealed => &[S::Approved, S::PartiallyApproved, S::Denied],
            S::Denied => &[S::Appealed],
            S::Approved | S::PartiallyApproved => &[],
        }
    }

    pub fn can_move_to(self, to: RequestStatus) -> bool {
        self.next().contains(&to)
    }

    /// Before the packet goes out: the request itself may still be edited.
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Draft | RequestStatus::Ready)
    }

    /// With the payer, waiting for a decision.
    pub fn awaits_decision(self) -> bool {
        matches!(
            self,
            RequestStatus::Submitted | RequestStatus::Pending | RequestStatus::Appealed
        )
    }

    /// Why a change to `to` is refused: the current status and what is possible from it.
    pub fn refusal(self, to: RequestStatus) -> String {
        let now = self.label().to_lowercase();
        let next = self.next();
        if next.is_empty() {
            return format!(
                "This request is {now}, which is final: it cannot be {}. Start a re-authorization instead",
                to.verb()
            );
        }
        let options: Vec<&str> = next.iter().map(|s| s.verb()).collect();
        let options = match options.as_slice() {
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
            [] => String::new(),
        };
        format!(
            "This request is {now}, so it cannot be {}; it can only be {options}",
            to.verb()
        )
    }

    /// Order in the work queue after the decision clocks: what needs someone's hand first.
    pub(crate) fn queue_rank(self) -> u8 {
        match self {
            RequestStatus::Ready => 0,
            RequestStatus::Submitted => 1,
            RequestStatus::Pending => 2,
            RequestStatus::Appealed => 3,
            RequestStatus::Denied => 4,
            RequestStatus::Draft => 5,
            RequestStatus::PartiallyApproved => 6,
            RequestStatus::Approved => 7,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_parse_back() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(RequestStatus::parse("approved "), None);
    }

    #[test]
    fn the_transition_table() {
        use RequestStatus as S;
        assert!(S::Draft.can_move_to(S::Ready));
        assert!(!S::Draft.can_move_to(S::Approved));
        assert!(!S::Draft.can_move_to(S::Submitted));
        assert!(S::Ready.can_move_to(S::Draft));
        assert!(S::Ready.can_move_to(S::Submitted));
        for from in [S::Submitted, S::Pending, S::Appealed] {
            for to in [S::Approved, S::PartiallyApproved, S::Denied] {
                assert!(from.can_move_to(to), "{from:?} → {to:?}");
            }
        }
        assert!(S::Submitted.can_move_to(S::Pending));
        assert!(!S::Pending.can_move_to(S::Submitted));
        assert!(S::Denied.can_move_to(S::Appealed));
        assert!(!S::Approved.can_move_to(S::Appealed));
        assert!(S::Approved.next().is_empty());
    }

    #[test]
    fn refusals_name_the_status_and_the_options() {
        let m = RequestStatus::Draft.refusal(RequestStatus::Approved);
        assert_eq!(
            m,
            "This request is draft, so it cannot be approved; it can only be marked ready"
        );
        let m = RequestStatus::Submitted.refusal(RequestStatus::Appealed);
        assert!(
            m.contains("submitted")
                && m.contains("marked pending, approved, partially approved or denied"),
            "{m}"
        );
        assert!(RequestStatus::Approved
            .refusal(RequestStatus::Denied)
            .contains("final"));
    }
}
