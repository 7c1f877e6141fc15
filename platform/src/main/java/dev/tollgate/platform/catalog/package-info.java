/**
 * The model catalog: providers, deployments, prices in micro-USD, routes; and the price calculator.
 */
package dev.tollgate.platform.catalog;
