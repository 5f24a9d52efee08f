package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PostgresDailyAggregateWriterTest {

    @Test
    void revenueIsAJsonObjectOfAmountsAtFourDecimalsWithCurrenciesEscaped() throws Exception {
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        revenue.put("KRW", new BigDecimal("1500.5"));
        revenue.put("USD", new BigDecimal("-0.00005"));
        revenue.put("X\"Y\\Z\n", new BigDecimal("12345678901234567890.123456"));
        String json = PostgresDailyAggregateWriter.revenueJson(revenue);

        assertThat(json).startsWith("{\"KRW\":1500.5000,\"USD\":-0.0001,");
        Map<String, Object> parsed = JsonMapper.builder().build().readValue(json,
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(parsed).containsOnlyKeys("KRW", "USD", "X\"Y\\Z\n");
        assertThat(json).contains(":12345678901234567890.1235}");
        assertThat(PostgresDailyAggregateWriter.revenueJson(Map.of())).isEqualTo("{}");
    }
}
