package store_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"example.com/grown/internal/postgres"
	"example.com/grown/internal/postgres/postgrestest"
	"example.com/grown/internal/store"
	"example.com/grown/migrations"
)

// newStore returns a Store on a fresh, migrated schema of
// TEST_DATABASE_URL: the real database, with the real migrations.
func newStore(t *testing.T) (*store.Store, *postgres.DB) {
	t.Helper()
	db := postgres.New(postgrestest.URL(t), 10*time.Second)
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	if err := db.Open(t.Context(), logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(t.Context(), migrations.FS, logger); err != nil {
		t.Fatal(err)
	}
	return store.New(db.Pool()), db
}

func TestAddGetDelete(t *testing.T) {
	s, _ := newStore(t)
	ctx := t.Context()
	added, err := s.Add(ctx, "buy milk")
	if err != nil {
		t.Fatal(err)
	}
	if added.ID == 0 || added.Body != "buy milk" || time.Since(added.CreatedAt) > time.Minute {
		t.Errorf("Add = %+v, want an ID, the body and a creation time of now", added)
	}
	got, err := s.Get(ctx, added.ID)
	if err != nil || got.ID != added.ID || got.Body != added.Body || !got.CreatedAt.Equal(added.CreatedAt) {
		t.Errorf("Get(%d) = %+v, %v; want %+v", added.ID, got, err, added)
	}
	if err := s.Delete(ctx, added.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, added.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, added.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Delete twice: %v, want ErrNotFound", err)
	}
}

func TestLatestNewestFirst(t *testing.T) {
	s, _ := newStore(t)
	for _, body := range []string{"one", "two", "three"} {
		if _, err := s.Add(t.Context(), body); err != nil {
			t.Fatal(err)
		}
	}
	notes, err := s.Latest(t.Context(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[0].Body != "three" || notes[1].Body != "two" {
		t.Errorf("Latest(2) = %+v, want three then two", notes)
	}
}

func TestEmptyBodyRefused(t *testing.T) {
	s, db := newStore(t)
	if _, err := s.Add(t.Context(), ""); err == nil {
		t.Error("Add of an empty note: no error")
	}
	// The table refuses it too, whoever writes.
	if _, err := db.Pool().Exec(t.Context(), "INSERT INTO notes (body) VALUES ('')"); err == nil {
		t.Error("the notes table took an empty body: its CHECK is missing")
	}
}

func TestInATransaction(t *testing.T) {
	_, db := newStore(t)
	tx, err := db.Pool().Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n, err := store.New(tx).Add(t.Context(), "rolled back")
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := store.New(db.Pool()).Get(t.Context(), n.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a note added in a rolled back transaction: %v, want ErrNotFound", err)
	}
}
