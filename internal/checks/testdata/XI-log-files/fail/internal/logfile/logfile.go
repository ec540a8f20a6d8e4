package logfile

import (
	"log"
	"os"
)

// Open sends the log to a file.
func Open() error {
	f, err := os.OpenFile("/var/log/app/app.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	log.SetOutput(f)
	return nil
}
