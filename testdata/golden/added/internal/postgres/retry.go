package postgres

import (
	"context"
	"errors"
	"time"
)

// permanent marks an error that no retry can cure, such as a wrong
// password.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retry calls try until it succeeds, fails for good (permanent), ctx is
// done or timeout is up before the next attempt, waiting 100ms, 200ms,
// 400ms and so on, at most 2s, between attempts; failed hears of each
// failure that is followed by another attempt. It returns the number of
// attempts and the last error of try.
func retry(ctx context.Context, timeout time.Duration, try func(context.Context) error, failed func(attempt int, wait time.Duration, err error)) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := 100 * time.Millisecond
	var last error
	for attempt := 1; ; attempt++ {
		err := try(ctx)
		if err == nil {
			return attempt, nil
		}
		if errors.As(err, new(permanent)) {
			return attempt, err
		}
		if last == nil || ctx.Err() == nil {
			last = err // keep the cause rather than the deadline that cut it short
		}
		if deadline, _ := ctx.Deadline(); ctx.Err() != nil || time.Until(deadline) < wait {
			return attempt, last // stopped, or no time left for another attempt
		}
		failed(attempt, wait, err)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return attempt, last
		case <-timer.C:
		}
		wait = min(2*wait, 2*time.Second)
	}
}
