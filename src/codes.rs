//! Closed vocabularies stored as short codes (`embassy_consulate`,
//! `in_progress`…): one macro gives each its `ALL`, `code`, `parse` and the
//! Fluent key of its name, so no slice writes that boilerplate by hand.

/// `codes!(pub enum Kind, "prefix" { A = "a", B = "b" })` — the Fluent key of
/// `Kind::A` is `prefix-a` (underscores become hyphens).
#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* $vis:vis enum $name:ident, $prefix:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == s.trim())
            }

            /// The code exactly as written (the API, whose document lists
            /// the codes: a padded code is not one of them).
            pub fn exact(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == s)
            }

            /// Fluent key of the name shown to people.
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.code().replace('_', "-"))
            }

            /// The OpenAPI schema of a string field holding one of these
            /// codes (`#[schema(schema_with = Kind::openapi)]`).
            pub fn openapi() -> utoipa::openapi::schema::Object {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .build()
            }

            /// As [`Self::openapi`], for an optional field: empty is allowed.
            pub fn openapi_or_empty() -> utoipa::openapi::schema::Object {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(["", $($code),+]))
                    .build()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
