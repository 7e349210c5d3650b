//! The emulator through the real SDK client: protocol, validation, pagination, faults.

mod describe;
mod faults;
mod filters;
mod http;
mod pagination;
mod release;
mod request;
mod support;
