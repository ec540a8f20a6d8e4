FROM alpine:3.20
USER nobody
COPY worker /app/worker
# The shell only expands $QUEUE, then exec replaces it with the worker.
CMD exec /app/worker --queue "$QUEUE"
