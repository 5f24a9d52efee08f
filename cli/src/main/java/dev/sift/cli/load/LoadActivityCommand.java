package dev.sift.cli.load;

import dev.sift.contracts.EventJson;
import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import tools.jackson.core.JacksonException;

/** {@code sift load activity}: enrolments, payments, refunds and progress for instructors' dashboards. */
@Command(name = "activity", mixinStandardHelpOptions = true,
        description = {"Lecture activity events to sift.lecture.activity.v1 (no gateway endpoint: Kafka only).",
            "--orgs is the number of instructors; --file takes JSON lines of sift.lecture.activity.v1 values; "
                    + "--generate spreads events over the last 30 days."})
final class LoadActivityCommand extends LoadSubcommand<LectureActivityRecorded> {

    @Override
    Topic<LectureActivityRecorded> topic() {
        return Topics.LECTURE_ACTIVITY;
    }

    @Override
    String key(LectureActivityRecorded event) {
        return event.instructorId();
    }

    @Override
    List<LectureActivityRecorded> read(Path file, List<String> organizations, Random random) throws IOException {
        List<LectureActivityRecorded> events = new ArrayList<>();
        int number = 0;
        for (String line : lines(file)) {
            number++;
            try {
                events.add(EventJson.MAPPER.readValue(line, LectureActivityRecorded.class));
            } catch (JacksonException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--file: line " + number + " is not a lecture activity: " + e.getMessage());
            }
        }
        return events;
    }

    @Override
    List<LectureActivityRecorded> generate(int count, List<String> instructors, Random random) {
        List<LectureActivityRecorded> events = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String instructor = pick(instructors, random);
            String lecture = "lecture-" + Math.abs(instructor.hashCode() % 100) + "-" + random.nextInt(4);
            String student = new UUID(0, random.nextInt(5_000)).toString();
            Instant at = now.minus(Duration.ofMinutes(random.nextInt(30 * 24 * 60)));
            int roll = random.nextInt(100);
            Type type = roll < 35 ? Type.ENROLLED : roll < 65 ? Type.PAYMENT : roll < 70 ? Type.REFUND : Type.PROGRESS;
            BigDecimal amount = type == Type.PAYMENT || type == Type.REFUND
                    ? BigDecimal.valueOf(9_900 + 1_000L * random.nextInt(40)) : null;
            events.add(new LectureActivityRecorded(UUID.randomUUID().toString(), type, instructor, lecture, student,
                    amount, amount == null ? null : "KRW", type == Type.PROGRESS ? random.nextInt(101) / 100.0 : null, at));
        }
        return events;
    }

    @Override
    @Nullable GatewayCall viaGateway(LectureActivityRecorded event) {
        return null;
    }
}
