package dev.sift.bills.summaries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.bills.BillSummaryProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget and the round's tail rule, without any request. */
class HedgePolicyTest {

    static HedgePolicy policy(Map<String, String> overrides) {
        return new HedgePolicy(EnginesTest.settings(overrides).hedge());
    }

    @Test
    void fiftyOriginalsEarnFiveHedgesAndNoSixth() {
        HedgePolicy hedges = policy(Map.of());
        for (int i = 0; i < 50; i++) {
            hedges.earn(1);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(hedges.trySpend()).as("hedge %d", i + 1).isTrue();
        }
        assertThat(hedges.trySpend()).isFalse();
    }

    @Test
    void theTailIsReachedOnlyWhenEveryRunningBillCanHaveADuplicate() {
        HedgePolicy hedges = policy(Map.of());
        hedges.earn(50);

        assertThat(hedges.tailReached(6)).isFalse();
        assertThat(hedges.tailReached(5)).isTrue();
        assertThat(hedges.tailReached(1)).isTrue();
        assertThat(hedges.tailReached(0)).isFalse();
        hedges.trySpend();
        assertThat(hedges.tailReached(5)).isFalse();
        assertThat(hedges.tailReached(4)).isTrue();
    }

    @Test
    void savedCreditsAreCappedAtTheBurst() {
        HedgePolicy hedges = policy(Map.of("sift.bills.hedge.budget-burst", "3"));
        hedges.earn(1000);

        assertThat(hedges.tailReached(3)).isTrue();
        assertThat(hedges.tailReached(4)).isFalse();
    }

    @Test
    void disabledHedgingNeverReachesTheTailAndYoungRequestsAreNotHedged() {
        HedgePolicy off = policy(Map.of("sift.bills.hedge.enabled", "false"));
        off.earn(50);
        assertThat(off.tailReached(1)).isFalse();

        HedgePolicy on = policy(Map.of("sift.bills.hedge.min-delay", "PT2S"));
        assertThat(on.oldEnough(Duration.ofMillis(1999))).isFalse();
        assertThat(on.oldEnough(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void budgetSettingsBind() {
        BillSummaryProperties.Hedge hedge = EnginesTest.settings(Map.of("sift.bills.hedge.budget-ratio", "0.2"))
                .hedge();
        HedgePolicy hedges = new HedgePolicy(hedge);
        hedges.earn(10);
        assertThat(hedges.trySpend()).isTrue();
        assertThat(hedges.trySpend()).isTrue();
        assertThat(hedges.trySpend()).isFalse();
    }
}
