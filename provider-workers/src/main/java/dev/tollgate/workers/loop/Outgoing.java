package dev.tollgate.workers.loop;

import org.apache.avro.specific.SpecificRecord;

/** A record the worker will produce once a call is done. */
record Outgoing(String topic, String key, SpecificRecord value) {}
