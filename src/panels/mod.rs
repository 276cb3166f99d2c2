//! What the serving lab, the planner and a chart's readout show, as pure functions of plain data (the
//! components in `ui` only lay it out).

pub mod lab;
pub mod planner;
pub mod readout;
pub mod results;
pub mod summary;
