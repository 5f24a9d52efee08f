package dev.sift.bills.summaries;

import static org.assertj.core.api.Assertions.assertThat;

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
        HedgePolicy.Budget budget = policy(Map.of()).round();
        for (int i = 0; i < 50; i++) {
            budget.earn(1);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(budget.trySpend()).as("hedge %d", i + 1).isTrue();
        }
        assertThat(budget.trySpend()).isFalse();
    }

    @Test
    void theTailIsReachedOnlyWhenEveryRunningBillCanHaveADuplicate() {
        HedgePolicy.Budget budget = policy(Map.of()).round();
        budget.earn(50);

        assertThat(budget.tailReached(6)).isFalse();
        assertThat(budget.tailReached(5)).isTrue();
        assertThat(budget.tailReached(1)).isTrue();
        assertThat(budget.tailReached(0)).isFalse();
        budget.trySpend();
        assertThat(budget.tailReached(5)).isFalse();
        assertThat(budget.tailReached(4)).isTrue();
    }

    @Test
    void byDefaultARoundCannotSpendWhatAnEarlierRoundLeft() {
        HedgePolicy hedges = policy(Map.of());
        try (HedgePolicy.Budget quiet = hedges.round()) {
            quiet.earn(50);
        }
        HedgePolicy.Budget next = hedges.round();
        next.earn(50);
        for (int i = 0; i < 5; i++) {
            assertThat(next.trySpend()).isTrue();
        }
        assertThat(next.trySpend()).as("a sixth hedge for 50 bills").isFalse();
    }

    @Test
    void carryOverLetsASmallRoundHedgeWithCreditsLeftBeforeUpToItsCap() {
        HedgePolicy hedges = policy(Map.of("sift.bills.hedge.carry-over", "2"));
        try (HedgePolicy.Budget quiet = hedges.round()) {
            quiet.earn(50);
        }
        HedgePolicy.Budget small = hedges.round();
        small.earn(3);
        assertThat(small.tailReached(2)).isTrue();
        assertThat(small.tailReached(3)).isFalse();
        assertThat(small.trySpend()).isTrue();
        assertThat(small.trySpend()).isTrue();
        assertThat(small.trySpend()).isFalse();
    }

    @Test
    void disabledHedgingNeverHedgesAndYoungRequestsAreNotHedged() {
        HedgePolicy.Budget off = policy(Map.of("sift.bills.hedge.enabled", "false")).round();
        off.earn(50);
        assertThat(off.tailReached(1)).isFalse();
        assertThat(off.trySpend()).isFalse();

        HedgePolicy on = policy(Map.of("sift.bills.hedge.min-delay", "PT2S"));
        assertThat(on.oldEnough(Duration.ofMillis(1999))).isFalse();
        assertThat(on.oldEnough(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void theRatioSetsTheShare() {
        HedgePolicy.Budget budget = policy(Map.of("sift.bills.hedge.budget-ratio", "0.2")).round();
        budget.earn(10);
        assertThat(budget.trySpend()).isTrue();
        assertThat(budget.trySpend()).isTrue();
        assertThat(budget.trySpend()).isFalse();
    }
}
