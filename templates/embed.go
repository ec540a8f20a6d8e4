// Package templates holds the tree that twelve renders. service/ mirrors a
// new service; components/NAME/ holds one component's files, mirroring where
// they land, and its component.json. Every file ends in .tmpl, stripped on
// output.
package templates

import "embed"

// FS is the template tree.
//
//go:embed service.json modules.json all:service all:components
var FS embed.FS

// Archive is every template tree that a twelve has shipped, under archive/:
// blobs/ and revisions/, not the checks/ that only the tests read (see
// internal/archive). Embedded data costs nothing until it is read.
//
//go:embed archive/blobs archive/revisions
var Archive embed.FS
