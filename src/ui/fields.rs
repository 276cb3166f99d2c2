//! The table of number fields: label, unit, scale and limits of every scenario number.
//! The table is native code (`scenario::form`, over the one declaration of each field in
//! `scenario::fields`); the UI draws it.

pub use crate::scenario::form::{
    FieldDef, ASSUMPTION_FIELDS, DISAGGREGATION_FIELDS, HARDWARE_FIELDS, MODEL_FIELDS,
    SPECULATIVE_FIELDS, WORKLOAD_FIELDS,
};
