// Package deploytest checks the deploy files that twelve generates
// (compose.yaml, the Kubernetes manifests, the GitHub Actions workflow) with
// those formats' own parsers, and runs the golden services with the
// environment they give. It is a module of its own so that those parsers'
// heavy dependencies stay out of twelve's go.mod, which must stay free of
// replace directives for `go install ...@version` to work.
package deploytest
