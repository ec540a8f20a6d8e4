# twelve's Makefile: the commands a developer of twelve needs, and the ones
# the README promises.

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
GO      ?= go

.PHONY: help demo test fuzz test-short build install lint tools modules golden archive release bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

demo: build ## generate a service, build it, run it and talk to it
	@./scripts/tools.sh demo
	./scripts/demo.sh bin/twelve

# deploytest/ is a module of its own, so that the deploy files' validators
# (compose-go, the Kubernetes API, actionlint) stay out of twelve's go.mod:
# test, test-short and lint run in both modules.
# test starts the PostgreSQL and Redis that internal/e2e runs the generated
# services against (scripts/backing.sh), and stops those it started however
# the tests end: passed, failed, or interrupted.
test: tools lint ## every test: the linters, unit, scripts, golden trees built, tested and run; the deploy files validated
	vars=$$(./scripts/backing.sh); started=$$?; eval "$$vars"; \
		trap './scripts/backing.sh stop' EXIT; trap 'exit 130' INT TERM; \
		[ $$started -eq 0 ] || exit 1; \
		$(GO) test -count=1 -timeout 30m ./...
	cd deploytest && $(GO) test -count=1 -timeout 30m ./...
	$(MAKE) fuzz FUZZTIME=10s

FUZZTIME ?= 1m
FUZZ := internal/cli:FuzzCheckAnswers internal/cli:FuzzReadAnswers internal/cli:FuzzManifest internal/cli:FuzzAnswersAgree \
	internal/render:FuzzRender internal/project:FuzzReconcile \
	internal/checks:FuzzCheck internal/merge:FuzzMerge

fuzz: ## run every fuzz target for FUZZTIME each (default 1m; make test runs 10s); a failing input lands in its testdata/fuzz, commit it
	@log=$$(mktemp); for t in $(FUZZ); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		if ! $(GO) test ./$$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) >$$log 2>&1; then \
			grep -v '^fuzz: elapsed' $$log | tail -n 30; \
			if [ -n "$$(git status --porcelain -- $$pkg/testdata/fuzz/$$name 2>/dev/null)" ]; then \
				echo "fuzz: $$name found a failing input, now in $$pkg/testdata/fuzz/$$name: go test ./$$pkg -run $$name"; rm -f $$log; exit 1; \
			fi; \
			echo "fuzz: $$name stopped without a failing input to replay (above): reported, not failed"; \
		fi; \
	done; rm -f $$log

test-short: ## the fast tests only (no generated service is built)
	$(GO) test -short ./...
	cd deploytest && $(GO) test -short ./...

build: ## build bin/twelve
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/twelve ./cmd/twelve

install: ## install twelve into GOBIN
	CGO_ENABLED=0 $(GO) install -trimpath -ldflags "$(LDFLAGS)" ./cmd/twelve

# go install puts staticcheck and govulncheck here, which need not be on PATH.
TOOLBIN = $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)

lint: ## gofmt, go vet, staticcheck, govulncheck (both modules) and shellcheck
	@./scripts/tools.sh lint
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^testdata/'))" || { gofmt -l .; echo 'gofmt: files above need formatting'; exit 1; }
	$(GO) vet ./...
	cd deploytest && $(GO) vet ./...
	$(TOOLBIN)/staticcheck ./...
	cd deploytest && $(TOOLBIN)/staticcheck ./...
	./scripts/vulncheck.sh ./...
	cd deploytest && ../scripts/vulncheck.sh -test ./...
	shellcheck scripts/*.sh .ci/run

tools: ## install the tools the tests and linters use (shellcheck, staticcheck, govulncheck, ...) when missing
	@./scripts/tools.sh

modules: ## re-pin the generated services' go.mod and go.sum (needs the network)
	$(GO) run ./internal/render/gendeps templates/modules.json

golden: ## rewrite testdata/golden from the templates; read the diff before committing
	$(GO) test -short $$($(GO) list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | awk '/internal\/golden/ {print $$1}') -update

archive: ## add the current templates to templates/archive (after any template change; commit what it writes)
	$(GO) run ./internal/archive/add

release: ## tag a release, VERSION=vX.Y.Z: the archive must hold today's templates, CHANGELOG.md a section for it
	@echo '$(VERSION)' | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+$$' || { echo 'make release VERSION=vX.Y.Z'; exit 2; }
	@test -z "$$(git status --porcelain)" || { echo 'release: commit or stash your changes first'; exit 1; }
	$(GO) test -count=1 -run 'TestCurrentTemplatesAreArchived|TestEveryRevisionRendersItsChecks' ./internal/archive
	@grep -q '^## $(VERSION)' CHANGELOG.md || { echo 'release: CHANGELOG.md has no "## $(VERSION)" section: say what it changes in generated services'; exit 1; }
	git tag -a '$(VERSION)' -m 'twelve $(VERSION)'
	@echo 'tagged $(VERSION): git push origin $(VERSION); then go install github.com/twelvefactor/twelve/cmd/twelve@$(VERSION) works'

bench: build ## measure twelve and its service against baselines; writes bench/RESULTS.md (minutes; not in test or CI)
	./scripts/bench.sh bin/twelve -out bench/RESULTS.md

clean: ## remove build output and the demo
	rm -rf bin demo
