// Package e2e tests the services twelve generates for real: it builds the
// golden trees of testdata/golden, vets and tests them, starts them and
// talks to them over HTTP, and runs them against PostgreSQL and Redis.
// Its tests are slow and skip with -short; the package holds nothing else.
package e2e
