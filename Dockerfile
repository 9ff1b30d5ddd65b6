# syntax=docker/dockerfile:1
# Podflow's one image for every role: the argument is the ./podflow command, e.g.
#   docker run podflow api | pod | notifier | migrate
# Built with the Maven wrapper in a JDK image, run on a JRE image as a non-root user.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl launcher -am package

FROM eclipse-temurin:21-jre
# A numeric user, so Kubernetes' runAsNonRoot can check it; HOME on /tmp, the one writable place
# under a read-only root file system (the chart mounts an emptyDir there).
RUN useradd --system --uid 10001 --home-dir /tmp --no-create-home podflow
WORKDIR /app
COPY --from=build /src/launcher/target/podflow-launcher.jar /app/
COPY --from=build /src/launcher/target/lib/ /app/lib/
USER 10001
ENV HOME=/tmp PODFLOW_LOG_FORMAT=json
EXPOSE 8080 8081
# The heap follows the container's memory limit, leaving a quarter for metaspace, threads and
# direct buffers; out of memory, the JVM exits and Kubernetes restarts it instead of limping on.
# More options: JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-cp", "/app/podflow-launcher.jar:/app/lib/*", "dev.podflow.launcher.Podflow"]
CMD ["help"]
