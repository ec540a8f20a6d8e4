// Package migrations holds the changes to the database schema: SQL files
// embedded in the binary and applied in order by `grown migrate`.
//
// Add a change as the next numbered file, e.g. 00002_add_tags.sql, with a
// -- +goose Up section and a -- +goose Down section. Never edit a file once
// it has run in production: add another.
package migrations

import "embed"

// FS holds the migrations.
//
//go:embed *.sql
var FS embed.FS
