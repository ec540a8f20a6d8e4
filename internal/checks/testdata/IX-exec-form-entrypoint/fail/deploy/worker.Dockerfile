# Fails on line 5: the last stage builds on "base", so it inherits this
# shell-form CMD.
FROM alpine:3.20 AS base
USER nobody
CMD /app/worker --queue "$QUEUE"

FROM base
COPY worker /app/worker
