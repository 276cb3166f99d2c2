//! One subscription to the scenario for the page's many inputs that each show one value of
//! it (number fields and their visibility, selects, toggles, sliders). With a memo per input,
//! every edit re-ran about 80 memos through the reactive graph, each dropping and re-adding
//! its subscription to the scenario, to find that one value had changed. Here one effect
//! runs the inputs' getters in plain Rust and sets only the signals whose value changed, so
//! the rest of the graph hears only of what did (docs/benchmarks.md, 2026-12-03 evening).

use crate::scenario::Scenario;
use leptos::prelude::*;

/// One input's getter and signal: sets the signal if the value changed; false once the
/// signal is gone (its input was removed), so that it is dropped from the list.
type Check = Box<dyn Fn(&Scenario) -> bool>;

/// The inputs' checks and the effect that runs them (see the module doc).
#[derive(Clone, Copy)]
pub struct Watch {
    scenario: RwSignal<Scenario>,
    checks: StoredValue<Vec<Check>, LocalStorage>,
}

impl Watch {
    /// The watch over `scenario`, with its effect started (in the current owner).
    pub fn new(scenario: RwSignal<Scenario>) -> Watch {
        let checks = StoredValue::new_local(Vec::<Check>::new());
        Effect::new(move |_| {
            scenario.with(|s| {
                // Taken out while they run, so that an input added meanwhile (none is, as
                // signals notify their effects later) would not find the list borrowed.
                let mut running = checks.try_update_value(std::mem::take).unwrap_or_default();
                running.retain(|check| check(s));
                checks.update_value(|list| {
                    let added = std::mem::replace(list, running);
                    list.extend(added);
                });
            })
        });
        Watch { scenario, checks }
    }

    /// A signal holding `get` of the scenario, set only when that value changes (as a memo
    /// of it would be, without a subscription of its own).
    pub fn value<T>(self, get: impl Fn(&Scenario) -> T + 'static) -> ReadSignal<T>
    where
        T: PartialEq + Send + Sync + 'static,
    {
        let signal = RwSignal::new(self.scenario.with_untracked(&get));
        self.checks.update_value(|list| {
            list.push(Box::new(move |s| {
                let v = get(s);
                match signal.try_with_untracked(|old| *old != v) {
                    Some(true) => {
                        signal.set(v);
                        true
                    }
                    Some(false) => true,
                    None => false,
                }
            }))
        });
        signal.read_only()
    }
}
