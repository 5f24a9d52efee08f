# One image recipe for all five Sift services: the build argument MODULE picks which Boot jar goes in.
# Build the jars first (./mvnw -B -q package -DskipTests); the image only copies <module>/target/<module>-<version>-exec.jar,
# so it carries no sources, no build tools and no secrets (keys and passwords arrive as env vars or mounted files).
#   docker build --build-arg MODULE=gateway -t sift/gateway:0.1.0-SNAPSHOT .
FROM eclipse-temurin:25-jre-noble

ARG MODULE
ARG VERSION=0.1.0-SNAPSHOT

# curl serves the container healthchecks (compose); the fixed numeric uid/gid lets Kubernetes verify
# runAsNonRoot and lets fsGroup own the mounted volumes. The home directory is /tmp, the one writable
# place under a read-only root, so libraries that cache under user.home (DJL's tokenizer natives for
# the local embedding model) still work.
RUN test -n "${MODULE}" || { echo "build with --build-arg MODULE=<module>" >&2; exit 1; } \
    && apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sift \
    && useradd --system --uid 10001 --gid sift --home-dir /tmp --no-create-home --shell /usr/sbin/nologin sift

WORKDIR /app
COPY ${MODULE}/target/${MODULE}-${VERSION}-exec.jar /app/app.jar

LABEL org.opencontainers.image.title="sift-${MODULE}" \
      org.opencontainers.image.version="${VERSION}"

USER 10001:10001

# The root filesystem is read-only in compose and Kubernetes: both mount a writable /tmp, where Kafka
# Streams keeps its state by default and RocksDB and Netty unpack their native libraries.
# --enable-native-access: RocksDB (Kafka Streams) and Netty call native code, which JDK 25 warns about
#   and will refuse later; MaxRAMPercentage: heap sized from the container's memory limit, leaving room
#   for RocksDB's off-heap caches, metaspace and thread stacks; ExitOnOutOfMemoryError: let the
#   orchestrator restart a broken JVM instead of limping on. Add more flags through JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:MaxRAMPercentage=70.0", "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.io.tmpdir=/tmp", "-jar", "/app/app.jar"]
