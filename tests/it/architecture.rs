//! The shape of the code, checked: the router and the OpenAPI document are
//! one list (probed through the router itself), and the module imports of
//! `src/` have no circle, no reach into another domain's store, and no
//! shared module that leans on a domain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::extract::MatchedPath;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use tower::ServiceExt;

use crate::helpers::TestApp;

/// Every documented operation is served at its documented method and path,
/// and no other method is served on a documented path — asked of the router
/// itself: a layer on matched routes reports which route answered.
#[tokio::test]
async fn the_router_serves_exactly_the_documented_operations() {
    let app = TestApp::empty().await;
    let (api, doc) = liaison::router::api();
    let doc = serde_json::to_value(&doc).unwrap();
    let report = || {
        middleware::from_fn(|req: axum::extract::Request, next: Next| async move {
            let matched = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
            let mut res = next.run(req).await;
            if let Some(m) = matched.and_then(|m| HeaderValue::from_str(&m).ok()) {
                res.headers_mut().insert("x-test-matched", m);
            }
            res
        })
    };
    // The whole application, for what is served; the API routes alone (no
    // sign-in or CSRF layer in front) for which methods each path takes.
    let router = app.router.clone().route_layer(report());
    let api = api.with_state(app.state.clone()).route_layer(report());
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 40, "the document lists {} paths", paths.len());
    let all = ["get", "post", "put", "patch", "delete"];
    let mut operations = 0;
    for (template, item) in paths {
        assert!(template == "/healthz" || template.starts_with("/api/v1/"), "{template}");
        // A concrete path for the template: each `{param}` becomes a word.
        let concrete: String = template
            .split('/')
            .map(|s| if s.starts_with('{') { "x0" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in all {
            let documented = item.get(method).is_some();
            operations += usize::from(documented);
            let req = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
                .uri(&concrete)
                .header("content-type", "application/json")
                .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [127, 0, 0, 1],
                    9,
                ))))
                .body(axum::body::Body::from("{}"))
                .unwrap();
            let res = if documented {
                router.clone().oneshot(req).await.unwrap()
            } else {
                api.clone().oneshot(req).await.unwrap()
            };
            let matched =
                res.headers().get("x-test-matched").map(|v| v.to_str().unwrap().to_string());
            if documented {
                assert_eq!(
                    matched.as_deref(),
                    Some(template.as_str()),
                    "{method} {template} is not served"
                );
                assert_ne!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {template}");
            } else {
                assert!(
                    res.status() == StatusCode::METHOD_NOT_ALLOWED
                        || matched.as_deref() != Some(template.as_str()),
                    "{method} {template} is served ({}) but not documented",
                    res.status()
                );
            }
        }
    }
    assert!(operations > 60, "{operations} operations");
    // The document served is the one the router was built with.
    let served = app.client().get("/api/v1/openapi.json").await.json();
    assert_eq!(served["paths"], doc["paths"]);
}

/// One source file as a module of the crate (`domains::events::event::service`).
struct Module {
    name: String,
    syntax: syn::File,
}

fn modules() -> Vec<Module> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    // LIAISON_ARCH_SRC measures another checkout's `src/` (for before/after figures).
    let src = std::env::var("LIAISON_ARCH_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut files = vec![];
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|file| {
            let rel = file.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> =
                rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let syntax =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            Module { name: parts.join("::"), syntax }
        })
        .collect()
}

/// The crate modules one file refers to, by `use` or by path.
fn references(m: &Module, known: &BTreeSet<String>) -> BTreeSet<String> {
    use syn::visit::Visit;

    struct Refs<'a> {
        here: Vec<String>,
        aliases: BTreeMap<String, Vec<String>>,
        known: &'a BTreeSet<String>,
        found: BTreeSet<String>,
    }

    impl Refs<'_> {
        /// Absolute segments of a path as written here, if it names the crate.
        fn absolute(&self, segs: &[String]) -> Option<Vec<String>> {
            let (first, rest) = segs.split_first()?;
            let mut base = match first.as_str() {
                "crate" => vec![],
                "self" => self.here.clone(),
                "super" => {
                    let mut b = self.here.clone();
                    b.pop();
                    let mut rest = rest;
                    while rest.first().is_some_and(|s| s == "super") {
                        b.pop();
                        rest = &rest[1..];
                    }
                    b.extend(rest.iter().cloned());
                    return Some(b);
                }
                other => {
                    if let Some(target) = self.aliases.get(other) {
                        target.clone()
                    } else {
                        // A child module of this one, named bare.
                        let mut child = self.here.clone();
                        child.push(other.to_string());
                        if self.known.contains(&child.join("::")) {
                            child
                        } else {
                            return None;
                        }
                    }
                }
            };
            base.extend(rest.iter().cloned());
            Some(base)
        }

        fn note(&mut self, segs: &[String]) {
            let Some(abs) = self.absolute(segs) else { return };
            for len in (1..=abs.len()).rev() {
                let name = abs[..len].join("::");
                if self.known.contains(&name) {
                    // A module naming its own child (declaring it, or
                    // re-exporting from it) contains it; that is no import.
                    let here = self.here.join("::");
                    let child = here.is_empty() || name.starts_with(&format!("{here}::"));
                    if name != here && !child {
                        self.found.insert(name);
                    }
                    return;
                }
            }
        }

        fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
            match tree {
                syn::UseTree::Path(p) => {
                    prefix.push(p.ident.to_string());
                    self.use_tree(prefix, &p.tree);
                    prefix.pop();
                }
                syn::UseTree::Name(n) => {
                    let mut segs = prefix.clone();
                    if n.ident != "self" {
                        segs.push(n.ident.to_string());
                    }
                    self.record(&segs, segs.last().cloned());
                }
                syn::UseTree::Rename(r) => {
                    let mut segs = prefix.clone();
                    if r.ident != "self" {
                        segs.push(r.ident.to_string());
                    }
                    self.record(&segs, Some(r.rename.to_string()));
                }
                syn::UseTree::Glob(_) => self.record(prefix, None),
                syn::UseTree::Group(g) => {
                    for t in &g.items {
                        self.use_tree(prefix, t);
                    }
                }
            }
        }

        fn record(&mut self, segs: &[String], alias: Option<String>) {
            self.note(segs);
            if let (Some(alias), Some(abs)) = (alias, self.absolute(segs)) {
                self.aliases.insert(alias, abs);
            }
        }
    }

    impl<'ast> Visit<'ast> for Refs<'_> {
        fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
            self.use_tree(&mut vec![], &u.tree);
        }
        fn visit_path(&mut self, p: &'ast syn::Path) {
            let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.note(&segs);
            syn::visit::visit_path(self, p);
        }
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            // Test modules may reach anywhere; `mod x;` declares, not imports.
            let test = m.attrs.iter().any(|a| a.path().is_ident("cfg"));
            if !test {
                syn::visit::visit_item_mod(self, m);
            }
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            // Paths inside macro calls (`routes!(handlers::x)`, `json!`).
            let text = mac.tokens.to_string();
            for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                let segs: Vec<String> =
                    word.split("::").filter(|s| !s.is_empty()).map(String::from).collect();
                if segs.len() > 1 {
                    self.note(&segs);
                }
            }
            syn::visit::visit_macro(self, mac);
        }
    }

    let here: Vec<String> =
        if m.name.is_empty() { vec![] } else { m.name.split("::").map(String::from).collect() };
    let mut refs = Refs { here, aliases: BTreeMap::new(), known, found: BTreeSet::new() };
    // Aliases first (a `use` may follow the code that uses it).
    for item in &m.syntax.items {
        if let syn::Item::Use(u) = item {
            refs.use_tree(&mut vec![], &u.tree);
        }
    }
    refs.visit_file(&m.syntax);
    refs.found
}

/// Modules of the graph that lie on a circle, one list per circle
/// (Tarjan's strongly connected components of more than one module).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = vec![];
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// `domains::<d>::…` → `d`.
fn domain_of(module: &str) -> Option<&str> {
    module.strip_prefix("domains::").map(|rest| rest.split("::").next().unwrap_or(rest))
}

/// The modules above every domain: they compose the domains and nothing
/// imports them but the binary and the tests.
const COMPOSERS: [&str; 3] = ["router", "cli", "demo"];

#[test]
fn module_imports_have_no_circle_and_respect_the_layers() {
    let modules = modules();
    let known: BTreeSet<String> = modules.iter().map(|m| m.name.clone()).collect();
    let graph: BTreeMap<String, BTreeSet<String>> =
        modules.iter().map(|m| (m.name.clone(), references(m, &known))).collect();

    let mut wrong = vec![];
    for (from, targets) in &graph {
        for to in targets {
            let into_store = to.ends_with("::store") || to.contains("::store::");
            match (domain_of(from), domain_of(to)) {
                (Some(a), Some(b)) if a != b && into_store => {
                    wrong.push(format!("{from} → {to}: another domain's store"));
                }
                (None, Some(_))
                    if !COMPOSERS.contains(&from.split("::").next().unwrap_or_default())
                        && !from.is_empty() =>
                {
                    wrong.push(format!("{from} → {to}: shared code leans on a domain"));
                }
                _ => {}
            }
            let from_model = from.ends_with("::model") || from.contains("::model::");
            let impure = ["state", "db", "web", "router"]
                .iter()
                .any(|m| to == m || to.starts_with(&format!("{m}::")))
                || ["store", "service", "api", "pages"]
                    .iter()
                    .any(|m| to.ends_with(&format!("::{m}")));
            if from_model && impure {
                wrong.push(format!("{from} → {to}: a model is pure rules, no I/O"));
            }
        }
    }
    let found = circles(&graph);
    if std::env::var("LIAISON_ARCH_REPORT").is_ok() {
        let arrows: usize = graph.values().map(BTreeSet::len).sum();
        let on_circles: usize = found.iter().map(Vec::len).sum();
        println!(
            "modules {}, import arrows {arrows}, circles {} ({on_circles} modules on them), \
             arrows across the layers {}",
            graph.len(),
            found.len(),
            wrong.len()
        );
        return;
    }
    // The checker sees what it must: a known import of this tree.
    assert!(
        graph["domains::events::event::service"].contains("state"),
        "{:?}",
        graph["domains::events::event::service"]
    );
    assert!(graph["router"].contains("domains::venues"));

    assert!(found.is_empty(), "import circles in src/: {found:#?}");
    assert!(wrong.is_empty(), "imports across the layers:\n{}", wrong.join("\n"));
}

/// The checker itself: it finds a circle, follows aliases and `super`, and
/// sees an import of another domain's store.
#[test]
fn the_import_checker_sees_circles_aliases_and_stores() {
    let module = |name: &str, text: &str| Module {
        name: name.to_string(),
        syntax: syn::parse_file(text).unwrap(),
    };
    let known: BTreeSet<String> = [
        "state",
        "domains::a::service",
        "domains::a::store",
        "domains::b::service",
        "domains::b::model",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let b = module(
        "domains::b::service",
        "use crate::domains::a::service as other; use super::model::X;
         fn f() { other::g(); crate::domains::a::store::h(); }",
    );
    let refs = references(&b, &known);
    assert!(refs.contains("domains::a::service"), "{refs:?}");
    assert!(refs.contains("domains::a::store"), "{refs:?}");
    assert!(refs.contains("domains::b::model"), "{refs:?}");
    let a = module("domains::a::service", "fn g() { crate::domains::b::service::f(); }");
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("domains::b::service".to_string(), refs),
        ("domains::a::service".to_string(), references(&a, &known)),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        circles(&graph),
        vec![vec!["domains::a::service".to_string(), "domains::b::service".to_string()]]
    );
}

/// The OpenAPI document names each schema by its type's name, so two types
/// of one name (in two domains) would silently share one entry.
#[test]
fn api_schema_names_are_unique() {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    for m in modules() {
        for item in &m.syntax.items {
            let (ident, attrs) = match item {
                syn::Item::Struct(s) => (&s.ident, &s.attrs),
                syn::Item::Enum(e) => (&e.ident, &e.attrs),
                _ => continue,
            };
            let derives_schema = attrs.iter().any(|a| {
                let mut found = false;
                if a.path().is_ident("derive") {
                    let _ = a.parse_nested_meta(|meta| {
                        found |= meta.path.segments.last().is_some_and(|s| s.ident == "ToSchema");
                        Ok(())
                    });
                }
                found
            });
            if derives_schema && let Some(other) = seen.insert(ident.to_string(), m.name.clone()) {
                panic!("{ident} is a schema in both {other} and {}", m.name);
            }
        }
    }
    assert!(seen.len() > 50, "{} schemas", seen.len());
}
