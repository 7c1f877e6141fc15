/** Gateway keys: hashing, lookup, the admin token. */
package dev.tollgate.core.auth;
