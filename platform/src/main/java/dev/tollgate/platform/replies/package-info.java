/** Building terminal replies and finding their topic. */
package dev.tollgate.platform.replies;
