# The last stage inherits USER app from the stage it builds on.
FROM debian:12-slim AS base
RUN useradd app
USER app

FROM base
COPY worker /app/worker
ENTRYPOINT ["/app/worker"]
