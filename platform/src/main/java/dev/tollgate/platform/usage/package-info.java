/** The usage events the router and the workers write, built in one place. */
package dev.tollgate.platform.usage;
