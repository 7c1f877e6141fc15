/** Typed configuration: one YAML file, overridable from the environment, validated at start. */
package dev.tollgate.core.config;
