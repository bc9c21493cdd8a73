//! The importer on every storage backend: real police.uk files counted
//! exactly, rejected rows reported where they are, re-imports and resumed
//! imports that add nothing twice.

mod hostile;
mod identities;
mod police_uk;
mod rows;
mod support;
