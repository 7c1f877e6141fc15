/** The mock provider: a real HTTP server in the providers' wire formats, with a billing ledger. */
package dev.tollgate.mock;
