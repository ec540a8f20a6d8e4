// Package store is an example repository: the notes table of
// migrations/00001_create_notes.sql, read and written with pgx. Follow its
// shape for your own tables, or delete it with its migration.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotFound means that no note has the ID asked for.
var ErrNotFound = errors.New("note not found")

// Note is one row of the notes table.
type Note struct {
	ID        int64
	Body      string
	CreatedAt time.Time
}

// DB is what Store needs of a connection: a *pgxpool.Pool, a *pgx.Conn or
// a pgx.Tx, so that callers can run several calls in one transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes notes.
type Store struct {
	db DB
}

// New returns a Store working through db.
func New(db DB) *Store { return &Store{db: db} }

// Add stores a note and returns it with its ID and creation time.
func (s *Store) Add(ctx context.Context, body string) (Note, error) {
	if body == "" {
		return Note{}, errors.New("adding a note: empty body")
	}
	var n Note
	err := s.db.QueryRow(ctx,
		`INSERT INTO notes (body) VALUES ($1) RETURNING id, body, created_at`, body,
	).Scan(&n.ID, &n.Body, &n.CreatedAt)
	if err != nil {
		return Note{}, fmt.Errorf("adding a note: %w", err)
	}
	return n, nil
}

// Get returns the note with the given ID, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Note, error) {
	var n Note
	err := s.db.QueryRow(ctx,
		`SELECT id, body, created_at FROM notes WHERE id = $1`, id,
	).Scan(&n.ID, &n.Body, &n.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Note{}, ErrNotFound
	}
	if err != nil {
		return Note{}, fmt.Errorf("getting note %d: %w", id, err)
	}
	return n, nil
}

// Latest returns at most limit notes, the newest first.
func (s *Store) Latest(ctx context.Context, limit int) ([]Note, error) {
	rows, err := s.db.Query(ctx,
		`SELECT id, body, created_at FROM notes ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("listing notes: %w", err)
	}
	notes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Note])
	if err != nil {
		return nil, fmt.Errorf("listing notes: %w", err)
	}
	return notes, nil
}

// Delete removes the note with the given ID, or returns ErrNotFound.
func (s *Store) Delete(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM notes WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("deleting note %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
