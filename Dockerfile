# syntax=docker/dockerfile:1.4
# The pizzastream image: `docker build -t pizzastream .` or `scripts/containers build`
# (podman, from a locally made Debian base). Stages:
#   runtime-base  debian:bookworm-slim + the shared libraries the binary needs (Debian packages),
#                 the user, the health check and the image's settings; no binary yet.
#   build         Debian 12 + the build dependencies; compiles only the `pizzastream` target, with
#                 ccache in a build cache mount so a rebuild of the same clone is mostly cache hits.
#   runtime       (default) runtime-base + the binary built in `build` and the Arrow/Parquet
#                 libraries of the pinned pyarrow wheel it links; the dashboard is inside the binary.
#   runtime-prebuilt  runtime-base + a binary built on the host, for the tests on a Debian 12 host
#                 (`scripts/containers image-from BINARY`: a small context of out/bin, out/lib);
#                 never used by a plain `docker build .`, which builds the default target only.
# Runs as the non-root user `pizzastream` (uid 10001); data in the volume /data
# (PIZZASTREAM_DATA_DIR). Configuration: the PIZZASTREAM_* environment variables and the
# command line (ENTRYPOINT is the binary). HEALTHCHECK asks `serve`'s /healthz on
# PIZZASTREAM_HEALTH_PORT (8080); `serve` must listen beyond loopback in a container:
#   docker run -p 8080:8080 -v data:/data pizzastream serve --bind 0.0.0.0
ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS runtime-base
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      ca-certificates libsimdjson14 librdkafka1 libpqxx-6.4 libsqlite3-0 libspdlog1.10 libfmt9 \
      zlib1g libisal2 libcurl4 libtinfo6 libstdc++6 >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt/* /var/log/dpkg.log \
 && echo /usr/local/lib/pizzastream > /etc/ld.so.conf.d/pizzastream.conf \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home pizzastream \
 && mkdir -p /data && chown pizzastream:pizzastream /data
COPY containers/healthcheck /usr/local/bin/pizzastream-healthcheck
WORKDIR /data
ENV PIZZASTREAM_DATA_DIR=/data PIZZASTREAM_HEALTH_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/pizzastream-healthcheck"]
ENTRYPOINT ["pizzastream"]
CMD ["--help"]

FROM ${DEBIAN_IMAGE} AS build
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      build-essential cmake ninja-build pkg-config ccache ca-certificates \
      python3 python3-venv nodejs npm \
      zlib1g-dev libisal-dev libssl-dev librdkafka-dev libpqxx-dev libsqlite3-dev libsimdjson-dev \
      libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libcpp-httplib-dev \
      libgtest-dev libgmock-dev libcurl4-openssl-dev libboost-dev libncurses-dev >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Arrow C++ (pinned pyarrow wheel) and the dashboard's chart library (package-lock.json) first,
# so they stay cached while only the sources change.
COPY scripts/bootstrap scripts/bootstrap
COPY web/package.json web/package-lock.json web/
# EXTRA_CA_FILE: a CA bundle the build host mounts (scripts/containers does, when the host
# trusts CAs of its own, e.g. behind a TLS-inspecting proxy) for pip and npm to use.
ARG EXTRA_CA_FILE=
RUN if [ -n "$EXTRA_CA_FILE" ]; then export PIP_CERT=$EXTRA_CA_FILE NODE_EXTRA_CA_CERTS=$EXTRA_CA_FILE; fi \
 && BOOTSTRAP_SKIP_APT=1 scripts/bootstrap
COPY . .
ENV CCACHE_DIR=/ccache CCACHE_MAXSIZE=2G
RUN --mount=type=cache,target=/ccache,id=pizzastream-ccache \
    cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPIZZASTREAM_BENCHMARKS=OFF >/dev/null \
 && cmake --build /build --target pizzastream \
 && ccache --show-stats
# The binary without debug info, and the wheel's libraries it links (found with ldd).
RUN mkdir -p /out/bin /out/lib \
 && objcopy --strip-debug /build/pizzastream /out/bin/pizzastream \
 && ldd /build/pizzastream | awk '$3 ~ /\/pyarrow\// {print $3}' | xargs -r cp -L -t /out/lib \
 && test -n "$(ls /out/lib)"

# The binary and its wheel libraries from the host (scripts/containers image-from); the same
# last steps as `runtime` below.
FROM runtime-base AS runtime-prebuilt
COPY out/lib/ /usr/local/lib/pizzastream/
COPY out/bin/pizzastream /usr/local/bin/pizzastream
RUN ldconfig && pizzastream --help >/dev/null
USER 10001:10001

# The default target (last): the binary compiled in `build`.
FROM runtime-base AS runtime
COPY --from=build /out/lib/ /usr/local/lib/pizzastream/
COPY --from=build /out/bin/pizzastream /usr/local/bin/pizzastream
RUN ldconfig && pizzastream --help >/dev/null
USER 10001:10001
