package dev.tollgate.platform.streams;

import dev.tollgate.schemas.DeadLetter;

/** A record's value after decoding: the value, or the dead letter saying why it is poison. */
public sealed interface Decoded<T> {

  /** A value that decoded. */
  record Ok<T>(T value) implements Decoded<T> {}

  /** A record that did not, with its dead letter. */
  record Poison<T>(DeadLetter deadLetter) implements Decoded<T> {}

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value of an {@link Ok}; fails on a poison record. */
  default T value() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException("poison record has no value");
  }

  /** The dead letter of a {@link Poison}; fails on a good record. */
  default DeadLetter deadLetter() {
    if (this instanceof Poison<T> poison) {
      return poison.deadLetter();
    }
    throw new IllegalStateException("good record has no dead letter");
  }
}
