//! Why a simulation cannot start.

use crate::scenario::ScenarioError;
use std::fmt;

/// Why a simulation cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// Problems with the configuration or scenario, each naming its field.
    Invalid(Vec<ScenarioError>),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Invalid(list) => {
                let parts: Vec<String> = list.iter().map(|e| e.to_string()).collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

impl std::error::Error for SimError {}
