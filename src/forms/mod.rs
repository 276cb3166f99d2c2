//! The page's forms as plain data: what each text field accepts ([`NumberRule`], the one
//! validator), the lab's and the planner's fields with their defaults and parses, the
//! calculator's choices, and the config import. No web dependencies: `cargo test` runs it.

pub mod choices;
pub mod config_import;
pub mod lab_form;
pub mod number;
pub mod planner_form;
pub mod saved_setups;

pub use number::NumberRule;
use std::collections::BTreeMap;

/// Messages of the fields whose text is wrong, by field id.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The element id of a field's input: `f-workload-batch_size` for `workload.batch_size`.
pub fn dom_id(key: &str) -> String {
    format!("f-{}", key.replace('.', "-"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dom_ids() {
        assert_eq!(
            super::dom_id("workload.batch_size"),
            "f-workload-batch_size"
        );
        assert_eq!(super::dom_id("plan.max_ttft"), "f-plan-max_ttft");
    }
}
