//! The role → permission table. A user holding several roles gets the union.
//!
//! - admin: users, audit, backups, restore, settings; patients (small clinics' office managers
//!   register patients too).
//! - provider: patients and coverage; reads, edits and signs the clinical record.
//! - nurse: patients and coverage; reads and edits the clinical record; never signs.
//! - billing: patients and coverage, the payer list; reads the clinical record to build prior
//!   authorizations (checks, packets, requests, chart tasks); never edits it.
//! - admin also keeps the payer list and registers coverage (front desk).
//! - admin alone: no clinical access (a clinic's psychiatrist who is also admin holds both roles).

use super::Permission;
use crate::user::Role;

pub fn role_allows(role: Role, p: Permission) -> bool {
    use Permission as P;
    match role {
        Role::Admin => matches!(
            p,
            P::ReadPatients
                | P::EditPatients
                | P::ManageUsers
                | P::ReadAudit
                | P::ManageBackups
                | P::Restore
                | P::ManageSettings
                | P::EditCoverage
                | P::ManagePayers
                | P::ManagePayerRules
        ),
        Role::Provider => matches!(
            p,
            P::ReadPatients
                | P::EditPatients
                | P::ReadClinical
                | P::EditClinical
                | P::SignClinical
                | P::EditCoverage
                | P::SubmitForms
                | P::ManageAuthorizations
                | P::ManageDocuments
        ),
        Role::Nurse => matches!(
            p,
            P::ReadPatients
                | P::EditPatients
                | P::ReadClinical
                | P::EditClinical
                | P::EditCoverage
                | P::SubmitForms
                | P::ManageDocuments
        ),
        Role::Billing => matches!(
            p,
            P::ReadPatients
                | P::EditPatients
                | P::ReadClinical
                | P::EditCoverage
                | P::ManagePayers
                | P::SubmitForms
                | P::ManageAuthorizations
                | P::ManagePayerRules
                | P::ManageDocuments
        ),
    }
}

pub fn allows(roles: &[Role], p: Permission) -> bool {
    roles.iter().any(|r| role_allows(*r, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_the_vault() {
        for p in [
            Permission::ManageUsers,
            Permission::ReadAudit,
            Permission::ManageBackups,
            Permission::Restore,
            Permission::ManageSettings,
        ] {
            assert!(allows(&[Role::Admin], p));
            for r in [Role::Provider, Role::Nurse, Role::Billing] {
                assert!(!allows(&[r], p), "{r:?} must not {p:?}");
            }
        }
    }

    #[test]
    fn no_roles_no_access() {
        for p in Permission::ALL {
            assert!(!allows(&[], p));
        }
    }

    #[test]
    fn billing_reads_but_never_edits_the_clinical_record() {
        assert!(allows(&[Role::Billing], Permission::ReadClinical));
        assert!(!allows(&[Role::Billing], Permission::EditClinical));
        assert!(!allows(&[Role::Admin], Permission::ReadClinical));
        assert!(allows(&[Role::Nurse], Permission::EditClinical));
    }

    #[test]
    fn only_providers_sign() {
        assert!(allows(&[Role::Provider], Permission::SignClinical));
        for r in [Role::Nurse, Role::Billing, Role::Admin] {
            assert!(!allows(&[r], Permission::SignClinical), "{r:?}");
        }
    }

    #[test]
    fn roles_combine() {
        assert!(allows(
            &[Role::Provider, Role::Admin],
            Permission::ManageUsers
        ));
    }
}
