//! The importer on every storage backend: real police.uk files counted
//! exactly, rejected rows reported where they are, re-imports and resumed
//! imports that add nothing twice; a source in another zone counted on the
//! installation's civil days; the units a mapping declares added on every
//! day, so the source's history is counted in them.

mod hostile;
mod identities;
mod police_uk;
mod rows;
mod support;
mod time_zones;
mod units;
