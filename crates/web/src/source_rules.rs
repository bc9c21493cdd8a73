//! What the compiler does not check about this crate's source, read from it:
//! which top-level module may import which, and which of the pages' own
//! modules (`pages/x`) may import which (the lists in ARCHITECTURE.md's
//! `crates/web` section), that no imports run in a circle, and that no
//! `match` over a command, an entity kind or an action has a wildcard arm, so
//! that a new one fails to compile until every place handles it.
//!
//! The reading is textual: comments and the text of literals are dropped.
//! Between top-level modules, a `crate::x` path (or `crate::{x, ...}`) is an
//! import of the module `x`, and the crate root's own names (`crate::router`)
//! count as the root, which no module may import. Among the pages' modules,
//! `super::` and `self::` are resolved against the file's module (out of an
//! inline `mod tests` first), and a path into `pages` is an import of the
//! page module it leads to, or of `pages/mod.rs` for one of its own items.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The crate root, `lib.rs`, in the graph.
const ROOT: &str = "lib";

/// The enums whose matches must name every variant.
const EXHAUSTIVE: [&str; 3] = ["Command", "EntityKind", "Action"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The modules `lib.rs` declares, those compiled for tests only aside.
fn top_level_modules() -> BTreeSet<String> {
    let lib = read(&src().join("lib.rs"));
    let mut modules = BTreeSet::new();
    let mut test_only = false;
    for line in lib.lines().map(str::trim) {
        let declared = line.strip_prefix("pub ").unwrap_or(line).strip_prefix("mod ").and_then(|r| r.strip_suffix(';'));
        match declared {
            Some(name) if !test_only => {
                modules.insert(name.to_string());
            }
            _ => {}
        }
        test_only = line == "#[cfg(test)]";
    }
    modules
}

/// Every `.rs` file of a module: `src/x.rs`, or everything under `src/x/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut files = Vec::new();
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Rust source without comments and with every string and character
/// literal emptied, so that neither prose nor text is read as code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !(i > 0 && is_ident(chars[i - 1])) {
            // A raw string: r"..." or r#"..."#.
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            i += hashes + 2;
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            while i < chars.len() && !chars[i..].starts_with(&closing) {
                i += 1;
            }
            i += closing.len();
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\u{7b}'), not a lifetime.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The first segment of every `crate::` path: `crate::a::b` and `crate::a`
/// give `a`, `crate::{b, c::d}` gives `b` and `c`.
fn crate_references(code: &str) -> BTreeSet<String> {
    paths(code, &BTreeSet::new())
        .into_iter()
        .filter_map(|(_, path)| (path[0] == "crate").then(|| path.get(1).cloned()).flatten())
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in some code that starts at `crate`, `super`, `self` or one of
/// `children` (the modules the file declares), as its segments, with where
/// it starts; a group is read item by item, each up to its own group:
/// `super::{a, b::{c, d}}` gives `[super, a]` and `[super, b]`.
fn paths(code: &str, children: &BTreeSet<String>) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(c) = code[i..].chars().next() {
        let boundary = !code[..i].ends_with(|p: char| is_ident(p) || p == '$' || p == ':');
        if !(boundary && is_ident(c)) {
            i += c.len_utf8();
            continue;
        }
        let first: String = code[i..].chars().take_while(|&c| is_ident(c)).collect();
        let after = i + first.len();
        let starts = ["crate", "super", "self"].contains(&first.as_str()) || children.contains(&first);
        if starts && code[after..].starts_with("::") {
            for rest in path_tails(&code[after + 2..]) {
                found.push((i, std::iter::once(first.clone()).chain(rest).collect()));
            }
        }
        i = after;
    }
    found
}

/// The segments after a path's `::`: one list, or one per item of a group.
fn path_tails(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(group) = text.strip_prefix('{') {
        let mut items = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (at, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    items.push(&group[start..at]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&group[start..at]);
                    start = at + 1;
                }
                _ => {}
            }
        }
        return items.into_iter().map(|item| segments(item.trim())).filter(|s| !s.is_empty()).collect();
    }
    vec![segments(text)]
}

/// The leading `a::b::c` of some text, up to a group or anything else.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
        if name.is_empty() {
            return out;
        }
        rest = &rest[name.len()..];
        out.push(name);
        match rest.strip_prefix("::") {
            Some(more) if !more.trim_start().starts_with('{') => rest = more,
            _ => return out,
        }
    }
}

/// The modules a file declares in files of their own (`mod x;`).
fn declared_modules(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("pub(crate) ").or_else(|| line.strip_prefix("pub ")).unwrap_or(line);
            line.strip_prefix("mod ")?.strip_suffix(';').map(String::from)
        })
        .collect()
}

/// The byte ranges of the modules written inline in a file (`mod tests { ... }`).
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for (at, _) in code.match_indices("mod ") {
        if code[..at].ends_with(is_ident) {
            continue;
        }
        let rest = &code[at + 4..];
        let name_len = rest.chars().take_while(|&c| is_ident(c)).count();
        let after = rest[name_len..].trim_start();
        if name_len == 0 || !after.starts_with('{') {
            continue;
        }
        let open = code.len() - after.len();
        let mut depth = 0;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        ranges.push((open, open + i));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    ranges
}

/// The module a source file is, as its path from the crate: `pages/form/mod.rs`
/// is `[pages, form]`, `pages/rows.rs` is `[pages, rows]`.
fn module_of(file: &str) -> Vec<String> {
    let mut path: Vec<String> = file.trim_end_matches(".rs").split('/').map(String::from).collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

/// The paths a file names that lead out of it, from the crate: `super::` and
/// `self::` resolved against the file's module (inside an inline module such
/// as `mod tests`, `super::` first climbs out of it, back to the file).
fn imports_of(file: &str, code: &str) -> Vec<Vec<String>> {
    let module = module_of(file);
    let inline = inline_modules(code);
    let mut imports = Vec::new();
    for (at, path) in paths(code, &declared_modules(code)) {
        let depth = inline.iter().filter(|(open, close)| (*open..*close).contains(&at)).count();
        let ups = path.iter().take_while(|s| *s == "super").count();
        let absolute: Vec<String> = match path[0].as_str() {
            "crate" => path[1..].to_vec(),
            "self" if depth == 0 => module.iter().chain(&path[1..]).cloned().collect(),
            "super" if ups > depth && ups - depth <= module.len() => {
                module[..module.len() - (ups - depth)].iter().chain(&path[ups..]).cloned().collect()
            }
            "self" | "super" => continue,
            _ if depth == 0 => module.iter().chain(&path).cloned().collect(),
            _ => continue,
        };
        imports.push(absolute);
    }
    imports
}

/// Which top-level module imports which; an item of the crate root is [`ROOT`].
fn top_level_graph() -> Graph {
    let modules = top_level_modules();
    let mut graph = Graph::new();
    for module in &modules {
        let uses = graph.entry(module.clone()).or_default();
        for file in files_of(module) {
            for name in crate_references(&code_only(&read(&file))) {
                let target = if modules.contains(&name) { name } else { ROOT.to_string() };
                if &target != module {
                    uses.insert(target);
                }
            }
        }
    }
    let root = code_only(&read(&src().join("lib.rs")));
    let root_uses = modules.iter().filter(|m| root.contains(&format!("{m}::"))).cloned().collect();
    graph.insert(ROOT.to_string(), root_uses);
    graph
}

/// The routes, `pages/mod.rs`, in the graph of the pages' modules, where
/// every other module is `pages/x` (the file `pages/x.rs` or the folder `pages/x/`).
const PAGES_ROUTES: &str = "pages/mod";

/// The page module a path from the crate leads into, if it leads into `pages`:
/// an item of `pages/mod.rs` itself is [`PAGES_ROUTES`].
fn page_module(path: &[String], submodules: &BTreeSet<String>) -> Option<String> {
    if path.first()? != "pages" {
        return None;
    }
    Some(match path.get(1) {
        Some(x) if submodules.contains(x) => format!("pages/{x}"),
        _ => PAGES_ROUTES.to_string(),
    })
}

/// Which page module imports which, read from the pages' files, each given as
/// its path under `src` and its text.
fn pages_graph_of(files: &[(String, String)]) -> Graph {
    let submodules: BTreeSet<String> = files.iter().filter_map(|(file, _)| module_of(file).get(1).cloned()).collect();
    let mut graph = Graph::new();
    for (file, text) in files {
        let from = page_module(&module_of(file), &submodules).expect("a file under pages/");
        let uses = graph.entry(from.clone()).or_default();
        for path in imports_of(file, &code_only(text)) {
            uses.extend(page_module(&path, &submodules).filter(|to| *to != from));
        }
    }
    graph
}

fn pages_graph() -> Graph {
    let files: Vec<(String, String)> = files_of("pages")
        .into_iter()
        .map(|file| {
            let under_src = file.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/");
            (under_src, read(&file))
        })
        .collect();
    pages_graph_of(&files)
}

/// A circle of imports, if there is one, as the modules along it.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit<'a>(
        graph: &'a Graph,
        node: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut circle: Vec<String> = path[start..].iter().map(|n| n.to_string()).collect();
            circle.push(node.to_string());
            return Some(circle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(graph, next, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(graph, node, &mut Vec::new(), &mut done))
}

/// The rules in ARCHITECTURE.md: each line "- `x` may use `a`, `b`." (or
/// "may use nothing.") in the `crates/web` section.
fn architecture_rules() -> Graph {
    let doc = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"));
    let section = doc.split("\n### `crates/web`").nth(1).expect("ARCHITECTURE.md has a crates/web section");
    let section = section.split("\n### ").next().unwrap_or(section);
    parse_rules(section)
}

fn parse_rules(text: &str) -> Graph {
    let mut rules = Graph::new();
    for line in text.lines().map(str::trim) {
        let Some((who, allowed)) = line.strip_prefix("- `").and_then(|l| l.split_once("` may use ")) else {
            continue;
        };
        let allowed = allowed.split('`').skip(1).step_by(2).map(String::from).collect();
        assert!(rules.insert(who.to_string(), allowed).is_none(), "ARCHITECTURE.md has two rules for `{who}`");
    }
    rules
}

#[test]
fn the_top_level_modules_import_each_other_in_no_circle() {
    let graph = top_level_graph();
    // A reading that found nothing would pass anything.
    assert!(graph["api"].contains("auth") && graph["pages"].contains("state"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "{graph:?}");
}

/// Each import in `graph` that `rules` do not allow, and each module of
/// `graph` without a rule.
fn breaches(graph: &Graph, rules: &Graph) -> Vec<String> {
    let mut breaches = Vec::new();
    for (module, uses) in graph {
        let Some(allowed) = rules.get(module) else {
            breaches.push(format!("`{module}` has no rule in ARCHITECTURE.md"));
            continue;
        };
        for target in uses.difference(allowed) {
            breaches.push(format!("`{module}` uses `{target}`, which ARCHITECTURE.md does not allow"));
        }
    }
    breaches
}

#[test]
fn every_import_between_top_level_modules_is_one_architecture_md_allows() {
    let rules = architecture_rules();
    assert_eq!(cycle(&rules), None, "the rules in ARCHITECTURE.md allow a circle");
    let graph: Graph = top_level_graph().into_iter().filter(|(m, _)| m != ROOT).collect();
    let breaches = breaches(&graph, &rules);
    assert!(breaches.is_empty(), "{breaches:#?}");
}

#[test]
fn a_circle_and_a_forbidden_import_are_seen() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry(from.to_string()).or_default().insert(to.to_string());
        }
        g
    };
    let circle = cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])).unwrap();
    assert_eq!(circle.first(), circle.last());
    assert_eq!(circle.len(), 4, "{circle:?}");
    assert_eq!(cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    let rules = parse_rules("- `a` may use `b`, `c`.\n- `b` may use nothing.\nsome prose about `c`\n");
    assert_eq!(rules, graph(&[("a", "b"), ("a", "c")]).into_iter().chain([("b".into(), BTreeSet::new())]).collect());
}

#[test]
fn every_form_of_a_crate_path_is_read_and_no_comment_or_text() {
    let code = code_only(
        "use crate::a::b;\nuse crate::{c, d::e};\nlet x = crate::f(); // crate::g\n\
         /// see crate::h\nlet s = \"crate::i\"; let r = r#\"crate::j\"#; let c = '{';\n\
         let l: &'static str = crate::k::L; /* crate::m */ $crate::n;",
    );
    let names: Vec<String> = crate_references(&code).into_iter().collect();
    assert_eq!(names, ["a", "c", "d", "f", "k"]);
}

/// The top-level arms of every `match` (and maud's `@match`) in some code,
/// each arm's pattern with its guard dropped.
fn match_patterns(code: &str) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (at, _) in code.match_indices("match") {
        let before = code[..at].chars().next_back();
        let after = code[at + 5..].chars().next();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            || after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        // The arms' block: the first brace outside the scrutinee's brackets.
        let mut depth = 0i32;
        let mut open = None;
        for (i, &b) in bytes.iter().enumerate().skip(at + 5) {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b'{' if depth == 0 => {
                    open = Some(i);
                    break;
                }
                b';' if depth == 0 => break,
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        found.push(arms(&code[open + 1..]));
    }
    found
}

/// The patterns of the arms at the start of `body`, up to its closing brace.
fn arms(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let (mut patterns, mut start, mut depth, mut i) = (Vec::new(), 0, 0i32, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => depth -= 1,
            b'=' if depth == 0 && bytes.get(i + 1) == Some(&b'>') => {
                let pattern = body[start..i].trim();
                let pattern = pattern.split(" if ").next().unwrap_or(pattern).trim();
                patterns.push(pattern.to_string());
                i = arm_end(bytes, i + 2);
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    patterns
}

/// Where an arm's expression starting at `from` ends: after its block, at
/// the comma (or closing brace) that ends it, or at the end of a line that
/// closes a block-like expression (`match`, `if`, maud's elements), which
/// needs no comma.
fn arm_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let block = bytes.get(i) == Some(&b'{');
    let mut depth = 0i32;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return i,
            b')' | b']' | b'}' => {
                depth -= 1;
                let line_ends = bytes[i + 1..].iter().take_while(|b| b.is_ascii_whitespace()).any(|b| *b == b'\n');
                if depth == 0 && bytes[i] == b'}' && !block && line_ends {
                    return i + 1;
                }
                if depth == 0 && block {
                    let after = i + 1;
                    let comma = bytes[after..].iter().position(|b| !b.is_ascii_whitespace());
                    return match comma {
                        Some(n) if bytes[after + n] == b',' => after + n + 1,
                        _ => after,
                    };
                }
            }
            b',' if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// A `match` naming a variant of one of [`EXHAUSTIVE`] with an arm for the rest.
fn wildcards_over_exhaustive(code: &str) -> usize {
    let names_one = |p: &String| {
        EXHAUSTIVE.iter().any(|e| {
            p.match_indices(&format!("{e}::"))
                .any(|(at, _)| !p[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
    };
    match_patterns(code).iter().filter(|ps| ps.iter().any(names_one) && ps.iter().any(|p| p == "_")).count()
}

#[test]
fn no_match_over_a_command_an_entity_kind_or_an_action_has_a_wildcard_arm() {
    let mut found = Vec::new();
    for module in top_level_modules() {
        for file in files_of(&module) {
            let n = wildcards_over_exhaustive(&code_only(&read(&file)));
            if n > 0 {
                found.push(format!("{}: {n}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "wildcard arms over Command, EntityKind or Action: {found:#?}");
}

#[test]
fn a_wildcard_arm_is_seen_in_a_block_an_expression_or_a_page() {
    let code = code_only(
        "fn f(c: &Command) -> u8 { match c { Command::OpenCase(x) if x.a => { 1 } Command::Annul(_) => g(1, 2), _ => 3 } }\n\
         fn g(k: EntityKind) -> &str { match (k, 1) { (EntityKind::Case, _) => \"{\", _ if true => \"}\" } }\n\
         html! { @match a {\n Action::WorkCase => p { \"x\" }\n _ => {}\n } }\n\
         fn h(k: EntityKind) { match k { EntityKind::Case => {}, EntityKind::Report | EntityKind::Person => {} } }\n\
         fn i(o: Option<u8>) { match o { Some(_) => {}, _ => {} } }\n\
         fn j(a: MyAction) { match a { MyAction::X => {}, _ => {} } }",
    );
    assert_eq!(match_patterns(&code)[0], ["Command::OpenCase(x)", "Command::Annul(_)", "_"]);
    assert_eq!(wildcards_over_exhaustive(&code), 3);
}

#[test]
fn the_page_modules_import_each_other_in_no_circle() {
    let graph = pages_graph();
    // A reading that found nothing would pass anything: the routes name the
    // pages bare, the pages `super::`, the form's controls `crate::pages::`.
    assert!(graph[PAGES_ROUTES].contains("pages/guard") && graph["pages/lists"].contains("pages/rows"), "{graph:?}");
    assert!(graph["pages/form"].contains("pages/viewer"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "{graph:?}");
}

#[test]
fn every_import_between_page_modules_is_one_architecture_md_allows() {
    let rules = architecture_rules();
    let graph = pages_graph();
    let mut breaches = breaches(&graph, &rules);
    let stale = rules.keys().filter(|m| m.starts_with("pages/") && !graph.contains_key(*m));
    breaches.extend(stale.map(|m| format!("ARCHITECTURE.md has a rule for `{m}`, which is no module")));
    assert!(breaches.is_empty(), "{breaches:#?}");
}

#[test]
fn a_circle_among_page_modules_is_seen_through_every_form_of_path() {
    let files = |sources: &[(&str, &str)]| -> Vec<(String, String)> {
        sources.iter().map(|(file, text)| (file.to_string(), text.to_string())).collect()
    };
    let routes = ("pages/mod.rs", "mod a;\nmod b;\nmod c;\npub use a::A;\nfn f() { b::g(); crimeboard_domain::c::X; }");
    let a = ("pages/a.rs", "use super::{b::B, c};\n#[cfg(test)]\nmod tests { use super::*; use super::super::c::C; }");
    let b = ("pages/b.rs", "fn g() { self::h(); crate::pages::c::f(); let s = \"super::a\"; } // super::a");
    let c = ("pages/c/mod.rs", "mod d;\nuse super::error_page;");
    let d = ("pages/c/d.rs", "use super::C;\nfn f() -> crate::pages::a::A { super::super::a::A }");
    let graph = pages_graph_of(&files(&[routes, a, b, c, d]));
    let edges = |from: &str| graph[from].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("pages/mod"), ["pages/a", "pages/b"]);
    assert_eq!(edges("pages/a"), ["pages/b", "pages/c"]);
    assert_eq!(edges("pages/b"), ["pages/c"]);
    assert_eq!(edges("pages/c"), ["pages/a", "pages/mod"]);
    let circle = cycle(&graph).expect("a uses c, which uses a");
    assert_eq!(circle.first(), circle.last());
    assert!(circle.contains(&"pages/a".to_string()) && circle.contains(&"pages/c".to_string()), "{circle:?}");
    // Without the folder's uses of `a` and of the routes, there is none.
    let d = ("pages/c/d.rs", "use super::C;");
    let c = ("pages/c/mod.rs", "mod d;");
    assert_eq!(cycle(&pages_graph_of(&files(&[routes, a, b, c, d]))), None);
}
