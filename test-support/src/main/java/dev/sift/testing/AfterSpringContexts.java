package dev.sift.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;

/**
 * Stops test infrastructure (the embedded broker, the run's database) when the JVM exits, but only after every
 * Spring application context has closed. Plain JVM shutdown hooks run concurrently with Spring Boot's, so the broker
 * could go first and a context still stopping (Kafka Streams committing, a writer flushing) would wait for it until
 * its timeouts: report-service's test JVM spent 30 s in {@code KafkaStreams.close} at every exit, its stream thread
 * waiting for metadata from a broker that was gone.
 *
 * <p>The task is a Spring Boot shutdown handler (those run in Boot's one shutdown hook, after the contexts registered
 * with it are closed) and also a JVM shutdown hook, for a JVM in which Boot never registered its hook (a benchmark's
 * {@code main} without a context): that hook waits for Boot's hook thread if there is one. Whichever comes first runs
 * the task; it runs once.
 */
final class AfterSpringContexts {

    /** The name of Spring Boot's shutdown hook thread ({@code SpringApplicationShutdownHook}). */
    private static final String SPRING_HOOK = "SpringApplicationShutdownHook";

    private AfterSpringContexts() {
    }

    static void run(String name, Runnable task) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                task.run();
            }
        };
        SpringApplication.getShutdownHandlers().add(once);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitSpringHook();
            once.run();
        }, name));
    }

    private static void awaitSpringHook() {
        try {
            // The JVM starts every hook thread at once; give them a moment to have started.
            Thread.sleep(100);
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (SPRING_HOOK.equals(thread.getName())) {
                    thread.join(60_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
