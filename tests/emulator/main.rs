//! The emulator through the real SDK client: protocol, validation, pagination, faults.

mod describe;
mod faults;
mod filters;
mod http;
mod pagination;
mod pools;
mod release;
mod request;
mod support;
