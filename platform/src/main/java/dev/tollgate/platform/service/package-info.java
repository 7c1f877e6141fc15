/** What a service is started from. */
package dev.tollgate.platform.service;
