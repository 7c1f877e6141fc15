package dev.tollgate.ingest.async;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallbackPolicyTest {

  @Test
  void anyHttpUrlWhenNoHostsAreListed() {
    CallbackPolicy open = new CallbackPolicy("");
    assertThat(open.refusal("https://jobs.example.com/hook")).isNull();
    assertThat(open.refusal("http://127.0.0.1:8080/hook")).isNull();
    assertThat(open.refusal("file:///etc/passwd")).contains("http or https");
    assertThat(open.refusal("/relative")).contains("http or https");
    assertThat(open.refusal("not a url")).contains("http or https");
  }

  @Test
  void onlyListedHostsAndTheirSubdomainsWhenListed() {
    CallbackPolicy listed = new CallbackPolicy(" example.com, hooks.internal ");
    assertThat(listed.refusal("https://example.com/a")).isNull();
    assertThat(listed.refusal("https://jobs.EXAMPLE.com/a")).isNull();
    assertThat(listed.refusal("http://hooks.internal:9000/x")).isNull();
    assertThat(listed.refusal("https://evilexample.com/a")).contains("evilexample.com");
    assertThat(listed.refusal("http://169.254.169.254/latest/meta-data")).contains("not among");
  }
}
