/** What the modules' tests share. */
package dev.tollgate.testkit;
