/** Dead letters: how every service describes a record it gives up on. */
package dev.tollgate.platform.deadletter;
