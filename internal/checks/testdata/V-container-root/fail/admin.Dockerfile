# Fails on line 6: the last USER switches back to root.
FROM debian:12-slim
RUN useradd app
USER app
COPY server /app/server
user 0:0
ENTRYPOINT ["/app/server"]
