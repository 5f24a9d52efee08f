package dev.sift.cli.load;

import dev.sift.contracts.EventJson;
import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/** {@code sift load bills}: legislative bills for the summary pipeline, from JSON lines or generated. */
@Command(name = "bills", mixinStandardHelpOptions = true,
        description = {"Bill events to sift.bill.received.v1 (or POST /api/bills, which needs an ADMIN token).",
            "--file takes JSON lines, one {billId, title, proposer, committee, proposedAt, body} per line; "
                    + "--generate writes bills proposed in the last week."})
final class LoadBillsCommand extends LoadSubcommand<BillReceived> {

    private static final List<String> SUBJECTS = List.of("Public Data Access", "Small Business Tax Relief",
            "Rental Housing Protection", "Youth Employment Support", "Renewable Energy Grid", "Online Platform Fairness",
            "Rural Healthcare Access", "Personal Information Protection");
    private static final List<String> COMMITTEES = List.of("Science, ICT, Broadcasting and Communications",
            "Strategy and Finance", "Land, Infrastructure and Transport", "Health and Welfare", "Environment and Labor");
    private static final List<String> PROPOSERS = List.of("Kim Min-ji", "Lee Jun-ho", "Park Seo-yeon", "Choi Dong-hyun",
            "Jung Ha-eun");

    @Override
    Topic<BillReceived> topic() {
        return Topics.BILL_RECEIVED;
    }

    @Override
    String key(BillReceived event) {
        return event.billId();
    }

    @Override
    List<BillReceived> read(Path file, List<String> organizations, Random random) throws IOException {
        List<BillReceived> bills = new ArrayList<>();
        int number = 0;
        for (String line : lines(file)) {
            number++;
            try {
                ObjectNode node = (ObjectNode) EventJson.MAPPER.readTree(line);
                if (!node.has("receivedAt")) {
                    node.put("receivedAt", Instant.now().toString());
                }
                bills.add(EventJson.MAPPER.treeToValue(node, BillReceived.class));
            } catch (JacksonException | ClassCastException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--file: line " + number + " is not a bill: " + e.getMessage());
            }
        }
        return bills;
    }

    @Override
    List<BillReceived> generate(int count, List<String> organizations, Random random) {
        List<BillReceived> bills = new ArrayList<>(count);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int base = 2_200_000 + random.nextInt(90_000);
        for (int i = 0; i < count; i++) {
            String subject = pick(SUBJECTS, random);
            String committee = pick(COMMITTEES, random);
            String body = ("This bill amends the %s Act. It requires the competent ministry to publish an annual plan, "
                    + "sets up a review board of %d members, and funds pilot programmes in %d regions from the next "
                    + "fiscal year. Article %d is revised so that reports reach the %s Committee within %d days.")
                    .formatted(subject, 5 + random.nextInt(10), 2 + random.nextInt(8), 2 + random.nextInt(20),
                            committee, 30 + random.nextInt(60));
            bills.add(new BillReceived(Integer.toString(base + i), "Partial Amendment to the " + subject + " Act",
                    pick(PROPOSERS, random), committee, today.minusDays(random.nextInt(7)), body, Instant.now()));
        }
        return bills;
    }

    @Override
    @Nullable GatewayCall viaGateway(BillReceived bill) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("billId", bill.billId());
        body.put("title", bill.title());
        body.put("proposer", bill.proposer());
        body.put("committee", bill.committee());
        body.put("proposedAt", bill.proposedAt().toString());
        body.put("body", bill.body());
        return new GatewayCall("/api/bills", body, null);
    }
}
