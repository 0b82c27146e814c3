# Haven in a container: a static binary (pure-Go SQLite, no cgo) on distroless, as a non-root
# user, with its data (SQLite database and session key) on the /data volume.
#
#   docker build -t haven .
#   docker run -d --name haven -p 127.0.0.1:8080:8080 -v haven-data:/data \
#     -e HAVEN_BASE_URL=https://haven.example -e HAVEN_TRUST_PROXY=true haven
#   docker exec -i haven /haven user create --username NAME --role admin
#
# Put nginx (docs/nginx.conf) or another TLS proxy in front; see docs/deployment.md.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The templ output is committed, so no generation step is needed here.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/haven ./cmd/haven \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/haven /haven
# The volume's first mount copies this directory's owner: uid 65532 (nonroot), mode 0700.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /data
USER 65532:65532
ENV HAVEN_ADDR=0.0.0.0:8080 \
    HAVEN_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
# Haven stops cleanly on SIGTERM (docker stop): requests finish and SQLite's log is folded in.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/haven"]
CMD ["serve"]
