package dev.sift.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;

class HeaderFirewallTest {

    // Spring Security's own expressions (StrictServerWebExchangeFirewall), to compare against.
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void judgesEveryCodePointLikeTheFirewallsExpressions() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            assertThat(HeaderFirewall.assignedAndNotControl(text, false)).as("U+%04X name", codePoint)
                    .isEqualTo(NAMES.matcher(text).matches());
            assertThat(HeaderFirewall.assignedAndNotControl(text, true)).as("U+%04X value", codePoint)
                    .isEqualTo(VALUES.matcher(text).matches());
        }
    }

    @Test
    void judgesMixedStringsLikeTheFirewallsExpressions() {
        Random random = new Random(11);
        char[] pool = {'a', ' ', '\t', '\n', '\r', '\u0000', '\u007f', '\u00e9', '\u0378', '\ud83d', '\ude00', '\u2028',
                '\uffff', '한'};
        for (int i = 0; i < 50_000; i++) {
            char[] text = new char[random.nextInt(6)];
            for (int j = 0; j < text.length; j++) {
                text[j] = pool[random.nextInt(pool.length)];
            }
            String value = new String(text);
            assertThat(HeaderFirewall.assignedAndNotControl(value, false)).isEqualTo(NAMES.matcher(value).matches());
            assertThat(HeaderFirewall.assignedAndNotControl(value, true)).isEqualTo(VALUES.matcher(value).matches());
        }
    }

    @Test
    void anAbsentHeaderIsNothingToRefuse() {
        assertThat(HeaderFirewall.assignedAndNotControl(null, true)).isTrue();
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/feedback"));
        assertThat(HeaderFirewall.create().getFirewalledExchange(exchange)
                .map(firewalled -> String.valueOf(firewalled.getRequest().getHeaders().getFirst("X-Absent"))).block())
                .isEqualTo("null");
    }

    @Test
    void theFirewallStillRefusesControlCharactersInHeaders() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/feedback").header("X-Note", "one\u0007two"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeaderFirewall.create().getFirewalledExchange(exchange)
                        .map(firewalled -> firewalled.getRequest().getHeaders().getFirst("X-Note")).block())
                .isInstanceOf(ServerExchangeRejectedException.class);
        MockServerWebExchange fine = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/feedback").header("X-Note", "one\ttwo é"));
        assertThat(HeaderFirewall.create().getFirewalledExchange(fine)
                .map(firewalled -> firewalled.getRequest().getHeaders().getFirst("X-Note")).block()).isEqualTo("one\ttwo é");
    }
}
