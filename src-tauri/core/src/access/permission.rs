//! The things a signed-in user can be allowed to do.

/// One permission per kind of operation. Later features add their own (clinical charting,
/// signing, coverage, prior authorization) and the policy table grows with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Patient list, search and demographics (every role: billing needs them to find a chart).
    ReadPatients,
    /// Register a patient and correct demographics (front desk work; not clinical content).
    EditPatients,
    /// The clinical record: treatment history, diagnoses, screenings (billing reads it to build
    /// prior authorizations: minimum necessary for that job).
    ReadClinical,
    /// Enter and correct clinical facts (providers and nurses; never billing).
    EditClinical,
    /// Sign evaluations and screenings, and add signed addenda (providers only).
    SignClinical,
    /// A patient's insurance coverage (registration and billing work; providers and nurses too).
    EditCoverage,
    /// The clinic's payer list (admins and billing).
    ManagePayers,
    /// Add, disable, re-enable users, reset their passwords, change roles, new recovery key.
    ManageUsers,
    /// Read, verify and export the audit log.
    ReadAudit,
    /// Back up, list and verify backups; change the backup settings.
    ManageBackups,
    /// Replace the live database with a backup.
    Restore,
    /// Clinic-wide settings (idle lock time).
    ManageSettings,
    /// File regulatory paperwork about signed records: mark a Spravato REMS monitoring form
    /// submitted (providers, nurses and billing staff all do this in small clinics).
    SubmitForms,
    /// Prior authorization: check a patient against payer rule sets, build packets, track
    /// requests and their decisions, and ask a provider for a missing clinical fact (a chart
    /// task). Billing staff and providers; never edits clinical facts.
    ManageAuthorizations,
    /// The clinic's payer rule sets (import a file, link rule sets to payers) and its self-pay
    /// fee schedule (billing staff and admins).
    ManagePayerRules,
    /// The document store: import, describe, link and remove documents (outside records,
    /// insurance cards, payer letters); prepare and sign consents and ABNs as the witnessing
    /// staff member. Providers, nurses and billing staff.
    ManageDocuments,
}

impl Permission {
    pub const ALL: [Permission; 16] = [
        Permission::ReadPatients,
        Permission::EditPatients,
        Permission::ReadClinical,
        Permission::EditClinical,
        Permission::SignClinical,
        Permission::EditCoverage,
        Permission::ManagePayers,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ManageBackups,
        Permission::Restore,
        Permission::ManageSettings,
        Permission::SubmitForms,
        Permission::ManageAuthorizations,
        Permission::ManagePayerRules,
        Permission::ManageDocuments,
    ];

    /// Said to a user whose roles do not include this permission.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadPatients => "view patients",
            Permission::EditPatients => "register patients or change their details",
            Permission::ReadClinical => "view the clinical record",
            Permission::EditClinical => "change the clinical record",
            Permission::SignClinical => "sign clinical records (providers sign)",
            Permission::EditCoverage => "change insurance coverage",
            Permission::ManagePayers => "change the payer list",
            Permission::ManageUsers => "manage users",
            Permission::ReadAudit => "view the audit log",
            Permission::ManageBackups => "manage backups",
            Permission::Restore => "restore a backup",
            Permission::ManageSettings => "change clinic settings",
            Permission::SubmitForms => "file REMS forms",
            Permission::ManageAuthorizations => "work on prior authorizations",
            Permission::ManagePayerRules => "change the payer rule sets or the fee schedule",
            Permission::ManageDocuments => "import and link documents, prepare and sign consents",
        }
    }
}
