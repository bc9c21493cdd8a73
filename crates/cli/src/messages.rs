//! What the command line says when something fails: one line per problem,
//! each broken rule as the sentence the pages show for it, in the language
//! asked for, never a rule code and never the same cause twice.

use crimeboard_domain::error::{Rejected, Violation};
use crimeboard_service::ServiceError;
use crimeboard_service::accounts::AuthError;
use crimeboard_stats::period::{PeriodError, PeriodErrorKind, YEARS};
use crimeboard_web::i18n::Lang;

/// The language of messages: `--lang` when given, else the first of
/// LC_ALL, LC_MESSAGES and LANG that is set (as POSIX orders them), else
/// English, the language of terminals and of clap's own messages.
pub fn language(asked: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = asked.and_then(Lang::parse) {
        return lang;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(env)
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::parse(v.split('.').next().unwrap_or_default()))
        .unwrap_or(Lang::En)
}

/// An error as a person reads it: the contexts (what was being done) and
/// then the cause, a broken rule translated and naming its field.
pub fn render(error: &anyhow::Error, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        if let Some(text) = translated(cause, lang) {
            parts.push(text);
            break;
        }
        let text = cause.to_string();
        // A wrapper that shows its source (`rejected: {0}`) would say it twice.
        if parts.last().is_some_and(|shown| shown.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

/// The broken rules an error carries, in words, or None for another error.
fn translated(cause: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    if let Some(r) = cause.downcast_ref::<Rejected>() {
        return Some(violations(&r.0, lang));
    }
    match cause.downcast_ref::<ServiceError>() {
        Some(ServiceError::Rejected(r)) => return Some(violations(&r.0, lang)),
        Some(ServiceError::BatchItem { index, rejected }) => {
            return Some(format!("item {index}: {}", violations(&rejected.0, lang)));
        }
        _ => {}
    }
    if let Some(AuthError::Rejected(r)) = cause.downcast_ref::<AuthError>() {
        return Some(violations(&r.0, lang));
    }
    cause.downcast_ref::<PeriodError>().map(|e| period(e, lang))
}

fn violations(list: &[Violation], lang: Lang) -> String {
    match list {
        [one] => violation(one, lang),
        many => {
            let each: String = many.iter().map(|v| format!("\n  {}", violation(v, lang))).collect();
            format!("{}:{each}", lang.text("title.validation"))
        }
    }
}

/// `field: the rule's sentence`, the field as the pages name it.
pub fn violation(v: &Violation, lang: Lang) -> String {
    format!("{}: {}", v.field, lang.message(&v.rule, &v.field, &v.params))
}

/// A period typed at `--period`, with the forms it may take in the
/// language asked for: the pages' own sentences for the same mistakes.
fn period(e: &PeriodError, lang: Lang) -> String {
    let (min, max) = YEARS;
    let v = match e.kind {
        PeriodErrorKind::Form => Violation::new("--period", "form.period"),
        PeriodErrorKind::Reversed => Violation::new("--period", "date.range_reversed"),
        PeriodErrorKind::Years => Violation::new("--period", "form.period_years").with("min", min).with("max", max),
    };
    format!("--period {:?}: {}", e.input, lang.message(&v.rule, &v.field, &v.params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn the_language_is_the_option_then_the_environment_then_english() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(language(Some("ru"), env(&[("LANG", "az_AZ.UTF-8")])), Lang::Ru);
        assert_eq!(language(None, env(&[("LANG", "az_AZ.UTF-8")])), Lang::Az);
        assert_eq!(language(None, env(&[("LC_ALL", "ru_RU.UTF-8"), ("LANG", "az_AZ.UTF-8")])), Lang::Ru);
        assert_eq!(language(None, env(&[("LC_ALL", ""), ("LC_MESSAGES", "az"), ("LANG", "ru")])), Lang::Az);
        assert_eq!(language(None, env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(language(None, env(&[])), Lang::En);
    }

    /// A password refused by the policy reads as the policy's sentence,
    /// once, with the field: not the rule code, not twice.
    #[test]
    fn a_broken_rule_is_translated_once_with_its_field() {
        let rejected = Rejected::one(Violation::new("password", "password.too_short").with("min", 12));
        let error = anyhow::Error::from(AuthError::Rejected(rejected.clone()));
        assert_eq!(render(&error, Lang::En), "password: A password has at least 12 characters.");
        let error = anyhow::Error::from(ServiceError::Rejected(Rejected::one(
            Violation::new("unit", "unit.unknown").with("code", "XYZ"),
        )))
        .context("the report");
        let text = render(&error, Lang::En);
        assert_eq!(text, "the report: unit: Unit XYZ does not exist.");
        let russian = render(&anyhow::Error::from(AuthError::Rejected(rejected)), Lang::Ru);
        assert!(russian.starts_with("password: ") && !russian.contains("too_short"), "{russian}");
    }

    /// A cause whose text another already shows is not printed again.
    #[test]
    fn a_cause_already_shown_is_not_repeated() {
        let error = anyhow::anyhow!("disk full").context("writing x: disk full");
        assert_eq!(render(&error, Lang::En), "writing x: disk full");
        let error = anyhow::anyhow!("disk full").context("writing x");
        assert_eq!(render(&error, Lang::En), "writing x: disk full");
    }

    #[test]
    fn a_period_in_no_form_is_answered_with_the_forms() {
        let error = anyhow::Error::from(crimeboard_stats::Period::parse("Q1 2024").unwrap_err());
        let text = render(&error, Lang::En);
        assert!(text.starts_with("--period \"Q1 2024\": "), "{text}");
        for form in ["2024Q1", "2024H1", "2024-03", "ytd:2024-04-19", "28d:2024-04-19", "week:2024-04-15"] {
            assert!(text.contains(form), "{text}");
        }
        assert!(!text.contains("form.period"), "{text}");
        let years = render(&crimeboard_stats::Period::parse("1850").unwrap_err().into(), Lang::En);
        assert!(years.contains("1900") && years.contains("2999"), "{years}");
    }

    #[test]
    fn another_error_keeps_its_own_words() {
        let error = Err::<(), _>(std::io::Error::other("boom")).context("reading m.toml").unwrap_err();
        assert_eq!(render(&error, Lang::En), "reading m.toml: boom");
    }
}
