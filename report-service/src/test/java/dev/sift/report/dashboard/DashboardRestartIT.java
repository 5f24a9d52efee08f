package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import dev.sift.testing.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that restarts on its state directory gets its dashboard tasks back at once, on the real broker: it
 * rejoins the group as the static member it was ({@link DashboardStreams#memberId}). With a dynamic member it
 * waited for the old member's session to time out (45 s by default) before any of its days moved again.
 */
class DashboardRestartIT {

    /** Well below the consumer's 45 s session timeout, which a successor of a dynamic member waits for. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path stateDirectory;

    private final List<DailyAggregate> written = new CopyOnWriteArrayList<>();
    private final String instructor = "instructor-" + UUID.randomUUID();
    private KafkaStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void aRestartedReplicaRejoinsAsTheSameMemberAndGoesOnAtOnce() throws Exception {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        DashboardProperties properties = newApplication(bootstrap);

        enroll(bootstrap, "student-1");
        streams = start(bootstrap, properties);
        await().atMost(BACK_WITHIN).until(() -> enrollments() == 1);
        streams.close(Duration.ofSeconds(30));

        // The same replica again: same state directory, so the same group.instance.id.
        long restarted = System.nanoTime();
        streams = start(bootstrap, properties);
        enroll(bootstrap, "student-2");
        await().atMost(BACK_WITHIN).until(() -> streams.state() == KafkaStreams.State.RUNNING && enrollments() == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(BACK_WITHIN);
    }

    @Test
    void theMemberIdIsTheStateDirectorysOwn(@TempDir Path another) {
        String first = DashboardStreams.memberId(stateDirectory, "app");
        assertThat(first).startsWith("app-");
        assertThat(DashboardStreams.memberId(stateDirectory, "app")).isEqualTo(first);
        assertThat(DashboardStreams.memberId(another, "app")).isNotEqualTo(first);
        assertThat(DashboardStreams.memberId(stateDirectory, "other-app")).startsWith("other-app-").isNotEqualTo(first);
    }

    @Test
    void daysNotYetWrittenWhenAReplicaStopsAreWrittenByItsSuccessor() throws Exception {
        String bootstrap = KafkaTestBroker.bootstrapServers();
        DashboardProperties properties = newApplication(bootstrap);
        String other = "instructor-" + UUID.randomUUID();
        java.util.concurrent.atomic.AtomicBoolean postgresDown = new java.util.concurrent.atomic.AtomicBoolean();
        List<DailyAggregate> attempted = new CopyOnWriteArrayList<>();
        streams = start(bootstrap, properties, snapshots -> {
            attempted.addAll(snapshots);
            if (postgresDown.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("Postgres is down"));
            }
            written.addAll(snapshots);
            return CompletableFuture.completedFuture(null);
        });

        // Another instructor's day is written while Postgres is up ...
        int partition = enroll(bootstrap, other, "student-1");
        await().atMost(BACK_WITHIN).until(() -> written.stream().anyMatch(day -> day.instructorId().equals(other)));
        // ... this instructor's day only fails to be written, until the replica stops.
        postgresDown.set(true);
        enroll(bootstrap, "student-1");
        await().atMost(BACK_WITHIN).until(() -> attempted.stream().anyMatch(day -> day.instructorId().equals(instructor)));
        streams.close(Duration.ofSeconds(30));
        assertThat(enrollments()).isZero();

        // Before session 6 the unwritten store's changelog held day keys; such a record of a day is still honoured
        // (here one of the day already written: it is written again).
        String legacyDay = ActivityAggregator.dayKey(other, other + "-lecture",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        try (KafkaProducer<String, Long> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new org.apache.kafka.common.serialization.LongSerializer())) {
            producer.send(new ProducerRecord<>(properties.applicationId() + "-" + DashboardTopology.UNWRITTEN
                    + "-changelog", partition, legacyDay, 1L)).get();
        }
        int writtenBefore = written.size();

        // The successor writes both without any new event for those days.
        postgresDown.set(false);
        streams = start(bootstrap, properties);
        await().atMost(BACK_WITHIN).until(() -> enrollments() == 1
                && written.subList(writtenBefore, written.size()).stream().anyMatch(day -> day.instructorId().equals(other)));
    }

    /** An application of its own (fresh group and changelogs), state in this test's directory; the topic exists. */
    private DashboardProperties newApplication(String bootstrap) throws Exception {
        createTopic(bootstrap);
        return new DashboardProperties("dashboard-restart-" + UUID.randomUUID(), stateDirectory.toString(),
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(60), 10_000, 1, 1_000, 1_000);
    }

    private static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.LECTURE_ACTIVITY.name(), 3, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private KafkaStreams start(String bootstrap, DashboardProperties properties) {
        return start(bootstrap, properties, snapshots -> {
            written.addAll(snapshots);
            return CompletableFuture.completedFuture(null);
        });
    }

    private static KafkaStreams start(String bootstrap, DashboardProperties properties, DailyAggregateWriter writer) {
        KafkaStreams started = DashboardStreams.kafkaStreams(DashboardStreams.config(bootstrap, properties), properties,
                writer);
        started.start();
        return started;
    }

    /** The instructor's enrollments in the newest snapshot of each day written. */
    private long enrollments() {
        Map<String, DailyAggregate> newest = new java.util.HashMap<>();
        for (DailyAggregate day : written) {
            if (day.instructorId().equals(instructor)) {
                newest.merge(day.lectureId() + day.day(), day, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return newest.values().stream().mapToLong(DailyAggregate::enrollments).sum();
    }

    private void enroll(String bootstrap, String student) {
        enroll(bootstrap, instructor, student);
    }

    /** Sends an enrollment of today; returns the partition it went to (the partition of the instructor's task). */
    private static int enroll(String bootstrap, String instructor, String student) {
        LectureActivityRecorded event = new LectureActivityRecorded(UUID.randomUUID().toString(), Type.ENROLLED,
                instructor, instructor + "-lecture", student, null, null, null, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.LECTURE_ACTIVITY.name(), instructor,
                    Topics.LECTURE_ACTIVITY.valueSerde().toJson(event))).get().partition();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
