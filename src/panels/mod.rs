//! What the serving lab and the planner show, as pure functions of plain data (the
//! components in `ui` only lay it out).

pub mod lab;
pub mod planner;
