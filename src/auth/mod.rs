//! Who is calling and what they may do. Roles and the one permission table
//! live here ([`allows`]); passwords, session and token secrets beside it.
//! Reading credentials off a request is `web::session`'s job.

pub mod password;
pub mod secret;
pub mod store;

use std::sync::Arc;

/// A signed-in user's role. The anonymous public has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Staff,
    Interpreter,
    Enterprise,
    Oversight,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Admin, Role::Staff, Role::Interpreter, Role::Enterprise, Role::Oversight];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Interpreter => "interpreter",
            Role::Enterprise => "enterprise",
            Role::Oversight => "oversight",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// Fluent key of the role's display name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.code())
    }
}

/// What a caller may be allowed to do. Each route names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// Their own profile and the module list (`/dashboard`, `/api/v1/me`).
    SignedIn,
    /// Read the zones of the centers in scope.
    ViewZones,
    /// Create users and change roles in their center.
    ManageUsers,
    /// Edit the center's zones and settings.
    ManageCenter,
    /// Browse the audit log of their center.
    ViewAudit,
    /// See rooms, calendars and availability.
    ViewVenues,
    /// Ask for rooms (enterprise requests always wait for approval).
    BookRooms,
    /// Create and edit rooms and blackouts.
    ManageRooms,
    /// Decide what waits in the approval inbox.
    DecideApprovals,
    /// See what waits in the approval inbox (and be told of each new
    /// request), without deciding it.
    SeeApprovals,
    /// Book a room without an approval (except rooms that always need one).
    BookDirectly,
    /// Read the figures of the centers in scope (visits and events received):
    /// those who run a center, and the accrediting office that oversees it.
    ViewFigures,
    /// See every booking of the center, not only one's own.
    SeeAllBookings,
    /// Cancel or move any booking of the center, not only one's own.
    ChangeAnyBooking,
    /// See and run delegation visits, their members, itinerary and protocol.
    ManageVisits,
    /// See one's own interpreting assignments and accept or decline them.
    Interpret,
    /// Set who interprets which languages.
    ManageInterpreters,
    /// Create and run events, registrations and check-in.
    ManageEvents,
    /// Run the exhibition hall: its calendar and rules, reservations, the door.
    ManageHall,
    /// Read the glossary, check texts against it, propose terms, see findings.
    ViewGlossary,
    /// Approve, change, deprecate and remove terms (the center's translators).
    ManageGlossary,
    /// Draft, edit and submit news articles (writers and translators).
    WriteNews,
    /// Approve, publish and withdraw articles; decide "Chinese only" (the
    /// senior editor, 审核校对).
    PublishNews,
    /// Register, word, install and audit the center's signs (reviewing
    /// their English needs `ManageGlossary` too).
    ManageSigns,
    /// Register enterprises, their contacts and who logs in for them.
    ManageEnterprises,
    /// Define the service catalogue: forms, checklists, SLAs, item
    /// categories and the center's own working days.
    ManageCatalogue,
    /// Work enterprises' requests: the queue, review, moves, messages,
    /// the white list (import-export officers).
    HandleRequests,
    /// File and follow one's own enterprise's requests (enterprise users).
    FileRequests,
    /// Subscribe webhooks: the center's own (admin), or one's enterprise's.
    ManageWebhooks,
}

/// The permission table: the only place that says who may do what.
pub fn allows(role: Option<Role>, perm: Perm) -> bool {
    use Role::*;
    let Some(role) = role else {
        return false;
    };
    match perm {
        Perm::SignedIn | Perm::ViewZones => true,
        Perm::ManageUsers | Perm::ManageCenter | Perm::ViewAudit => role == Admin,
        Perm::ViewVenues => matches!(role, Admin | Staff | Interpreter | Enterprise),
        Perm::BookRooms => matches!(role, Admin | Staff | Enterprise),
        Perm::ManageRooms | Perm::DecideApprovals => role == Admin,
        Perm::SeeApprovals | Perm::BookDirectly => matches!(role, Admin | Staff),
        Perm::ViewFigures => matches!(role, Admin | Staff | Oversight),
        Perm::SeeAllBookings
        | Perm::ChangeAnyBooking
        | Perm::ManageVisits
        | Perm::ManageEvents
        | Perm::ManageHall => {
            matches!(role, Admin | Staff)
        }
        Perm::Interpret => matches!(role, Admin | Staff | Interpreter),
        Perm::ManageInterpreters => role == Admin,
        Perm::ViewGlossary => matches!(role, Admin | Staff | Interpreter),
        Perm::ManageGlossary => matches!(role, Admin | Interpreter),
        Perm::WriteNews => matches!(role, Admin | Staff | Interpreter),
        Perm::PublishNews => role == Admin,
        Perm::ManageSigns => matches!(role, Admin | Staff | Interpreter),
        Perm::ManageEnterprises | Perm::HandleRequests => matches!(role, Admin | Staff),
        Perm::ManageCatalogue => role == Admin,
        Perm::FileRequests => role == Enterprise,
        Perm::ManageWebhooks => matches!(role, Admin | Enterprise),
    }
}

/// A signed-in user as the request sees them.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The user's own center (none for oversight).
    pub center_id: Option<String>,
    /// Centers whose records this user may read: their own, or those overseen.
    pub scope: Vec<String>,
    /// The session's CSRF token; `None` when authenticated by bearer token.
    pub csrf_token: Option<String>,
}

/// The caller of a request.
#[derive(Debug, Clone, Default)]
pub enum Actor {
    #[default]
    Anonymous,
    User(Arc<CurrentUser>),
}

impl Actor {
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Anonymous => None,
            Actor::User(u) => Some(u.role),
        }
    }

    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Actor::Anonymous => None,
            Actor::User(u) => Some(u),
        }
    }

    pub fn can(&self, perm: Perm) -> bool {
        allows(self.role(), perm)
    }

    /// A label for the audit log.
    pub fn label(&self) -> String {
        match self {
            Actor::Anonymous => "anonymous".into(),
            Actor::User(u) => u.email.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn the_public_may_do_nothing_that_needs_a_login() {
        for p in [Perm::SignedIn, Perm::ViewZones, Perm::ManageUsers, Perm::ManageCenter] {
            assert!(!allows(None, p));
        }
    }

    #[test]
    fn only_admins_manage() {
        for r in Role::ALL {
            assert!(allows(Some(r), Perm::SignedIn));
            assert_eq!(allows(Some(r), Perm::ManageUsers), r == Role::Admin);
            assert_eq!(allows(Some(r), Perm::ManageCenter), r == Role::Admin);
            assert_eq!(allows(Some(r), Perm::ViewAudit), r == Role::Admin);
        }
    }
}
