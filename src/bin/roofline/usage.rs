//! `roofline`'s command-line errors: what `clap` found wrong, as the one line on standard
//! error that `roofline` has always printed ("plan needs --min-user-tps; usage: …").

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// A `clap` error as the one line `roofline` prints (after "roofline: "): the problem in its
/// own words, then the usage of the command that `args` (program name first) call.
pub fn one_line(cmd: &mut clap::Command, e: &clap::Error, args: &[OsString]) -> String {
    let sub = args
        .get(1)
        .and_then(|a| a.to_str())
        .and_then(|name| cmd.find_subcommand(name))
        .map(|s| s.get_name().to_string());
    let problem = problem(e, sub.as_deref());
    let usage = match sub.as_deref().and_then(|s| cmd.find_subcommand_mut(s)) {
        Some(s) => {
            let name = s.get_name().to_string();
            let mut s = s.clone().bin_name(format!("roofline {name}"));
            format!("{} (roofline {name} --help for more)", usage_text(&mut s))
        }
        None => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|s| s.get_name().to_string())
                .collect();
            format!(
                "{}; commands: {} (roofline --help for more)",
                usage_text(cmd),
                names.join(", ")
            )
        }
    };
    format!("{problem}; {usage}")
}

/// A command's usage on one line: "usage: roofline plan [OPTIONS] …".
fn usage_text(cmd: &mut clap::Command) -> String {
    let text = cmd.render_usage().to_string();
    let text = text.trim().trim_start_matches("Usage:").trim();
    format!(
        "usage: {}",
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// An argument as clap names it ("--max-ttft <SECONDS>", "<FILE>") as people write it
/// ("--max-ttft", "FILE").
fn arg_name(arg: &str) -> String {
    if arg.starts_with('-') {
        arg.split([' ', '=']).next().unwrap_or(arg).to_string()
    } else {
        arg.trim_matches(|c| c == '<' || c == '>' || c == '.')
            .to_string()
    }
}

/// What is wrong with the command line, in the words `roofline` has always used.
fn problem(e: &clap::Error, sub: Option<&str>) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let arg = arg_name(&text(ContextKind::InvalidArg));
    let flag_prefix = if arg.starts_with('-') {
        format!("{arg}: ")
    } else {
        String::new()
    };
    match e.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "no command".into()
        }
        ErrorKind::InvalidSubcommand => {
            format!("unknown command {:?}", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => {
            let at = sub.map(|s| format!("{s}: ")).unwrap_or_default();
            format!("{at}unexpected {:?}", text(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(v)) => v.iter().map(|a| arg_name(a)).collect(),
                _ => vec![arg],
            };
            let list = match missing.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} and {last}", rest.join(", "))
                }
                _ => missing.join(""),
            };
            format!("{} needs {list}", sub.unwrap_or("roofline"))
        }
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(why) => format!("{flag_prefix}{why}"),
            None => first_line(e),
        },
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue);
            if value.is_empty() {
                format!("{arg} needs a value")
            } else {
                format!(
                    "{flag_prefix}unknown {} {value:?} ({})",
                    value_noun(&text(ContextKind::InvalidArg)),
                    text(ContextKind::ValidValue)
                )
            }
        }
        _ => first_line(e),
    }
}

/// What an argument's values are ("axis" for "--over <AXIS>", "chart" for "<CHART>").
fn value_noun(arg: &str) -> String {
    let name = arg.rsplit('<').next().unwrap_or(arg);
    name.trim_end_matches(['>', '.']).to_lowercase()
}

/// The first line of clap's own message, without its "error: ".
fn first_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let line = text.lines().next().unwrap_or("bad command line");
    line.trim_start_matches("error: ").to_string()
}
