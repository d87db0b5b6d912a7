# syntax=docker/dockerfile:1
# signet's container image: a Release build of the `signet` target on Debian 12, run on
# distroless (no shell, no package manager) as a non-root user, with only the binary and the
# shared libraries it links. Kubernetes runs it through the chart in helm/signet
# (docs/kubernetes.md).
#
#   docker build -t signet:0.1.0 .
#   docker run --rm -p 8080:8080 signet:0.1.0                    # the embedded dev default
#   docker run --rm -p 8080:8080 -v "$PWD/signet.yaml:/etc/signet/signet.yaml:ro" \
#     signet:0.1.0 serve --config /etc/signet/signet.yaml
#
# No HEALTHCHECK: Kubernetes probes /healthz and /readyz (the chart sets them), and distroless
# has no shell or curl to run one. tests/helm/dockerfile.test.mjs checks this file offline.

ARG BUILD_IMAGE=debian:12
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

# --- build ------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
# The build packages of scripts/install-deps.sh (its test, fuzz and benchmark tools left out).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libboost1.81-dev libboost-url1.81-dev libboost-system1.81-dev \
      libssl-dev nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev libhiredis-dev libargon2-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIGNET_WERROR=OFF -DSIGNET_SANITIZE= \
      -DSIGNET_BUILD_TESTS=OFF -DSIGNET_BUILD_BENCH=OFF -DSIGNET_BUILD_FUZZERS=OFF \
 && cmake --build build --target signet \
 && strip build/server/signet

# What the runtime image provides (distroless cc-debian12: glibc, libgcc, libstdc++, OpenSSL 3)
# and the packages whose shared libraries are copied into it (libhiredis0.14 for the Redis
# store). A library ldd lists that is in neither fails the build here, naming the package.
ARG RUNTIME_BASE_PACKAGES="libc6 libgcc-s1 libstdc++6 libssl3"
ARG RUNTIME_COPY_PACKAGES="libspdlog1.10 libfmt9 libboost-url1.81.0 libyaml-cpp0.7 libargon2-1 libhiredis0.14"
RUN set -eu; \
    owner() { \
      for p in "$1" "$(readlink -f "$1")" "${1#/usr}" "/usr$1"; do \
        if out="$(dpkg -S "$p" 2>/dev/null)"; then echo "${out%%:*}"; return 0; fi; \
      done; \
      echo "unknown"; \
    }; \
    for lib in $(ldd build/server/signet | awk '/=>/ { print $3 }'); do \
      pkg="$(owner "$lib")"; \
      case " ${RUNTIME_BASE_PACKAGES} ${RUNTIME_COPY_PACKAGES} " in \
        *" ${pkg} "*) ;; \
        *) echo "signet links ${lib} (package ${pkg}): add it to RUNTIME_COPY_PACKAGES" >&2; exit 1 ;; \
      esac; \
    done; \
    mkdir -p /rootfs/usr/local/bin /rootfs/var/lib/signet; \
    cp build/server/signet /rootfs/usr/local/bin/signet; \
    cd /; \
    for pkg in ${RUNTIME_COPY_PACKAGES}; do \
      dpkg -L "${pkg}" | grep -E '\.so(\.[0-9]+)*$' | xargs -r cp -a --parents -t /rootfs; \
      cp -a --parents "/usr/share/doc/${pkg}/copyright" /rootfs; \
    done

# --- runtime ----------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
COPY --from=build /rootfs/usr/ /usr/
# The working directory holds ./var/keys of the embedded default; signet creates it (0700).
COPY --from=build --chown=65532:65532 /rootfs/var/lib/signet /var/lib/signet
WORKDIR /var/lib/signet
USER 65532:65532
# A container must listen beyond its loopback; the chart's signet.yaml says the same.
ENV SIGNET_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/signet"]
CMD ["serve"]
